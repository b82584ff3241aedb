import type { AdmmResult } from "@peermarket/admm";
import type { AgentResult, ExpandedMarket, PeriodResult, Solution, Trade } from "@peermarket/model";
import { buildSolution, TradeRows } from "./solution.js";

/** A charge and a discharge both above this share of the storage's power limits count as simultaneous. */
export const SIMULTANEOUS_TOLERANCE = 1e-6;

/**
 * The RFC 3339 start of a period `hours` after `start`, in the offset `start` is written in
 * ("" when `start` is empty or not a time).
 */
export function periodStartTime(start: string, hours: number): string {
  if (!start) return "";
  const ms = Date.parse(start);
  if (Number.isNaN(ms)) return "";
  const m = /([+-])(\d\d):?(\d\d)$/.exec(start);
  const offsetMin = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const iso = new Date(Math.round(ms + hours * 3_600_000 + offsetMin * 60_000)).toISOString().replace(/\.000Z$/, "Z");
  return m ? `${iso.slice(0, -1)}${m[1]}${m[2]}:${m[3]}` : iso;
}

/**
 * The Solution of a multi-period market (docs/multi-period.md). Per agent of the market: money
 * over the horizon (energy cost Σ_t Δ f_t(g_t), trade revenue, network charge, preference cost,
 * storage throughput cost), `power` the average net power, `marginalPrice` the average marginal
 * cost, and the profiles: net power, own power, charge, discharge, state of charge at the end of
 * each period, marginal cost. Trades: the (pair, period) entries that carry power (every pair when
 * T = 1), with their period (left out without `tradeObjects`: `TradeRows` gives the same ones, one
 * at a time). Per period: grid import/export, network revenue, the price band of the trades that
 * carry power, and the energy traded between members.
 */
export function buildHorizonSolution(
  x: ExpandedMarket,
  result: AdmmResult,
  unitFee: number,
  tradeObjects = true,
): Solution {
  const h = x.horizon!;
  const { info, solution } = result;
  const m = x.arrays;
  const T = h.periods;
  const dt = h.periodHours;
  const N = h.agentCount;
  const { agentPower, trade, price } = solution;
  const charge = solution.charge;
  const discharge = solution.discharge;
  const st = h.arrays.storage;
  const periodRevenue = new Float64Array(T);
  const agents: AgentResult[] = new Array(N);
  const simultaneous: string[] = [];
  let networkRevenue = 0;
  for (let n = 0; n < N; n++) {
    const powerProfile = new Array<number>(T);
    const ownPowerProfile = new Array<number>(T);
    const marginalPriceProfile = new Array<number>(T);
    const s = h.storageIndex[n];
    const chargeProfile: number[] = [];
    const dischargeProfile: number[] = [];
    const socProfile: number[] = [];
    let energy = s >= 0 ? st.socInitial[s] : 0;
    let sumP = 0;
    let sumMp = 0;
    let energyCost = 0;
    let revenue = 0;
    let netCharge = 0;
    let pref = 0;
    let throughput = 0;
    let both = false;
    for (let t = 0; t < T; t++) {
      const i = n * T + t;
      const p = agentPower[i];
      const c = s >= 0 && charge ? charge[i] : 0;
      const d = s >= 0 && discharge ? discharge[i] : 0;
      const g = p - d + c;
      powerProfile[t] = p;
      ownPowerProfile[t] = g;
      const mp = m.a[i] * g + m.b[i];
      marginalPriceProfile[t] = mp;
      sumP += p;
      sumMp += mp;
      energyCost += 0.5 * m.a[i] * g * g + m.b[i] * g;
      for (let k = m.tradeStart[i]; k < m.tradeStart[i + 1]; k++) {
        const q = trade[k];
        revenue += price[k] * q;
        if (q > 0) {
          netCharge += x.chargeSell[k] * q;
          periodRevenue[t] += x.chargeSell[k] * q;
          pref += x.prefSell[k] * q;
        } else if (q < 0) {
          netCharge -= x.chargeBuy[k] * q;
          periodRevenue[t] -= x.chargeBuy[k] * q;
          pref -= x.prefBuy[k] * q;
        }
      }
      if (s >= 0) {
        chargeProfile.push(c);
        dischargeProfile.push(d);
        energy += dt * (st.etaCharge[s] * c - d / st.etaDischarge[s]);
        socProfile.push(energy);
        throughput += c + d;
        const scale = Math.max(st.chargeMax[s], st.dischargeMax[s]);
        if (Math.min(c, d) > SIMULTANEOUS_TOLERANCE * scale) both = true;
      }
    }
    networkRevenue += netCharge;
    if (both) simultaneous.push(h.agentIds[n]);
    agents[n] = {
      id: h.agentIds[n],
      power: sumP / T,
      marginalPrice: sumMp / T,
      energyCost: dt * energyCost,
      tradeRevenue: dt * revenue,
      networkCharge: dt * netCharge,
      preferenceCost: dt * pref,
      powerProfile,
      ownPowerProfile,
      chargeProfile,
      dischargeProfile,
      socProfile,
      marginalPriceProfile,
      storageCost: s >= 0 ? dt * st.throughputCost[s] * throughput : 0,
      simultaneousChargeDischarge: both,
    };
  }
  const nPairs = h.pairCount;
  // The (pair, period) entries that carry power (every pair when T = 1), as TradeRows lists them.
  const trades: Trade[] = tradeObjects ? new TradeRows(x, trade, price).toArray() : [];
  const priceMin = new Float64Array(T).fill(Infinity);
  const priceMax = new Float64Array(T).fill(-Infinity);
  const traded = new Float64Array(T);
  const isGrid = (engineAgent: number) => {
    const n = Math.floor(engineAgent / T);
    return n === h.gridImport || n === h.gridExport;
  };
  for (let t = 0; t < T; t++) {
    for (let q = 0; q < nPairs; q++) {
      const e = q * T + t;
      const kf = x.tradeOfFirst[e];
      const v = trade[kf];
      if (v === 0) continue;
      const lam = price[kf];
      if (lam < priceMin[t]) priceMin[t] = lam;
      if (lam > priceMax[t]) priceMax[t] = lam;
      if (!isGrid(x.pairFirst[e]) && !isGrid(x.pairSecond[e])) traded[t] += Math.abs(v) * dt;
    }
  }
  const periodResults: PeriodResult[] = new Array(T);
  for (let t = 0; t < T; t++) {
    const gi = h.gridImport >= 0 ? agentPower[h.gridImport * T + t] : 0;
    const ge = h.gridExport >= 0 ? -agentPower[h.gridExport * T + t] : 0;
    periodResults[t] = {
      period: t,
      gridImport: gi > 0 ? gi : 0,
      gridExport: ge > 0 ? ge : 0,
      networkRevenue: dt * periodRevenue[t],
      priceMin: Number.isFinite(priceMin[t]) ? priceMin[t] : 0,
      priceMax: Number.isFinite(priceMax[t]) ? priceMax[t] : 0,
      tradedEnergy: traded[t],
      startTime: periodStartTime(h.startTime, t * dt),
    };
  }
  let statusMessage = info.statusMessage;
  if (simultaneous.length > 0) {
    const names =
      simultaneous
        .slice(0, 5)
        .map((s) => JSON.stringify(s))
        .join(", ") + (simultaneous.length > 5 ? `, … (${simultaneous.length} agents)` : "");
    const note = `the storage of ${names} charged and discharged in the same period (a relaxation: energy had no value to it then)`;
    statusMessage = statusMessage ? `${statusMessage}; ${note}` : note;
  }
  // The fields every solution has (status, residuals, timings, …) as the single-period builder
  // sets them; the per-agent, per-trade and money fields are the horizon's (so its Trade object
  // per pair and period is not built).
  const base = buildSolution(x, result, unitFee, false);
  return {
    ...base,
    agents,
    trades,
    networkRevenue: dt * networkRevenue,
    statusMessage,
    pairCount: nPairs,
    periods: T,
    periodHours: dt,
    pairPeriodCount: nPairs * T,
    periodResults,
    // Polishing (docs/polishing.md): the engine polishes horizons without storage (the period
    // agents are a single-period market) and skips it when batteries couple the periods.
    polished: info.polished,
    polishIteration: info.polishIteration,
    statusPolish: info.statusPolish,
  };
}
