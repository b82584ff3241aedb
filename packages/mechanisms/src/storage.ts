import { AdmmSolver, type MarketArrays } from "@peermarket/admm";
import { minOwnCost, solveReferenceMultiPeriod, storageDualBound } from "@peermarket/reference";
import { horizonDualBound } from "./coalitions.js";
import { type Community, type GridOnly, memberCostsOf, memberStorage } from "./community.js";
import { restrictCommunity } from "./submarket.js";

/**
 * Markets with storage (docs/mechanisms.md, "Storage"): a member with a battery couples its
 * periods, so its grid-only optimum and the values of coalitions that include it are problems over
 * the whole horizon.
 */

/** Options of `prepareStorageGridOnly`. */
export interface StorageGridOnlyOptions {
  /** HiGHS's wall-clock budget per member, seconds (default 60). */
  timeLimitS?: number;
}

/**
 * Grid only of every member with storage: the multi-period market of that member and the grid's
 * two agents (its own power, battery and grid trades at each period's prices and limits), solved
 * by HiGHS (`solveReferenceMultiPeriod`: an LP, or a QP when the member's cost is quadratic; a few
 * hundred columns for a day of quarter-hours). Its objective is the member's total cost alone:
 * energy cost (with the battery's throughput cost), trade costs of both sides of its grid trades,
 * and what it pays the grid (the grid agents' linear costs are the tariff). Stored in
 * `c.storageGridOnly`; members without storage stay with the exact per-period solve of `gridOnly`.
 * When HiGHS does not reach optimality (its QP solver's iteration limit on badly scaled members),
 * the engine clears the same three-agent market at eps_abs 1e-10, eps_rel 1e-9; the certified
 * lower bound (`GridOnly.lowerBound`) covers both. Returns the members solved that way.
 */
export async function prepareStorageGridOnly(c: Community, options: StorageGridOnlyOptions = {}): Promise<string[]> {
  const out: (GridOnly | null)[] = Array.from(c.members, () => null);
  const fallbacks: string[] = [];
  const m = c.arrays;
  const T = c.periods;
  const dt = c.periodHours;
  for (let pos = 0; pos < c.members.length; pos++) {
    if (memberStorage(c, pos) < 0) continue;
    const n = c.members[pos];
    const sub = restrictCommunity(c, [pos]);
    let ref: {
      objective: number;
      trade: Float64Array;
      price: Float64Array;
      charge: Float64Array;
      discharge: Float64Array;
      optimal: boolean;
      status: string;
    } = await solveReferenceMultiPeriod(sub.arrays, sub.horizon!, { timeLimit: options.timeLimitS ?? 60 });
    const periodPower: number[] = [];
    const periodPayment: number[] = new Array(T).fill(0);
    if (!ref.optimal && /infeasible/i.test(ref.status) && !/unbounded/i.test(ref.status)) {
      for (let t = 0; t < T; t++) periodPower.push(NaN);
      out[pos] = {
        power: NaN,
        periodPower,
        cost: Infinity,
        energyCost: NaN,
        networkCharges: NaN,
        preferenceCost: NaN,
        payment: NaN,
        periodPayment,
      };
      continue;
    }
    if (!ref.optimal) {
      // HiGHS's QP solver gives up on some badly scaled members (e.g. a home's cost of 7e4 €/MW² on
      // powers of 1e-4 MW): the engine clears the three-agent market instead, tightly, and the
      // certified bound below says how far its answer may be from the optimum.
      const solver = new AdmmSolver(
        sub.arrays,
        { epsAbs: 1e-10, epsRel: 1e-9, maxIter: 200_000, timeLimit: options.timeLimitS ?? 60 },
        { check: false, horizon: sub.horizon },
      );
      solver.warmStart({
        trade: Float64Array.from(sub.trades, (k) => c.trade[k]),
        price: Float64Array.from(sub.trades, (k) => c.price[k]),
      });
      const r = solver.solve();
      if (
        r.info.status === "PRIMAL_INFEASIBLE" ||
        r.info.status === "NUMERICAL_ERROR" ||
        r.info.status === "DUAL_INFEASIBLE"
      ) {
        throw new Error(
          `grid only of ${c.ids[n]} (with storage): HiGHS did not solve its ${T}-period problem (${ref.status}), nor did the engine (${r.info.status})`,
        );
      }
      const nA = sub.arrays.nAgents;
      ref = {
        objective: r.info.objective,
        trade: r.solution.trade,
        price: r.solution.price,
        charge: r.solution.charge ?? new Float64Array(nA),
        discharge: r.solution.discharge ?? new Float64Array(nA),
        optimal: r.info.status === "SOLVED",
        status: `engine ${r.info.status} after HiGHS: ${ref.status}`,
      };
      fallbacks.push(`${c.ids[n]} (${ref.status})`);
    }
    // Back to the full market's indices.
    const trade = new Float64Array(m.partner.length);
    sub.trades.forEach((k, j) => (trade[k] = ref.trade[j]));
    const charge = new Float64Array(m.nAgents);
    const discharge = new Float64Array(m.nAgents);
    sub.agents.forEach((a, i) => {
      charge[a] = ref.charge[i];
      discharge[a] = ref.discharge[i];
    });
    for (let t = 0; t < T; t++) {
      const a = n * T + t;
      let p = 0;
      for (let k = m.tradeStart[a]; k < m.tradeStart[a + 1]; k++) {
        p += trade[k];
        const partner = Math.floor(m.partner[k] / T);
        if (partner === c.gridImport || partner === c.gridExport)
          periodPayment[t] += -m.b[m.partner[k]] * trade[k] * dt;
      }
      periodPower.push(p);
    }
    const costs = memberCostsOf(c, n, trade, charge, discharge);
    // A certified lower bound at HiGHS's prices (the Lagrangian of the three-agent market), so the
    // singleton's value comes with a gap like every coalition's.
    const lowerBound = horizonDualBound(sub.arrays, sub.horizon!, ref.price, ref.trade, ref.charge, ref.discharge) * dt;
    const payment = periodPayment.reduce((u, v) => u + v, 0);
    out[pos] = {
      power: periodPower.reduce((u, v) => u + v, 0) / T,
      periodPower,
      // The sub-market's optimum: the member's own costs, the grid's trade costs on its trades and the tariff paid.
      cost: ref.objective,
      ...costs,
      payment,
      periodPayment,
      lowerBound,
    };
  }
  c.storageGridOnly = out;
  return fallbacks;
}

/**
 * How far each member's bilateral outcome may be from its best response to the cleared prices, €
 * (a certified upper bound on its regret): its total cost under the bilateral settlement minus a
 * lower bound on the least cost it could reach trading with the other members at their cleared
 * prices and with the grid at the tariff (plus both sides' trade costs), over the horizon — the
 * `minOwnCost` per period without storage, `storageDualBound` with storage. At the exact optimum
 * every slack is 0; a market cleared to a tolerance (storage markets are not polished) leaves a
 * little, and a coalition's excess under the bilateral rule is at most the sum of its members'
 * slacks (docs/mechanisms.md, "Storage"). The core tests add that sum to their tolerance.
 */
export function scheduleSlack(c: Community, bilateralCost: readonly number[]): number[] {
  const m = c.arrays;
  const T = c.periods;
  const dt = c.periodHours;
  const nt = m.partner.length;
  const price = Float64Array.from(c.price);
  const costSell = Float64Array.from(m.costSell);
  const costBuy = Float64Array.from(m.costBuy);
  for (let k = 0; k < nt; k++) {
    const g = Math.floor(m.partner[k] / T);
    if (g !== c.gridImport && g !== c.gridExport) continue;
    price[k] = m.b[m.partner[k]];
    costSell[k] = m.costSell[k] + m.costBuy[m.mirror[k]];
    costBuy[k] = m.costBuy[k] + m.costSell[m.mirror[k]];
  }
  const eff: MarketArrays = { ...m, costSell, costBuy };
  return Array.from(c.members, (n, pos) => {
    const q = memberStorage(c, pos);
    let best = 0;
    if (q >= 0) best = storageDualBound(eff, c.horizon!, q, price, c.trade, c.charge!, c.discharge!);
    else {
      for (let t = 0; t < T; t++) {
        const i = n * T + t;
        const s = m.tradeStart[i];
        const e = m.tradeStart[i + 1];
        const sNeg = new Float64Array(e - s);
        const sPos = new Float64Array(e - s);
        for (let k = s; k < e; k++) {
          sNeg[k - s] = -(price[k] + costBuy[k]);
          sPos[k - s] = costSell[k] - price[k];
        }
        best += minOwnCost(
          m.a[i],
          m.b[i],
          m.pMin[i],
          m.pMax[i],
          m.lo.subarray(s, e),
          m.hi.subarray(s, e),
          sNeg,
          sPos,
        ).value;
      }
    }
    const slack = bilateralCost[pos] - dt * best;
    return Number.isNaN(slack) ? Infinity : Math.max(0, slack);
  });
}
