import {
  averagePrices,
  checkSchedule,
  type MechanismId,
  type Schedule,
  type Settlement,
  supplyDemand,
} from "./schedule.js";

/**
 * The community pricing rules of docs/mechanisms.md, on a schedule. Each settles the members'
 * net power of every period against the community's net position with the grid, so that the
 * members' payments plus the grid's sum to zero in every period.
 */

/**
 * Whether a period is balanced (S = D): within 1e-12 relative, so that the rounding of a cleared
 * schedule (S − D ≈ 1e-17) does not turn a balanced period into a "surplus" of nothing.
 */
export function isBalanced(supply: number, demand: number): boolean {
  return Math.abs(supply - demand) <= 1e-12 * Math.max(supply, demand);
}

/** Per-unit prices of the mid-market rate (docs/mechanisms.md, "Mid-market rate"), €/MWh. */
export function midMarketPrices(
  supply: number,
  demand: number,
  importPrice: number,
  exportPrice: number,
): { buy: number; sell: number } {
  const mid = 0.5 * (importPrice + exportPrice);
  if (isBalanced(supply, demand)) return { buy: mid, sell: mid };
  if (supply > demand) return { buy: mid, sell: (mid * demand + exportPrice * (supply - demand)) / supply };
  if (supply < demand) return { buy: (mid * supply + importPrice * (demand - supply)) / demand, sell: mid };
  return { buy: mid, sell: mid };
}

/** Per-unit prices of the supply–demand ratio rule (docs/mechanisms.md, "Supply–demand ratio"), €/MWh. */
export function sdrPrices(
  supply: number,
  demand: number,
  importPrice: number,
  exportPrice: number,
): { buy: number; sell: number; sdr: number } {
  const sdr = isBalanced(supply, demand) && demand > 0 ? 1 : demand > 0 ? supply / demand : Infinity;
  if (sdr >= 1) return { buy: exportPrice, sell: exportPrice, sdr };
  const denom = (importPrice - exportPrice) * sdr + exportPrice;
  // SDR = 0 with λ⁻ = 0: no supply, the sell price is never used; take its limit from SDR > 0 (λ⁻ = 0 ⇒ 0).
  const sell = denom > 0 ? (importPrice * exportPrice) / denom : exportPrice === 0 ? 0 : importPrice;
  return { buy: sell * sdr + importPrice * (1 - sdr), sell, sdr };
}

/** The community's net bill with the grid in a period, € per hour: λ⁺·max(D−S,0) − λ⁻·max(S−D,0). */
export function communityBill(supply: number, demand: number, importPrice: number, exportPrice: number): number {
  if (isBalanced(supply, demand)) return 0;
  return importPrice * Math.max(demand - supply, 0) - exportPrice * Math.max(supply - demand, 0);
}

function settle(
  s: Schedule,
  mechanism: MechanismId,
  perPeriod: (t: number, S: number, D: number, lp: number, lm: number, pay: (n: number, p: number) => number) => void,
): Settlement {
  checkSchedule(s);
  const T = s.periods;
  const N = s.members.length;
  const dt = s.periodHours;
  const payment = new Float64Array(N * T);
  const gridPayment = new Float64Array(T);
  const buyPrice = new Float64Array(T);
  const sellPrice = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const { supply, demand } = supplyDemand(s, t);
    const lp = s.importPrice[t];
    const lm = s.exportPrice[t];
    perPeriod(t, supply, demand, lp, lm, (n, euroPerHour) => (payment[n * T + t] = euroPerHour * dt));
    // The grid is paid the community's net bill.
    gridPayment[t] = -communityBill(supply, demand, lp, lm) * dt;
    const avg = averagePrices(s, payment, t);
    buyPrice[t] = avg.buy;
    sellPrice[t] = avg.sell;
  }
  return { mechanism, payment, gridPayment, buyPrice, sellPrice };
}

/**
 * Bill sharing: the community's net bill is shared among the period's consumers in proportion to
 * their consumption; when the community exports, the (negative) bill — a credit — is shared among
 * its producers in proportion to their generation. A balanced period costs nobody anything.
 */
export function billSharing(s: Schedule): Settlement {
  const T = s.periods;
  return settle(s, "bill_sharing", (t, S, D, lp, lm, pay) => {
    const bill = communityBill(S, D, lp, lm);
    for (let n = 0; n < s.members.length; n++) {
      const p = s.power[n * T + t];
      if (isBalanced(S, D)) pay(n, 0);
      else if (D > S) pay(n, p < 0 ? (bill * -p) / D : 0);
      else if (S > D) pay(n, p > 0 ? (bill * p) / S : 0);
      else pay(n, 0);
    }
  });
}

/** Mid-market rate: buyers pay, sellers receive the per-unit prices of `midMarketPrices`. */
export function midMarket(s: Schedule): Settlement {
  const T = s.periods;
  return settle(s, "mid_market", (t, S, D, lp, lm, pay) => {
    const pr = midMarketPrices(S, D, lp, lm);
    for (let n = 0; n < s.members.length; n++) {
      const p = s.power[n * T + t];
      pay(n, p < 0 ? pr.buy * -p : -pr.sell * p);
    }
  });
}

/** Supply–demand ratio: buyers pay, sellers receive the per-unit prices of `sdrPrices`. */
export function supplyDemandRatio(s: Schedule): Settlement {
  const T = s.periods;
  return settle(s, "supply_demand_ratio", (t, S, D, lp, lm, pay) => {
    const pr = sdrPrices(S, D, lp, lm);
    for (let n = 0; n < s.members.length; n++) {
      const p = s.power[n * T + t];
      pay(n, p < 0 ? pr.buy * -p : -pr.sell * p);
    }
  });
}

/** Largest |Σ_n payment[n,t] + gridPayment[t]| over the periods, €. */
export function budgetImbalance(s: Schedule, st: Settlement): number {
  const T = s.periods;
  let worst = 0;
  for (let t = 0; t < T; t++) {
    let sum = st.gridPayment[t];
    for (let n = 0; n < s.members.length; n++) sum += st.payment[n * T + t];
    worst = Math.max(worst, Math.abs(sum));
  }
  return worst;
}
