import { fileURLToPath } from "node:url";
import { MARKET_SERVICE_NAME } from "./proto.js";

/** Path of the Python example client shipped with the service. */
export const PYTHON_EXAMPLE = fileURLToPath(new URL("../python/solve_case39b.py", import.meta.url));

/** The address a local client should dial for a server bound to `host` (wildcards → loopback). */
export function dialHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::" || host === "[::]") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** Lines telling a user how to call a service listening on host:port. */
export function howToCall(host: string, port: number): string {
  const target = `${dialHost(host)}:${port}`;
  return [
    `Call it (health and server reflection are on, so no .proto files are needed):`,
    `  buf curl --protocol grpc --http2-prior-knowledge http://${target}/${MARKET_SERVICE_NAME}/ListSolutions -d '{"pageSize": 5}'`,
    `  buf curl --protocol grpc --http2-prior-knowledge http://${target}/grpc.health.v1.Health/Check -d '{}'`,
    `  buf curl --protocol grpc --http2-prior-knowledge --list-services http://${target}`,
    `  npx peermarket solve case39b_31a --server ${target}`,
    `  Python (python3-grpcio, python3-protobuf; no protoc):`,
    `    npx peermarket python-client pyclient && npx peermarket export case39b_31a --out case39b_31a.json`,
    `    python3 pyclient/solve.py ${target} case39b_31a.json`,
    `  node: import { MarketClient } from "@peermarket/market-service"; await new MarketClient("${target}").solveMarket({ market })`,
  ].join("\n");
}
