/**
 * Counts the solves each client has running or queued and refuses more than `max` at a time. A
 * client is its token's name when the service authenticates, else its IP address (all of a
 * host's connections count together).
 */
export class ClientLimiter {
  private readonly active = new Map<string, number>();

  /** `max` solves per client at a time; 0 means no limit. */
  constructor(readonly max: number) {}

  /** Takes a slot for `client`; false when it already has `max`. */
  acquire(client: string): boolean {
    const n = this.active.get(client) ?? 0;
    if (this.max > 0 && n >= this.max) return false;
    this.active.set(client, n + 1);
    return true;
  }

  /** Gives a slot back. */
  release(client: string): void {
    const n = this.active.get(client) ?? 0;
    if (n <= 1) this.active.delete(client);
    else this.active.set(client, n - 1);
  }

  /** Solves `client` has at the moment. */
  count(client: string): number {
    return this.active.get(client) ?? 0;
  }
}

/** The address part of a grpc-js peer ("ipv4:127.0.0.1:5000" → "127.0.0.1", "ipv6:[::1]:5000" → "::1"). */
export function peerHost(peer: string): string {
  const rest = peer.replace(/^(ipv4|ipv6|unix):/, "");
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(rest);
  if (bracketed) return bracketed[1];
  const colon = rest.lastIndexOf(":");
  return colon > 0 && rest.indexOf(":") === colon ? rest.slice(0, colon) : rest;
}
