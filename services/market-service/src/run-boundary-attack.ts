/**
 * Sends one hand-made hostile SolveMarketRequest to a service started in this process and prints,
 * as one JSON line, the status it got, the time, the longest event-loop stall and the peak heap of
 * the process. The client runs on a worker thread, so the stall is the server's alone.
 *
 *   node services/market-service/dist/run-boundary-attack.js KIND [MB]
 *
 * KIND: unknown (tiny unknown fields after a small market), market-unknown (inside its market),
 * agents (empty agents), bigbytes (one unknown bytes field in the market), groups (unknown groups
 * nested MB × 1000 deep inside an agent). MB: the size of the padding (default 8).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import protobuf from "protobufjs";
import { silentLogger } from "./logger.js";
import { messageCodec } from "./proto.js";
import { startServer } from "./server.js";
import { smallMarket } from "./test-support.js";

function field(number: number, payload: Uint8Array): Buffer {
  return Buffer.from(
    protobuf.Writer.create()
      .uint32((number << 3) | 2)
      .bytes(payload)
      .finish(),
  );
}

function pairs(a: number, b: number, bytes: number): Buffer {
  const out = Buffer.alloc(bytes - (bytes % 2));
  for (let i = 0; i < out.length; i += 2) {
    out[i] = a;
    out[i + 1] = b;
  }
  return out;
}

function attack(kind: string, mb: number): Buffer {
  const base = messageCodec().encodeRequest({ market: smallMarket("attack") } as never);
  const size = Math.round(mb * 1024 * 1024);
  switch (kind) {
    case "unknown":
      return Buffer.concat([base, pairs(0x78, 0x00, size)]);
    case "market-unknown":
      return Buffer.concat([base, field(1, pairs(0x78, 0x00, size))]);
    case "agents":
      return Buffer.concat([base, field(1, pairs(0x12, 0x00, size))]);
    case "bigbytes":
      return Buffer.concat([base, field(1, field(15, Buffer.alloc(size)))]);
    case "groups": {
      const n = Math.round(mb * 1000);
      return Buffer.concat([base, field(1, field(2, Buffer.concat([Buffer.alloc(n, 0x7b), Buffer.alloc(n, 0x7c)])))]);
    }
    default:
      throw new Error(`unknown kind ${kind} (unknown, market-unknown, agents, bigbytes, groups)`);
  }
}

const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const grpc = require("@grpc/grpc-js");
const client = new grpc.Client(workerData.address, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
client.makeUnaryRequest("/peermarket.v1.MarketService/SolveMarket", (b) => b, (b) => Buffer.from(b), Buffer.from(workerData.bytes), (err, v) => {
  parentPort.postMessage(err ? grpc.status[err.code] + ": " + err.details.slice(0, 200) : "OK " + v.length + " bytes");
  client.close();
});`;

async function main(): Promise<void> {
  const kind = process.argv[2] ?? "unknown";
  const mb = Number(process.argv[3] ?? 8);
  const bytes = attack(kind, mb);
  const dir = mkdtempSync(join(tmpdir(), "peermarket-attack-"));
  const server = await startServer({
    host: "127.0.0.1",
    port: 0,
    storePath: join(dir, "store.db"),
    workers: 1,
    logger: silentLogger,
  });
  try {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let peakHeap = 0;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
    const started = Date.now();
    const result = await new Promise<string>((resolve, reject) => {
      const worker = new Worker(CLIENT, { eval: true, workerData: { address: server.address, bytes } });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    delay.disable();
    clearInterval(sampler);
    console.log(
      JSON.stringify({
        kind,
        requestMB: Math.round((bytes.length / 1048576) * 10) / 10,
        result,
        ms: Date.now() - started,
        maxStallMs: Math.round(delay.max / 1e6),
        peakHeapMB: Math.round(peakHeap / 1048576),
      }),
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
