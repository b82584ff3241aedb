import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { status, type ServiceError } from "@grpc/grpc-js";
import type { Solution } from "@peermarket/model";
import { certifyStoredSolution } from "./certify-stored.js";
import { MarketClient } from "./client.js";
import { silentLogger } from "./logger.js";
import { messageCodec } from "./proto.js";
import { INTERRUPTED_MESSAGE } from "./recovery.js";
import { startServer } from "./server.js";
import { RUN_UNTIL_STOPPED, smallMarket } from "./test-support.js";

const SERVE = fileURLToPath(new URL("./serve.js", import.meta.url));

/** Starts `peermarket serve` as a child process and resolves with its address once it listens. */
function serveChild(storePath: string, workers: number): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, [SERVE, "--port", "0", "--store", storePath, "--workers", String(workers)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the service did not start: ${out}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, address: match[1] });
      }
    });
    child.stderr!.resume();
    child.on("exit", (code) => reject(new Error(`the service exited (${code}) before listening: ${out}`)));
  });
}

test(
  "SIGKILL during solves: acknowledged solutions intact, running solves marked interrupted, nothing half-written",
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "peermarket-kill-"));
    const storePath = join(dir, "store.db");
    let child: ChildProcess | undefined;
    try {
      const started = await serveChild(storePath, 3);
      child = started.child;
      const client = new MarketClient(started.address);
      // two solves that run until stopped, on two of the three threads
      let progressed = 0;
      const long = [1, 2].map(() =>
        client
          .streamSolveMarket(
            { market: smallMarket("long-running"), settings: RUN_UNTIL_STOPPED, progressInterval: 1000 },
            { onProgress: () => progressed++ },
          )
          .then(
            () => new Error("a solve that runs until stopped ended"),
            (e: Error) => e,
          ),
      );
      // short solves on the third thread, from four clients at once, until the kill
      const acknowledged: Solution[] = [];
      let killed = false;
      const short = Array.from({ length: 4 }, async (_, c) => {
        for (let i = 0; !killed; i++) {
          try {
            acknowledged.push(await client.solveMarket({ market: smallMarket(`short-${c}-${i}`) }));
          } catch {
            return;
          }
        }
      });
      const deadline = Date.now() + 60_000;
      while ((progressed < 4 || acknowledged.length < 40) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      assert.ok(
        progressed >= 4 && acknowledged.length >= 40,
        `${progressed} progress events, ${acknowledged.length} acknowledged`,
      );
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGKILL");
      killed = true;
      await exited;
      await Promise.all([...long, ...short]);
      client.close();
      const ackedAtKill = acknowledged.length;

      const server = await startServer({ host: "127.0.0.1", port: 0, storePath, workers: 1, logger: silentLogger });
      const again = new MarketClient(server.address);
      try {
        assert.equal(server.store.integrityCheck(), "ok");
        assert.equal(server.store.interrupted().length, 0, "every running row was resolved at start-up");
        // every acknowledged solution, exactly as it was sent
        for (const s of acknowledged.slice(0, ackedAtKill)) assert.deepEqual(await again.getSolution(s.id), s);
        // the two long solves, and any short one that was running, are stored as interrupted
        const longRows = (await again.listSolutions({ marketName: "long-running", view: "SOLUTION_VIEW_FULL" }))
          .solutions;
        assert.equal(longRows.length, 2);
        for (const s of longRows) {
          assert.equal(s.status, "SOLVE_STATUS_CANCELLED");
          assert.equal(s.statusMessage, INTERRUPTED_MESSAGE);
        }
        const interrupted = new Set(server.interrupted);
        for (const s of longRows) assert.ok(interrupted.has(s.id));
        await assert.rejects(again.getNetworkCharges(longRows[0].id), (err: ServiceError) => {
          assert.equal(err.code, status.FAILED_PRECONDITION);
          assert.match(
            err.details,
            /holds no dispatch to report on \(SOLVE_STATUS_CANCELLED: interrupted by a server restart/,
          );
          return true;
        });
        // nothing half-written: every stored solution decodes, and every SOLVED one passes the certificate against its stored market
        const codec = messageCodec();
        let solved = 0;
        for (const entry of server.store.entries()) {
          const solution = codec.decodeSolution(entry.solution);
          const request = codec.decodeRequest(entry.request);
          assert.ok(request.market, `${entry.id} keeps its market`);
          if (interrupted.has(entry.id)) {
            assert.equal(solution.statusMessage, INTERRUPTED_MESSAGE);
            continue;
          }
          assert.equal(solution.status, "SOLVE_STATUS_SOLVED", entry.id);
          assert.ok((await certifyStoredSolution(request, solution)).passed, `${entry.id} passes the certificate`);
          solved++;
        }
        assert.ok(solved >= ackedAtKill, `${solved} stored solutions, ${ackedAtKill} acknowledged`);
        // the interrupted solves can be sent again: their request is kept
        const resent = await again.solveMarket({ market: smallMarket("long-running") });
        assert.equal(resent.status, "SOLVE_STATUS_SOLVED");
      } finally {
        again.close();
        await server.close();
      }
    } finally {
      child?.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("a store path that cannot be written: `peermarket serve` exits 1 with a message naming it", async () => {
  const child = spawn(process.execPath, [SERVE, "--port", "0", "--store", "/dev/null/peermarket.db"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  child.stdout!.resume();
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  assert.equal(code, 1);
  assert.match(err, /peermarket serve: cannot open the solution store \/dev\/null\/peermarket\.db: /);
  assert.doesNotMatch(err, /at .*\.js:\d+/, "a message, not a stack trace");
});
