import * as grpc from "@grpc/grpc-js";
import { type IterateArrays, type MarketArrays, PARTIALS, phase } from "@peermarket/admm";
import type { ShardPhaseResult } from "@peermarket/model";
import { consensusUpdate, localSolves } from "@peermarket/admm";
import { ghostValues, shardAssignment } from "./shard-assignment.js";
import type { RemoteShard, ShardPlan } from "./shard-plan.js";
import type { NetworkSide, PhaseParams } from "./threaded-solve.js";
import { copyFloat64sInto } from "./wire.js";
import type { WorkerLink } from "./worker-link.js";

/** A remote shard the coordinator took back: which, from whom, when and why. */
export interface ShardTakeover {
  shard: number;
  agentBegin: number;
  agentEnd: number;
  worker: string;
  /** The iteration (1-based phase number) whose phase the coordinator completed itself. */
  iteration: number;
  reason: string;
}

/** Where the coordinator's network side spent its time, summed over the phases (ms). */
export interface RemoteTimings {
  phases: number;
  /** Gathering ghosts, encoding and writing the commands. */
  sendMs: number;
  /** The coordinator's own consensus updates of the remote ranges (and shards taken back). */
  updateMs: number;
  /** Waiting for the last answer after that. */
  waitMs: number;
  /** Checking and copying the answers in. */
  receiveMs: number;
  /** The slowest worker's own phase time (as it reports it). */
  workerPhaseMs: number;
}

/** Timeouts of the remote shards. */
export interface RemoteShardTimeouts {
  /** A phase result must arrive within this many ms of the phase being sent. */
  phaseTimeoutMs: number;
  /** The same for the first phase after an assignment (which carries the shard's data). */
  assignTimeoutMs: number;
}

function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b) || a === b;
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * The network side of a solve spread over remote shard workers. Every phase: send each remote
 * shard its ghosts and the step's parameters; meanwhile recompute the shard's consensus and price
 * update here (z, λ, residual partials — the same arithmetic, so they must match the worker's
 * partials bit for bit); then copy in each shard's new trades and μ. A shard whose worker fails,
 * times out or disagrees is taken back: its local solves of this phase are done here from the
 * last completed iterate (the targets just computed), and later phases run here — the result is
 * the same as if the worker had answered.
 */
export class RemoteShards implements NetworkSide {
  readonly takeovers: ShardTakeover[] = [];
  readonly timings: RemoteTimings = { phases: 0, sendMs: 0, updateMs: 0, waitMs: 0, receiveMs: 0, workerPhaseMs: 0 };
  private iterate: IterateArrays | null = null;
  private partials: Float64Array | null = null;
  private readonly assigned: boolean[];
  private readonly taken: boolean[];
  private readonly scratch: Float64Array;
  private readonly check = new Float64Array(PARTIALS);

  constructor(
    private readonly solveId: string,
    private readonly problem: MarketArrays,
    private readonly plan: ShardPlan,
    private readonly links: WorkerLink[],
    private readonly timeouts: RemoteShardTimeouts,
  ) {
    if (links.length !== plan.remote.length)
      throw new RangeError(`${plan.remote.length} remote shards need as many workers, got ${links.length}`);
    this.assigned = plan.remote.map(() => false);
    this.taken = plan.remote.map(() => false);
    this.scratch = new Float64Array(Math.max(0, ...plan.remote.map((s) => s.ghostSource.length)));
  }

  attach(iterate: IterateArrays, partials: Float64Array): void {
    this.iterate = iterate;
    this.partials = partials;
  }

  async phase(p: PhaseParams): Promise<void> {
    const it = this.iterate;
    const partials = this.partials;
    if (!it || !partials) throw new Error("a phase before the solve's iterate was attached");
    const m = this.problem;
    const pCur = p.cur === 0 ? it.p0 : it.p1;
    const pNext = p.cur === 0 ? it.p1 : it.p0;
    const t0 = performance.now();
    const sent: { s: RemoteShard; answer: Promise<ShardPhaseResult> }[] = [];
    for (const s of this.plan.remote) {
      if (this.taken[s.index]) continue;
      const link = this.links[s.index];
      let limit = this.timeouts.phaseTimeoutMs;
      if (!this.assigned[s.index]) {
        link.send({ assignment: shardAssignment(this.solveId, m, it, pCur, s) });
        this.assigned[s.index] = true;
        limit = this.timeouts.assignTimeoutMs;
      }
      const ghostTrades = ghostValues(s, pCur, this.scratch);
      const answer = link.result(this.solveId, p.seq);
      link.send({
        phase: { solveId: this.solveId, sequence: p.seq, rho: p.rho, rhoDual: p.rhoDual, alpha: p.alpha, ghostTrades },
      });
      const guarded = timeout(answer, limit, `phase ${p.seq} of shard ${s.index}`);
      // Keep an unanswered promise — and the time-limited one derived from it, which is what is
      // awaited after the coordinator's own share of the phase — from being reported as unhandled
      // when the worker is lost before then. The await below still receives the rejection.
      answer.catch(() => undefined);
      guarded.catch(() => undefined);
      sent.push({ s, answer: guarded });
    }
    const t1 = performance.now();
    for (const s of this.plan.remote) {
      if (this.taken[s.index])
        phase(
          m,
          m.mirror,
          it,
          pCur,
          pNext,
          s.agentBegin,
          s.agentEnd,
          p.rho,
          p.rhoDual,
          p.alpha,
          partials,
          s.slot,
          null,
          p.costs ?? true,
        );
      else
        consensusUpdate(
          m,
          m.mirror,
          it,
          pCur,
          pNext,
          s.agentBegin,
          s.agentEnd,
          p.rho,
          p.rhoDual,
          p.alpha,
          partials,
          s.slot,
        );
    }
    const t2 = performance.now();
    let waited = 0;
    let slowest = 0;
    for (const { s, answer } of sent) {
      let problem = "";
      try {
        const w = performance.now();
        const r = await answer;
        waited += performance.now() - w;
        slowest = Math.max(slowest, 1000 * r.phaseSeconds);
        const o = s.slot * PARTIALS;
        for (let i = 0; i < PARTIALS; i++) this.check[i] = r.partials[i] ?? NaN;
        const nt = s.tradeEnd - s.tradeBegin;
        const na = s.agentEnd - s.agentBegin;
        if (r.trades.byteLength !== 8 * nt || r.marginalPrices.byteLength !== 8 * na) {
          problem = `its answer holds ${r.trades.byteLength} bytes of trades and ${r.marginalPrices.byteLength} of marginal prices, not ${8 * nt} and ${8 * na}`;
        } else if (r.partials.length !== PARTIALS || !this.check.every((v, i) => sameNumber(v, partials[o + i]))) {
          problem = `its residual partials [${Array.from(this.check).join(", ")}] differ from the coordinator's [${Array.from(partials.subarray(o, o + PARTIALS)).join(", ")}]`;
        } else {
          copyFloat64sInto(pNext, s.tradeBegin, r.trades, nt, `shard ${s.index} trades`);
          copyFloat64sInto(it.mu, s.agentBegin, r.marginalPrices, na, `shard ${s.index} marginal prices`);
        }
      } catch (err) {
        problem = (err as Error).message;
      }
      if (problem !== "") this.takeBack(s, p, pNext, problem);
    }
    const t = this.timings;
    t.phases++;
    t.sendMs += t1 - t0;
    t.updateMs += t2 - t1;
    t.waitMs += waited;
    t.receiveMs += performance.now() - t2 - waited;
    t.workerPhaseMs += slowest;
  }

  private takeBack(s: RemoteShard, p: PhaseParams, pNext: Float64Array, reason: string): void {
    const link = this.links[s.index];
    this.taken[s.index] = true;
    localSolves(this.problem, this.iterate!.mu, pNext, s.agentBegin, s.agentEnd, p.rho);
    this.takeovers.push({
      shard: s.index,
      agentBegin: s.agentBegin,
      agentEnd: s.agentEnd,
      worker: link.label,
      iteration: p.seq,
      reason,
    });
    link.close(grpc.status.ABORTED, `shard ${s.index} taken back by the coordinator at phase ${p.seq}: ${reason}`);
  }

  /** Tells the workers still serving this solve that it is over. */
  release(): void {
    for (const s of this.plan.remote) {
      if (!this.taken[s.index]) this.links[s.index].send({ release: { solveId: this.solveId } });
    }
  }
}
