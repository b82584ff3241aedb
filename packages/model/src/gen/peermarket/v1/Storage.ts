// Original file: peermarket/v1/market.proto


/**
 * A battery behind an agent's meter. Charge c_t, discharge d_t (MW), stored energy E_t (MWh):
 * E_t = E_{t-1} + Δ (charge_efficiency·c_t − d_t / discharge_efficiency), E_0 = soc_initial;
 * the agent's net power is its own power + d_t − c_t. A stand-alone battery is an agent with
 * power_min = power_max = 0 and a storage.
 */
export interface Storage {
  /**
   * MWh.
   */
  'energyCapacity'?: (number | string);
  /**
   * Largest charge and discharge power (MW, ≥ 0).
   */
  'chargeMax'?: (number | string);
  'dischargeMax'?: (number | string);
  /**
   * In (0, 1]; default 1.
   */
  'chargeEfficiency'?: (number | string);
  'dischargeEfficiency'?: (number | string);
  /**
   * E_0 (MWh), within [soc_min, soc_max].
   */
  'socInitial'?: (number | string);
  /**
   * Least E_T at the end of the horizon; default soc_initial (the horizon borrows no energy).
   */
  'socFinalMin'?: (number | string);
  /**
   * Bounds of E_t (MWh); soc_max defaults to energy_capacity.
   */
  'socMin'?: (number | string);
  'socMax'?: (number | string);
  /**
   * Cost per MWh charged or discharged (currency/MWh, ≥ 0): Δ·throughput_cost·(c_t + d_t).
   */
  'throughputCost'?: (number | string);
  '_chargeEfficiency'?: "chargeEfficiency";
  '_dischargeEfficiency'?: "dischargeEfficiency";
  '_socFinalMin'?: "socFinalMin";
  '_socMax'?: "socMax";
}

/**
 * A battery behind an agent's meter. Charge c_t, discharge d_t (MW), stored energy E_t (MWh):
 * E_t = E_{t-1} + Δ (charge_efficiency·c_t − d_t / discharge_efficiency), E_0 = soc_initial;
 * the agent's net power is its own power + d_t − c_t. A stand-alone battery is an agent with
 * power_min = power_max = 0 and a storage.
 */
export interface Storage__Output {
  /**
   * MWh.
   */
  'energyCapacity': (number);
  /**
   * Largest charge and discharge power (MW, ≥ 0).
   */
  'chargeMax': (number);
  'dischargeMax': (number);
  /**
   * In (0, 1]; default 1.
   */
  'chargeEfficiency'?: (number);
  'dischargeEfficiency'?: (number);
  /**
   * E_0 (MWh), within [soc_min, soc_max].
   */
  'socInitial': (number);
  /**
   * Least E_T at the end of the horizon; default soc_initial (the horizon borrows no energy).
   */
  'socFinalMin'?: (number);
  /**
   * Bounds of E_t (MWh); soc_max defaults to energy_capacity.
   */
  'socMin': (number);
  'socMax'?: (number);
  /**
   * Cost per MWh charged or discharged (currency/MWh, ≥ 0): Δ·throughput_cost·(c_t + d_t).
   */
  'throughputCost': (number);
  '_chargeEfficiency'?: "chargeEfficiency";
  '_dischargeEfficiency'?: "dischargeEfficiency";
  '_socFinalMin'?: "socFinalMin";
  '_socMax'?: "socMax";
}
