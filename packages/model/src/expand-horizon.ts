import { buildMarketArrays, type HorizonArrays, type StorageArrays, storageColumns } from "@peermarket/admm";
import type { ExpandedMarket } from "./expanded-types.js";
import { expandValidated } from "./expand.js";
import { profileAt, resolvedHorizon, resolveStorage, unitFeeProfile } from "./horizon-profiles.js";
import type { Market } from "./types.js";
import { pairPeriodLimit } from "./validate-horizon.js";
import { MarketValidationError, type MarketLimits } from "./validation-issues.js";

/**
 * Expands a validated multi-period market (docs/multi-period.md) into the engine's layout: one
 * MarketArrays whose agents are period agents (engine agent n·T + t is agent n in period t, with
 * the cost and own-power bounds of period t), pairs (n·T + t, m·T + t) for every pair of the
 * trading graph and every period, and a HorizonArrays with the storages.
 *
 * The trading graph is that of the agents' envelope: a pair is kept when the two agents can trade
 * in some period, with a storage agent's net power within [p̲_t − charge_max, p̄_t + discharge_max].
 * Trade bounds of period t come from those extended bounds; `pMin`/`pMax` of a period agent stay
 * its own power's bounds. Preferences are the same in every period. With T = 1 and no storage the
 * arrays are exactly those of the single-period expansion.
 */
export function expandHorizonMarket(
  market: Market,
  networkCase: ExpandedMarket["networkCase"],
  limits: MarketLimits,
): ExpandedMarket {
  const { periods: T, periodHours, startTime } = resolvedHorizon(market);
  const nMarket = market.agents.length;
  const grid = market.grid ?? null;
  const N = nMarket + (grid ? 2 : 0);
  const NT = N * T;
  const a = new Float64Array(NT);
  const b = new Float64Array(NT);
  const pMin = new Float64Array(NT);
  const pMax = new Float64Array(NT);
  const extMin = new Float64Array(NT);
  const extMax = new Float64Array(NT);
  const envMin = new Float64Array(N).fill(Infinity);
  const envMax = new Float64Array(N).fill(-Infinity);
  const storageIndex = new Int32Array(N).fill(-1);
  const storageAgents: number[] = [];
  market.agents.forEach((ag, n) => {
    if (ag.storage) {
      storageIndex[n] = storageAgents.length;
      storageAgents.push(n);
    }
    const cMax = ag.storage ? ag.storage.chargeMax : 0;
    const dMax = ag.storage ? ag.storage.dischargeMax : 0;
    for (let t = 0; t < T; t++) {
      const i = n * T + t;
      a[i] = profileAt(ag.costQuadraticProfile, ag.costQuadratic, t);
      b[i] = profileAt(ag.costLinearProfile, ag.costLinear, t);
      pMin[i] = profileAt(ag.powerMinProfile, ag.powerMin, t);
      pMax[i] = profileAt(ag.powerMaxProfile, ag.powerMax, t);
      extMin[i] = pMin[i] - cMax;
      extMax[i] = pMax[i] + dMax;
    }
  });
  if (grid) {
    for (let t = 0; t < T; t++) {
      const gi = nMarket * T + t;
      const ge = (nMarket + 1) * T + t;
      b[gi] = profileAt(grid.importPriceProfile, grid.importPrice, t);
      pMax[gi] = profileAt(grid.importMaxProfile, grid.importMax ?? Infinity, t);
      b[ge] = profileAt(grid.exportPriceProfile, grid.exportPrice, t);
      const em = profileAt(grid.exportMaxProfile, grid.exportMax ?? Infinity, t);
      pMin[ge] = em === 0 ? 0 : -em;
      extMin[gi] = pMin[gi];
      extMax[gi] = pMax[gi];
      extMin[ge] = pMin[ge];
      extMax[ge] = pMax[ge];
    }
  }
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < T; t++) {
      const i = n * T + t;
      // The envelope of the trade bounds: the own trade bounds of each period, joined.
      const lo = extMin[i] >= 0 ? 0 : extMin[i];
      const hi = extMax[i] <= 0 ? 0 : extMax[i];
      if (lo < envMin[n]) envMin[n] = lo;
      if (hi > envMax[n]) envMax[n] = hi;
    }
  }
  // The trading graph, preferences and ids of the envelope market.
  const base = expandValidated(market, networkCase, { pMin: envMin, pMax: envMax });
  const nPairs = base.pairFirst.length;
  const limit = pairPeriodLimit(limits);
  if (T > 1 && nPairs * T > limit) {
    throw new MarketValidationError([
      {
        path: "horizon.periods",
        message: `${nPairs} pairs × ${T} periods = ${nPairs * T} pair-periods, over the limit of ${limit}`,
      },
    ]);
  }
  const first = new Int32Array(nPairs * T);
  const second = new Int32Array(nPairs * T);
  for (let q = 0; q < nPairs; q++) {
    const f = base.pairFirst[q] * T;
    const s = base.pairSecond[q] * T;
    for (let t = 0; t < T; t++) {
      first[q * T + t] = f + t;
      second[q * T + t] = s + t;
    }
  }
  const built = buildMarketArrays({ a, b, pMin: extMin, pMax: extMax }, { first, second });
  const arrays = { ...built.arrays, pMin, pMax };
  const nTrades = arrays.partner.length;
  const prefSell = new Float64Array(nTrades);
  const prefBuy = new Float64Array(nTrades);
  // Engine agent n·T + t has the trades of agent n in the same order: trade k of n maps to
  // tradeStart[n·T + t] + (k − baseStart[n]).
  const bts = base.arrays.tradeStart;
  for (let n = 0; n < N; n++) {
    const deg = bts[n + 1] - bts[n];
    for (let t = 0; t < T; t++) {
      const e0 = arrays.tradeStart[n * T + t];
      for (let j = 0; j < deg; j++) {
        prefSell[e0 + j] = base.prefSell[bts[n] + j];
        prefBuy[e0 + j] = base.prefBuy[bts[n] + j];
      }
    }
  }
  arrays.costSell.set(prefSell);
  arrays.costBuy.set(prefBuy);

  const S = storageAgents.length;
  const storage: StorageArrays = storageColumns(S);
  const storageOf = new Int32Array(NT).fill(-1);
  storageAgents.forEach((n, s) => {
    const r = resolveStorage(market.agents[n].storage!);
    storage.first[s] = n * T;
    storage.socMin[s] = r.socMin;
    storage.socMax[s] = r.socMax;
    storage.chargeMax[s] = r.chargeMax;
    storage.dischargeMax[s] = r.dischargeMax;
    storage.etaCharge[s] = r.chargeEfficiency;
    storage.etaDischarge[s] = r.dischargeEfficiency;
    storage.socInitial[s] = r.socInitial;
    storage.socFinalMin[s] = r.socFinalMin;
    storage.throughputCost[s] = r.throughputCost;
    for (let t = 0; t < T; t++) storageOf[n * T + t] = s;
  });
  const horizonArrays: HorizonArrays = {
    periods: T,
    periodHours,
    storage,
    storageOf,
    charge: new Float64Array(NT),
    discharge: new Float64Array(NT),
  };
  const rep = <X>(v: X[]): X[] => {
    const out = new Array<X>(NT);
    for (let n = 0; n < N; n++) for (let t = 0; t < T; t++) out[n * T + t] = v[n];
    return out;
  };
  const fees = unitFeeProfile(market.charges);
  return {
    market,
    agentIds: rep(base.agentIds),
    agentBus: rep(base.agentBus),
    agentZone: rep(base.agentZone),
    gridImport: base.gridImport >= 0 ? base.gridImport * T : -1,
    gridExport: base.gridExport >= 0 ? base.gridExport * T : -1,
    arrays,
    prefSell,
    prefBuy,
    chargeSell: new Float64Array(nTrades),
    chargeBuy: new Float64Array(nTrades),
    pairFirst: first,
    pairSecond: second,
    tradeOfFirst: built.tradeOfFirst,
    tradeOfSecond: built.tradeOfSecond,
    droppedPairs: base.droppedPairs,
    notes: base.notes,
    networkCase,
    horizon: {
      periods: T,
      periodHours,
      startTime,
      arrays: horizonArrays,
      agentIds: base.agentIds,
      agentCount: N,
      pairCount: nPairs,
      storageIndex,
      gridImport: base.gridImport,
      gridExport: base.gridExport,
      unitFeeProfile: fees ? Float64Array.from(fees) : null,
    },
  };
}
