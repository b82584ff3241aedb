import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/** One reply of grpc.reflection.v1.ServerReflection/ServerReflectionInfo (snake_case, as in the proto). */
export interface ReflectionReply {
  list_services_response?: { service: { name: string }[] } | null;
  file_descriptor_response?: { file_descriptor_proto: Buffer[] } | null;
  error_response?: { error_code: number; error_message: string } | null;
}

/** One request of the reflection protocol. */
export type ReflectionRequest = { list_services: string } | { file_containing_symbol: string };

const require = createRequire(import.meta.url);

/**
 * Asks a server's reflection service (grpc.reflection.v1, the protocol grpcurl and Postman use)
 * the given questions on one stream and returns the replies in order.
 */
export async function askReflection(
  address: string,
  requests: ReflectionRequest[],
  timeoutMs = 5000,
): Promise<ReflectionReply[]> {
  const protoDir = join(dirname(require.resolve("@grpc/reflection/package.json")), "build", "proto");
  const definition = protoLoader.loadSync("grpc/reflection/v1/reflection.proto", {
    includeDirs: [protoDir],
    keepCase: true,
    defaults: true,
    oneofs: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
  };
  const client = new root.grpc.reflection.v1.ServerReflection(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<ReflectionReply[]>((resolve, reject) => {
      const replies: ReflectionReply[] = [];
      const call = (
        client as unknown as {
          ServerReflectionInfo(o: grpc.CallOptions): grpc.ClientDuplexStream<ReflectionRequest, ReflectionReply>;
        }
      ).ServerReflectionInfo({
        deadline: Date.now() + timeoutMs,
      });
      call.on("data", (reply: ReflectionReply) => replies.push(reply));
      call.on("error", reject);
      call.on("end", () => resolve(replies));
      for (const r of requests) call.write(r);
      call.end();
    });
  } finally {
    client.close();
  }
}
