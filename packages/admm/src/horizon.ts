/**
 * Multi-period markets as the engine sees them (docs/multi-period.md).
 *
 * A market over T periods of Δ hours is laid out as a single-period MarketArrays whose agents are
 * "period agents": engine agent `n·T + t` is original agent n in period t, and its trades are the
 * trades of n in period t (partners `m·T + t`). The trading graph is the same in every period, so
 * reciprocity, the price update and the residuals of docs/admm.md are unchanged, per directed trade and
 * period. Engine costs are per hour: multiply money by Δ to get € over the horizon.
 *
 * For a period agent, `a`, `b`, `pMin`, `pMax` describe the agent's OWN power g_{n,t} (cost
 * f_{n,t}(g), bounds [p̲_{n,t}, p̄_{n,t}]). An agent with storage adds charge c_t and discharge
 * d_t: its net power in period t is p_{n,t} = g_{n,t} + d_t − c_t, within
 * [p̲_{n,t} − chargeMax, p̄_{n,t} + dischargeMax] (the bounds its trades are built from). The T
 * period agents of a storage agent are coupled by the state of charge and are solved together
 * (`solveStorageLocal`); every other period agent is solved by the single-period `solveLocal`.
 *
 * With T = 1 and no storage, this is exactly the single-period market.
 */

/** The batteries of a multi-period market, columnar: one entry per storage agent. */
export interface StorageArrays {
  /** Number of storage agents. */
  count: number;
  /** Engine index of the storage agent's period-0 agent; its periods are first .. first + T − 1. */
  first: Int32Array;
  /** Bounds of the stored energy E_t (MWh). soc_max defaults to energy_capacity. */
  socMin: Float64Array;
  socMax: Float64Array;
  /** 0 ≤ c_t ≤ chargeMax, 0 ≤ d_t ≤ dischargeMax (MW). */
  chargeMax: Float64Array;
  dischargeMax: Float64Array;
  /** Efficiencies in (0, 1]: E_t = E_{t−1} + Δ (ηc c_t − d_t / ηd). */
  etaCharge: Float64Array;
  etaDischarge: Float64Array;
  /** E_0 and the least allowed E_T (MWh). */
  socInitial: Float64Array;
  socFinalMin: Float64Array;
  /** Cost per MWh of throughput: Δ · throughputCost · (c_t + d_t) over the horizon (per hour in the engine). */
  throughputCost: Float64Array;
}

/** The time structure of a market; absent (or periods = 1 without storage) for a single-period market. */
export interface HorizonArrays {
  /** T ≥ 1. */
  periods: number;
  /** Δ in hours. */
  periodHours: number;
  storage: StorageArrays;
  /** Per engine agent: the index in `storage` of its storage agent, or −1. */
  storageOf: Int32Array;
  /**
   * Per engine agent: the charge c_t and discharge d_t of the last local solve (0 for agents
   * without storage). Written by the storage local solve; may live on SharedArrayBuffers.
   */
  charge: Float64Array;
  discharge: Float64Array;
}

/** Engine index of original agent n in period t. */
export function periodAgent(n: number, t: number, periods: number): number {
  return n * periods + t;
}

/** Storage columns for `count` batteries, every entry 0 (to be filled in). */
export function storageColumns(count: number): StorageArrays {
  const f = () => new Float64Array(count);
  return {
    count,
    first: new Int32Array(count),
    socMin: f(),
    socMax: f(),
    chargeMax: f(),
    dischargeMax: f(),
    etaCharge: f(),
    etaDischarge: f(),
    socInitial: f(),
    socFinalMin: f(),
    throughputCost: f(),
  };
}

/** Empty storage columns. */
export function noStorage(): StorageArrays {
  return storageColumns(0);
}
