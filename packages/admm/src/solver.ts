import { checkArrays, type MarketArrays, maxTradeDegree } from "./problem.js";
import { costsZero, reserveLocalScratch, sanitizeCosts } from "./local.js";
import { coldIterate, type IterateArrays, PARTIALS, phase, R_DSCALE, R_DUAL, R_PRIMAL, R_PSCALE } from "./kernel.js";
import { arraysShared, f64, toSharedArrays } from "./shared.js";
import type { PhaseExecutor } from "./team.js";
import type { StorageKkt } from "./polish-storage.js";
import { type AdmmSettings, autoRhoTolerance, RHO_TOLERANCE_WIDEST, resolveSettings } from "./settings.js";
import type { Progress, SolutionArrays, SolveInfo } from "./status.js";
import { checkFeasibility, type Feasibility } from "./feasibility.js";
import { checkBoundedness, type Boundedness } from "./boundedness.js";
import { initialRho, rhoFloor } from "./rho.js";
import { objective } from "./objective.js";
import type { HorizonArrays } from "./horizon.js";
import { reserveStorageScratch } from "./storage-local.js";
import { storageMaxDegree } from "./shards.js";
import { PolishDriver } from "./polish-run.js";
import { needsPriming, primeKernel, primeOnce } from "./prime.js";
import { needsPolishPriming, primePolishOnce } from "./prime-polish.js";

/** Options of one solve. */
export interface SolveOptions {
  /** Called every `progressInterval` iterations (and once at the end). */
  onProgress?: (p: Progress) => void;
  progressInterval?: number;
  /** Polled once per iteration; returning true stops the solve with status CANCELLED. */
  shouldStop?: () => boolean;
  /** Names agents in messages (e.g. the infeasibility reason). */
  agentName?: (n: number) => string;
  /** Runs the phases on several threads (see ShardTeam.attach); the solver must be `shared`. */
  executor?: PhaseExecutor;
  /**
   * The solver's last solve: the solution's trades and prices are written into the iterate's own
   * buffers (the trade buffer the reported iterate is not in, and λ) instead of new arrays, 16
   * bytes per directed trade less at the solve's peak; the solver cannot solve, warm-start or reset
   * afterwards (it would overwrite them).
   */
  handOver?: boolean;
}

/** The result of a solve: OSQP's `info` and `solution`. */
export interface AdmmResult {
  info: SolveInfo;
  solution: SolutionArrays;
}

/** A starting point: per directed trade, the trade p_nm (antisymmetrised) and/or the price λ_nm. */
export interface WarmStart {
  trade?: Float64Array;
  price?: Float64Array;
}

/**
 * Consensus-ADMM solver of one market, set up once and solved (and warm-started) many times, like
 * an OSQP workspace. The market arrays are owned by the solver after setup: one-way trades' costs
 * may be adjusted in place without changing the problem (see `sanitizeCosts`).
 */
export class AdmmSolver {
  readonly problem: MarketArrays;
  readonly settings: AdmmSettings;
  /** The iterate; `cur` says which of p0/p1 holds the trades the next iteration starts from. */
  readonly iterate: IterateArrays;
  private cur: 0 | 1 = 0;
  /** Which of p0/p1 holds the trades of the reported solution. */
  private reported: 0 | 1 = 0;
  private rho: number;
  /** The ρ of the local solve that produced the trades in `cur` (the next price update uses it). */
  private rhoPrev: number;
  private readonly partials = new Float64Array(PARTIALS);
  /**
   * Whether some trade has a cost (c⁺ or c⁻ ≠ 0); false lets the phases skip reading them
   * (`phase`). Set with the costs: here and in `updateCosts`, the only ways they change.
   */
  private costs = true;
  private feasibility: Feasibility | null = null;
  private boundedness: Boundedness | null = null;
  private readonly setupTime: number;
  /** Whether the market's arrays and the iterate live on SharedArrayBuffers (needed by worker threads). */
  readonly shared: boolean;
  /** How storage polishing solves its KKT systems (constructor option `storageKkt`). */
  private readonly storageKkt: StorageKkt;
  /** A multi-period market's horizon (docs/multi-period.md), or null. */
  readonly horizon: HorizonArrays | null;
  /** Solution polishing (docs/polishing.md); scratch allocated on the first try. */
  private polishDriver: PolishDriver | null = null;
  /** The running solve's deadline (`performance.now()` scale; Infinity without a time limit). */
  private deadline = Infinity;
  /** A solve handed the iterate's buffers over as its solution (SolveOptions.handOver). */
  private handedOver = false;
  /**
   * Charge and discharge of the local solves that produced the trades the next phase starts from
   * (saved before each phase: the phase overwrites the horizon's), i.e. those of the reported
   * iterate once a solve has stopped.
   */
  private readonly chargeCur: Float64Array | null = null;
  private readonly dischargeCur: Float64Array | null = null;

  /**
   * Sets up a solver. `check` (default true) validates the arrays' structure; `shared` puts the
   * market's arrays (copied unless they already are) and the iterate on SharedArrayBuffers so
   * that worker threads can share them. `horizon` makes it a multi-period market whose storage
   * agents are solved over their periods together (its charge/discharge are put on
   * SharedArrayBuffers too when `shared`); the objective is then in money over the horizon.
   * `storageKkt` picks how storage polishing solves its KKT systems (`StoragePolisher.kkt`; like
   * OSQP's `linsys_solver`, a choice of the linear system solver, not of the answer): "auto" (the
   * default), "network" or "ldl".
   */
  constructor(
    problem: MarketArrays,
    settings: Partial<AdmmSettings> = {},
    options: {
      check?: boolean;
      shared?: boolean;
      horizon?: HorizonArrays | null;
      storageKkt?: StorageKkt;
    } = {},
  ) {
    const t0 = performance.now();
    this.settings = resolveSettings(settings);
    // A large sparse market's first solve in this thread: the kernel primed first (prime.ts), in
    // set-up time, and for the largest with polishing (not storage's) the polishing code with it.
    const storage = options.horizon != null && options.horizon.storage.count > 0;
    if (this.settings.polish && !storage && needsPolishPriming(problem)) primePolishOnce();
    else if (needsPriming(problem)) primeOnce(primeKernel);
    if (options.check !== false) {
      const problemError = checkArrays(problem);
      if (problemError) throw new RangeError(`invalid market arrays: ${problemError}`);
    }
    this.shared = options.shared === true;
    this.storageKkt = options.storageKkt ?? "auto";
    if (this.shared && !arraysShared(problem)) problem = toSharedArrays(problem);
    this.problem = problem;
    let horizon = options.horizon ?? null;
    if (horizon) {
      if (
        horizon.charge.length !== problem.nAgents ||
        horizon.discharge.length !== problem.nAgents ||
        horizon.storageOf.length !== problem.nAgents
      ) {
        throw new RangeError("horizon: charge, discharge and storageOf need one entry per engine agent");
      }
      if (this.shared) {
        const charge = f64(problem.nAgents, true);
        const discharge = f64(problem.nAgents, true);
        charge.set(horizon.charge);
        discharge.set(horizon.discharge);
        horizon = { ...horizon, charge, discharge };
      }
    }
    this.horizon = horizon;
    if (horizon && horizon.storage.count > 0) {
      this.chargeCur = horizon.charge.slice();
      this.dischargeCur = horizon.discharge.slice();
    }
    sanitizeCosts(problem.lo, problem.hi, problem.costSell, problem.costBuy);
    this.costs = !costsZero(problem.costSell, problem.costBuy);
    reserveLocalScratch(maxTradeDegree(problem.tradeStart, problem.nAgents));
    if (horizon && horizon.storage.count > 0)
      reserveStorageScratch(horizon.periods, storageMaxDegree(problem.tradeStart, horizon));
    this.iterate = coldIterate(problem, this.shared);
    this.rho = this.settings.rho > 0 ? this.settings.rho : initialRho(problem);
    this.rhoPrev = this.rho;
    this.setupTime = (performance.now() - t0) / 1000;
  }

  /** The penalty the next iteration will use. */
  get currentRho(): number {
    return this.rho;
  }

  /** Back to the cold start: zero trades and prices, ρ from the settings. */
  reset(): void {
    this.usable();
    const it = this.iterate;
    it.p0.fill(0);
    it.p1.fill(0);
    it.z.fill(0);
    it.lambda.fill(0);
    it.mu.set(this.problem.b);
    if (this.horizon) {
      this.horizon.charge.fill(0);
      this.horizon.discharge.fill(0);
      this.chargeCur?.fill(0);
      this.dischargeCur?.fill(0);
    }
    this.cur = 0;
    this.reported = 0;
    this.rho = this.settings.rho > 0 ? this.settings.rho : initialRho(this.problem);
    this.rhoPrev = this.rho;
  }

  /**
   * Starts the next solve from given trades and/or prices (per directed trade). Trades are made
   * exactly antisymmetric ((p_nm − p_mn)/2) and clipped to the trade bounds; prices are made
   * symmetric. Without trades, the current ones are kept; likewise prices.
   */
  warmStart(ws: WarmStart): void {
    this.usable();
    const m = this.problem;
    const it = this.iterate;
    const p = this.cur === 0 ? it.p0 : it.p1;
    const nt = m.partner.length;
    this.reported = this.cur;
    this.rhoPrev = this.rho;
    if (ws.trade) {
      if (ws.trade.length !== nt)
        throw new RangeError(`warm start: ${ws.trade.length} trades given, the market has ${nt}`);
      for (let k = 0; k < nt; k++) {
        const j = m.mirror[k];
        if (j < k) continue;
        let t = 0.5 * (ws.trade[k] - ws.trade[j]);
        if (!Number.isFinite(t)) t = 0;
        t = Math.min(Math.max(t, m.lo[k]), m.hi[k]);
        p[k] = t;
        p[j] = -t;
        it.z[k] = t;
        it.z[j] = -t;
      }
    }
    if (ws.price) {
      if (ws.price.length !== nt)
        throw new RangeError(`warm start: ${ws.price.length} prices given, the market has ${nt}`);
      for (let k = 0; k < nt; k++) {
        const j = m.mirror[k];
        if (j < k) continue;
        let l = 0.5 * (ws.price[k] + ws.price[j]);
        if (!Number.isFinite(l)) l = 0;
        it.lambda[k] = l;
        it.lambda[j] = l;
      }
    }
  }

  /**
   * Replaces the trade costs (e.g. new network charges) keeping the iterate, so that the next solve
   * is warm-started. The arrays are copied.
   */
  updateCosts(costSell: Float64Array, costBuy: Float64Array): void {
    const m = this.problem;
    if (costSell.length !== m.costSell.length || costBuy.length !== m.costBuy.length) {
      throw new RangeError("updateCosts: one cost per directed trade expected");
    }
    m.costSell.set(costSell);
    m.costBuy.set(costBuy);
    sanitizeCosts(m.lo, m.hi, m.costSell, m.costBuy);
    this.costs = !costsZero(m.costSell, m.costBuy);
    this.boundedness = null;
    this.polishDriver?.costsChanged(this.costs);
  }

  /** Checks (once, cached) that the market has a feasible point; see `checkFeasibility`. */
  checkFeasibility(agentName?: (n: number) => string): Feasibility {
    if (!this.feasibility) this.feasibility = checkFeasibility(this.problem, agentName, this.horizon);
    return this.feasibility;
  }

  /** Checks (once, cached; costs can change it) that the optimum is bounded; see `checkBoundedness`. */
  checkBoundedness(agentName?: (n: number) => string): Boundedness {
    if (!this.boundedness) this.boundedness = checkBoundedness(this.problem, agentName);
    return this.boundedness;
  }

  /** Runs ADMM from the current iterate until a stopping criterion holds. */
  solve(options: SolveOptions = {}): AdmmResult {
    const steps = this.steps(options);
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /**
   * `solve`, one iteration at a time: yields the iteration just completed (its polishing try
   * included) and returns the result. The caller may set `options.executor` between two steps (a
   * team whose workers started meanwhile, `ShardTeam.attach`): each phase runs on the executor
   * set when it starts, and results do not depend on it (bit-identical for any number of threads).
   */
  *steps(options: SolveOptions = {}): Generator<number, AdmmResult, void> {
    this.usable();
    const s = this.settings;
    const m = this.problem;
    const it = this.iterate;
    const t0 = performance.now();
    const feasible = this.checkFeasibility(options.agentName);
    // The balancing tolerance (`autoRhoTolerance` when 0). An automatic one below OSQP's widens
    // (×2, up to RHO_TOLERANCE_WIDEST) and halves its step (in log) each time ρ would turn back.
    let rhoTolerance =
      s.adaptiveRhoTolerance > 0
        ? s.adaptiveRhoTolerance
        : autoRhoTolerance(s.polish, this.horizon !== null && this.horizon.storage.count > 0, this.costs);
    const widening = s.adaptiveRhoTolerance === 0 && rhoTolerance < RHO_TOLERANCE_WIDEST;
    let lastRhoMove = 0;
    const info: SolveInfo = {
      status: "SOLVED",
      statusMessage: "",
      iterations: 0,
      primalResidual: 0,
      dualResidual: 0,
      epsPrimal: 0,
      epsDual: 0,
      rho: this.rho,
      rhoUpdates: 0,
      setupTime: this.setupTime,
      solveTime: 0,
      objective: 0,
      polished: false,
      statusPolish: 0,
      polishIteration: 0,
      polishTime: 0,
      polishTries: 0,
    };
    if (options.executor && !this.shared)
      throw new Error("a multi-threaded solve needs a solver set up with { shared: true }");
    if (
      options.executor &&
      this.horizon &&
      this.horizon.storage.count > 0 &&
      options.executor.horizon !== this.horizon
    ) {
      throw new Error(
        "a multi-period market with storage needs an executor attached with the solver's horizon (ShardTeam.attach(…, solver.horizon))",
      );
    }
    if (!feasible.feasible || !this.checkBoundedness(options.agentName).bounded) {
      info.status = feasible.feasible ? "DUAL_INFEASIBLE" : "PRIMAL_INFEASIBLE";
      info.statusMessage = feasible.feasible ? this.checkBoundedness().reason : feasible.reason;
      info.solveTime = (performance.now() - t0) / 1000;
      return { info, solution: emptySolution(m, this.horizon) };
    }
    const progressInterval = Math.max(1, Math.floor(options.progressInterval ?? 10));
    const deadline = s.timeLimit > 0 ? t0 + s.timeLimit * 1000 : Infinity;
    this.deadline = deadline;
    const rhoMin = Math.max(this.rho * 1e-6, rhoFloor(m));
    const rhoMax = Math.min(this.rho * 1e6, 1e150);
    let rhoDual = this.rhoPrev;
    let iter = 0;
    this.polishDriver?.begin();
    let r = 0;
    let dres = 0;
    let lastR = 0;
    let lastS = 0;
    let epsP = 0;
    let epsD = 0;
    const nt = m.partner.length;
    const emptyMarket = nt === 0;
    for (;;) {
      const pCur = this.cur === 0 ? it.p0 : it.p1;
      const pNext = this.cur === 0 ? it.p1 : it.p0;
      let partials: Float64Array = this.partials;
      let slots = 1;
      this.saveStorage();
      const executor = options.executor;
      if (executor) {
        if (!this.shared) throw new Error("a multi-threaded solve needs a solver set up with { shared: true }");
        executor.run(this.cur, this.rho, rhoDual, s.alpha, this.costs);
        partials = executor.partials;
        slots = executor.slots;
      } else
        phase(
          m,
          m.mirror,
          it,
          pCur,
          pNext,
          0,
          m.nAgents,
          this.rho,
          rhoDual,
          s.alpha,
          partials,
          0,
          this.horizon,
          this.costs,
        );
      // Max reductions over the shards: the same whatever their number (NaN propagates).
      r = partials[R_PRIMAL];
      dres = partials[R_DUAL];
      let pScale = partials[R_PSCALE];
      let dScale = partials[R_DSCALE];
      for (let q = 1; q < slots; q++) {
        const o = q * PARTIALS;
        r = Math.max(r, partials[o + R_PRIMAL]);
        dres = Math.max(dres, partials[o + R_DUAL]);
        pScale = Math.max(pScale, partials[o + R_PSCALE]);
        dScale = Math.max(dScale, partials[o + R_DSCALE]);
      }
      epsP = s.epsAbs + s.epsRel * pScale;
      epsD = s.epsAbs + s.epsRel * dScale;
      if (Number.isFinite(r) && Number.isFinite(dres)) {
        lastR = r;
        lastS = dres;
      } else {
        info.status = "NUMERICAL_ERROR";
        info.statusMessage = `non-finite residual at iteration ${iter}: the market's data may be badly scaled`;
        r = lastR;
        dres = lastS;
        break;
      }
      const elapsed = performance.now() - t0;
      if (options.onProgress && iter % progressInterval === 0 && iter > 0) {
        options.onProgress({
          iteration: iter,
          primalResidual: r,
          dualResidual: dres,
          rho: rhoDual,
          elapsed: elapsed / 1000,
        });
      }
      if (emptyMarket) break;
      // Polishing: pNext holds the agents' local trades of this iteration. A polished answer ends
      // the solve, so it is tried only where termination is checked, and before max_iter.
      const polish = this.polishing();
      if (
        polish !== null &&
        iter % s.checkTermination === 0 &&
        iter < s.maxIter &&
        polish.due(iter, r, dres, epsP, epsD) &&
        this.polishAt(polish, iter, pNext, info)
      ) {
        r = polish.last!.primalViolation;
        dres = polish.last!.dualViolation;
        break;
      }
      if (iter >= 1 && iter % s.checkTermination === 0 && r <= epsP && dres <= epsD) {
        info.status = "SOLVED";
        break;
      }
      if (iter >= s.maxIter) {
        info.status = "MAX_ITER_REACHED";
        break;
      }
      if (performance.now() > deadline) {
        info.status = "TIME_LIMIT_REACHED";
        break;
      }
      if (options.shouldStop?.()) {
        info.status = "CANCELLED";
        info.statusMessage = "cancelled by the caller";
        break;
      }
      yield iter;
      // pNext now holds iterate iter+1, computed with this.rho.
      this.cur = this.cur === 0 ? 1 : 0;
      iter++;
      rhoDual = this.rho;
      if (s.adaptiveRho && iter % s.adaptiveRhoInterval === 0 && r > 0 && dres > 0) {
        const ratio = Math.sqrt(r / Math.max(pScale, 1e-30) / (dres / Math.max(dScale, 1e-30)));
        const move = ratio > rhoTolerance ? 1 : ratio < 1 / rhoTolerance ? -1 : 0;
        let step = ratio;
        if (widening && move !== 0 && lastRhoMove !== 0 && move !== lastRhoMove) {
          // ρ turns back: the balancing overshot. Wider tolerance, and half the step (in log).
          rhoTolerance = Math.min(RHO_TOLERANCE_WIDEST, 2 * rhoTolerance);
          step = Math.sqrt(ratio);
        }
        if (move !== 0) lastRhoMove = move;
        if (ratio > rhoTolerance || ratio < 1 / rhoTolerance) {
          const next = Math.min(Math.max(this.rho * step, rhoMin), rhoMax);
          if (next !== this.rho) {
            this.rho = next;
            info.rhoUpdates++;
          }
        }
      }
    }
    // A converged solve not yet polished tries it once at the final iterate (as OSQP does).
    const polish = this.polishing();
    if (polish !== null && !info.polished && polish.lastTry !== iter && iter >= 1 && info.status === "SOLVED") {
      if (this.polishAt(polish, iter, this.cur === 0 ? it.p1 : it.p0, info, true)) {
        r = polish.last!.primalViolation;
        dres = polish.last!.dualViolation;
      }
    }
    // The reported iterate stays in `reported`; the next solve continues from the one the last
    // phase computed, exactly as if the iteration had gone on.
    this.reported = this.cur;
    if (info.status !== "NUMERICAL_ERROR" && !emptyMarket) {
      this.cur = this.cur === 0 ? 1 : 0;
      this.rhoPrev = this.rho;
    }
    if ((info.status === "MAX_ITER_REACHED" || info.status === "TIME_LIMIT_REACHED") && iter >= 1) {
      const f = s.inaccurateFactor;
      if (r <= f * epsP && dres <= f * epsD) {
        info.statusMessage = `stopped by ${info.status === "MAX_ITER_REACHED" ? "max_iter" : "time_limit"}; residuals within ${f}× the tolerances`;
        info.status = "SOLVED_INACCURATE";
      }
    }
    info.iterations = iter;
    info.primalResidual = r;
    info.dualResidual = dres;
    info.epsPrimal = epsP;
    info.epsDual = epsD;
    info.rho = this.rho;
    let solution: SolutionArrays;
    if (info.status === "NUMERICAL_ERROR") {
      // Nothing trustworthy to report: no trades, no prices, and the last finite residuals.
      solution = emptySolution(m, this.horizon);
      if (!Number.isFinite(info.rho)) info.rho = rhoDual;
    } else {
      solution = this.solution(options.handOver === true);
      this.handedOver = options.handOver === true;
    }
    info.objective = objective(m, solution, this.horizon);
    info.solveTime = (performance.now() - t0) / 1000;
    if (options.onProgress) {
      options.onProgress({
        iteration: iter,
        primalResidual: r,
        dualResidual: dres,
        rho: this.rho,
        elapsed: info.solveTime,
      });
    }
    return { info, solution };
  }

  /** Throws once a solve has handed the iterate's buffers over (SolveOptions.handOver). */
  private usable(): void {
    if (this.handedOver) throw new Error("this solver handed its iterate over to its last solution; set up a new one");
  }

  /** Copies the storages' charge/discharge (of the trades in `cur`) before a phase overwrites them. */
  private saveStorage(): void {
    const H = this.horizon;
    if (!H || !this.chargeCur || !this.dischargeCur) return;
    const st = H.storage;
    for (let q = 0; q < st.count; q++) {
      const i0 = st.first[q];
      const i1 = i0 + H.periods;
      for (let i = i0; i < i1; i++) {
        this.chargeCur[i] = H.charge[i];
        this.dischargeCur[i] = H.discharge[i];
      }
    }
  }

  /**
   * The iteration of the next polishing try scheduled in this solve (∞ with polishing off): the
   * solve may end there. A try may also come earlier (residuals within reach of the tolerances).
   */
  get nextPolishTry(): number {
    return this.polishing()?.scheduledTry ?? Infinity;
  }

  /** The polishing driver when the setting is on, else null. */
  private polishing(): PolishDriver | null {
    if (!this.settings.polish) return null;
    if (this.polishDriver === null)
      this.polishDriver = new PolishDriver(this.problem, this.horizon, this.storageKkt, this.costs);
    return this.polishDriver;
  }

  /** One polish try at iteration `iter`; on success the iterate is the exact optimum and the solve is SOLVED. */
  private polishAt(polish: PolishDriver, iter: number, local: Float64Array, info: SolveInfo, final = false): boolean {
    const t0 = performance.now();
    // A try stops at the solve's deadline (only a solve that reaches its time limit depends on time).
    const res = polish.attempt(iter, local, this.iterate, this.rho, this.deadline, final);
    info.polishTime += (performance.now() - t0) / 1000;
    info.polishTries++;
    info.statusPolish = res.success ? 1 : -1;
    if (!res.success) return false;
    // A market with storage: the polished charge and discharge are those of the reported iterate.
    const sched = polish.storageSchedule;
    if (sched !== null && this.chargeCur !== null && this.dischargeCur !== null) {
      this.chargeCur.set(sched.charge);
      this.dischargeCur.set(sched.discharge);
    }
    info.polished = true;
    info.polishIteration = iter;
    info.status = "SOLVED";
    info.statusMessage = "";
    return true;
  }

  /**
   * The current iterate as a solution. Trades are the average of both sides' local trades,
   * (p_nm − p_mn)/2: exactly reciprocal and within the trade bounds; each agent's power is the sum
   * of its trades, so the market balances exactly and the power bounds hold up to the primal
   * residual. Prices are λ.
   */
  solution(handOver = false): SolutionArrays {
    const m = this.problem;
    const it = this.iterate;
    const p = this.reported === 0 ? it.p0 : it.p1;
    const nt = m.partner.length;
    // Handed over: the other trade buffer (p is only read) and λ itself, no copies.
    const trade = handOver ? (p === it.p0 ? it.p1 : it.p0) : new Float64Array(nt);
    const agentPower = new Float64Array(m.nAgents);
    const mirror = m.mirror;
    const start = m.tradeStart;
    for (let n = 0; n < m.nAgents; n++) {
      let sum = 0;
      for (let k = start[n], e = start[n + 1]; k < e; k++) {
        const t = 0.5 * (p[k] - p[mirror[k]]);
        trade[k] = t;
        sum += t;
      }
      agentPower[n] = sum;
    }
    const out: SolutionArrays = { agentPower, trade, price: handOver ? it.lambda : it.lambda.slice() };
    if (this.horizon) {
      // The reported trades are those the last phase started from: their local solves' storage.
      out.charge = (this.chargeCur ?? this.horizon.charge).slice();
      out.discharge = (this.dischargeCur ?? this.horizon.discharge).slice();
    }
    return out;
  }
}

/** No trades, no prices, every agent at zero: the solution reported when there is none to trust. */
function emptySolution(m: MarketArrays, horizon: HorizonArrays | null = null): SolutionArrays {
  const s: SolutionArrays = {
    agentPower: new Float64Array(m.nAgents),
    trade: new Float64Array(m.partner.length),
    price: new Float64Array(m.partner.length),
  };
  if (horizon) {
    s.charge = new Float64Array(m.nAgents);
    s.discharge = new Float64Array(m.nAgents);
  }
  return s;
}
