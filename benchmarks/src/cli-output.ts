import { closeSync, openSync, writeSync } from "node:fs";
import type { TradeRows } from "@peermarket/market";
import { type Solution, writeProtoJsonText } from "@peermarket/model";

/**
 * What `peermarket solve FILE --json > /dev/null` does with a solve's output
 * (packages/cli/src/solve-command.ts), for the jobs that time or probe it stage by stage. The CLI
 * itself cannot be imported here (it depends on this package).
 */

/** Pairs from which the CLI collects the solve's garbage before writing (its LARGE_OUTPUT_PAIRS). */
export const CLI_LARGE_OUTPUT_PAIRS = 100_000;

/**
 * Writes the Solution as the CLI writes it to a file or a device: proto3 JSON with every field
 * present, indented, its trades streamed from `rows` (every pair), UTF-8 bytes into /dev/null,
 * ended by a newline. Returns the bytes written.
 */
export function writeSolutionToDevNull(solution: Solution, rows: TradeRows | null): number {
  const fd = openSync("/dev/null", "w");
  let bytes = 0;
  const writeAll = (b: Uint8Array) => {
    for (let at = 0; at < b.length; ) at += writeSync(fd, b, at);
    bytes += b.length;
  };
  try {
    const output = rows ? { ...solution, trades: rows.rows(false), tradesTruncated: false } : solution;
    const sink = { write: (chunk: string) => writeAll(Buffer.from(chunk, "utf8")), writeBytes: writeAll };
    writeProtoJsonText("peermarket.v1.Solution", output, sink, { emitDefaults: true });
    sink.write("\n");
  } finally {
    closeSync(fd);
  }
  return bytes;
}
