import {
  costsZero,
  type IterateArrays,
  type LocalProblem,
  maxTradeDegree,
  PARTIALS,
  phase,
  reserveLocalScratch,
} from "@peermarket/admm";
import type { ShardAssignment, ShardPhase, ShardPhaseResult } from "@peermarket/model";
import { copyFloat64sInto, float64s, int32s, toBytes } from "./wire.js";

/**
 * A shard held by a worker: the agents' data and trades of one assignment, in shard numbering,
 * and its iterate. Each phase copies the ghosts in and runs the engine's `phase` over all the
 * shard's agents — the same computation, on the same numbers, as the coordinator's own threads.
 */
export class ShardState {
  readonly solveId: string;
  readonly agentCount: number;
  readonly tradeCount: number;
  readonly ghostCount: number;
  private readonly problem: LocalProblem;
  private readonly mirror: Int32Array;
  private readonly iterate: IterateArrays;
  private cur: 0 | 1 = 0;
  private readonly partials = new Float64Array(PARTIALS);
  private readonly maxDegree: number;
  /** Whether any trade cost of the shard is non-zero (the phases skip reading them otherwise). */
  private readonly costs: boolean;

  /** @throws RangeError when an array of the assignment has the wrong size or the mirror map is out of range. */
  constructor(a: ShardAssignment) {
    const na = a.agentCount;
    const nt = a.tradeCount;
    const ng = a.ghostCount;
    if (!(na >= 0 && nt >= 0 && ng >= 0))
      throw new RangeError(`assignment: negative sizes (${na} agents, ${nt} trades, ${ng} ghosts)`);
    this.solveId = a.solveId;
    this.agentCount = na;
    this.tradeCount = nt;
    this.ghostCount = ng;
    const tradeStart = int32s(a.tradeStart, na + 1, "assignment.tradeStart");
    if (tradeStart[0] !== 0 || tradeStart[na] !== nt)
      throw new RangeError(`assignment.tradeStart must run from 0 to ${nt}`);
    for (let n = 0; n < na; n++)
      if (tradeStart[n + 1] < tradeStart[n]) throw new RangeError(`assignment.tradeStart decreases at agent ${n}`);
    this.mirror = int32s(a.mirror, nt, "assignment.mirror");
    for (let k = 0; k < nt; k++) {
      const j = this.mirror[k];
      if (!(j >= 0 && j < nt + ng))
        throw new RangeError(`assignment.mirror[${k}] = ${j} is outside the shard's ${nt} trades and ${ng} ghosts`);
    }
    this.problem = {
      a: float64s(a.costQuadratic, na, "assignment.costQuadratic"),
      b: float64s(a.costLinear, na, "assignment.costLinear"),
      pMin: float64s(a.powerMin, na, "assignment.powerMin"),
      pMax: float64s(a.powerMax, na, "assignment.powerMax"),
      tradeStart,
      lo: float64s(a.tradeMin, nt, "assignment.tradeMin"),
      hi: float64s(a.tradeMax, nt, "assignment.tradeMax"),
      costSell: float64s(a.costSell, nt, "assignment.costSell"),
      costBuy: float64s(a.costBuy, nt, "assignment.costBuy"),
    };
    const p0 = new Float64Array(nt + ng);
    copyFloat64sInto(p0, 0, a.trades, nt, "assignment.trades");
    this.iterate = {
      p0,
      p1: new Float64Array(nt + ng),
      z: float64s(a.consensus, nt, "assignment.consensus"),
      lambda: float64s(a.prices, nt, "assignment.prices"),
      mu: float64s(a.marginalPrices, na, "assignment.marginalPrices"),
    };
    this.maxDegree = maxTradeDegree(tradeStart, na);
    this.costs = !costsZero(this.problem.costSell, this.problem.costBuy);
  }

  /** Runs one phase: ghosts in, the engine's phase over the shard, new trades, μ and partials out. */
  runPhase(cmd: ShardPhase): ShardPhaseResult {
    if (cmd.solveId !== this.solveId)
      throw new RangeError(`phase of solve ${cmd.solveId}, but the shard belongs to ${this.solveId}`);
    const t0 = performance.now();
    const it = this.iterate;
    const pCur = this.cur === 0 ? it.p0 : it.p1;
    const pNext = this.cur === 0 ? it.p1 : it.p0;
    copyFloat64sInto(pCur, this.tradeCount, cmd.ghostTrades, this.ghostCount, "phase.ghostTrades");
    // The scratch of the exact fallback is per thread; other shards of this process may have grown it.
    reserveLocalScratch(this.maxDegree);
    phase(
      this.problem,
      this.mirror,
      it,
      pCur,
      pNext,
      0,
      this.agentCount,
      cmd.rho,
      cmd.rhoDual,
      cmd.alpha,
      this.partials,
      0,
      null,
      this.costs,
    );
    this.cur = this.cur === 0 ? 1 : 0;
    return {
      solveId: this.solveId,
      sequence: cmd.sequence,
      trades: toBytes(pNext, 0, this.tradeCount),
      marginalPrices: toBytes(it.mu),
      partials: Array.from(this.partials),
      phaseSeconds: (performance.now() - t0) / 1000,
    };
  }
}
