import * as grpc from "@grpc/grpc-js";

/** host:port, with brackets for an IPv6 host. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Binds a server; resolves with the port actually bound (port 0: a free one). */
export function bind(server: grpc.Server, address: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/** Ends a server stream with a gRPC status. */
export function endWithStatus(
  call: grpc.ServerDuplexStream<unknown, unknown>,
  code: grpc.status,
  details: string,
): void {
  try {
    call.emit("error", { code, details, metadata: new grpc.Metadata() });
  } catch {
    // the call is already over
  }
}

/** Shuts a server down: lets calls end for `graceMs`, then cuts them off. */
export function shutdown(server: grpc.Server, graceMs = 2000): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

/** Whether a bind address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}
