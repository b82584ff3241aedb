import {
  type ExpandedMarket,
  type Market,
  type MatpowerCase,
  type NetworkCharges,
  MarketValidationError,
  resolveNetworkCase,
  ScenarioError,
} from "@peermarket/model";
import { chargesSomething, dcNetwork, type DcNetwork, pairDistances, type PairDistances, ptdf as computePtdf } from "@peermarket/network";

/** The network side of a market: its DC model (if any), charges and pair distances. */
export interface NetworkContext {
  net: DcNetwork | null;
  /** The charges with defaults filled (design NONE when the market has none). */
  charges: NetworkCharges;
  /** Whether the design charges anything. */
  charging: boolean;
  distances: PairDistances;
  /** The PTDF of `net`, computed on first use (line flows, electrical distances). */
  ptdf(): Float64Array | null;
}

const FIELD_PATH = /^((?:agents|pairs|preferences|network|charges|grid)(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*): (.*)$/s;

/**
 * Runs `f`, turning a plain Error about the market's network or charges into a
 * MarketValidationError with its field path (taken from the message when it starts with one).
 */
export function asMarketError<T>(defaultPath: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MarketValidationError || e instanceof ScenarioError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const match = FIELD_PATH.exec(message);
    throw new MarketValidationError([match ? { path: match[1], message: match[2] } : { path: defaultPath, message }]);
  }
}

/** Charges of a market with the defaults of DESIGN §3 (no charges: design NONE, fee 0). */
export function resolvedCharges(market: Market): NetworkCharges {
  const c = market.charges;
  return {
    design: c?.design ?? "CHARGE_DESIGN_NONE",
    unitFee: c?.unitFee ?? 0,
    sellerShare: c?.sellerShare ?? 0.5,
    targetRevenue: c?.targetRevenue,
    zoneDistances: c?.zoneDistances ?? [],
  };
}

/** DC models and PTDFs of the cases seen (parsed cases are cached by the model; these follow them). */
const dcCache = new WeakMap<MatpowerCase, { net: DcNetwork; ptdf?: Float64Array }>();

/** Builds the network context of an expanded market. */
export function networkContext(x: ExpandedMarket): NetworkContext {
  const market = x.market;
  const charges = resolvedCharges(market);
  const entry = asMarketError("network", () => {
    const c = x.networkCase !== undefined ? x.networkCase : market.network ? resolveNetworkCase(market.network) : null;
    if (!c) return null;
    let e = dcCache.get(c);
    if (!e) {
      e = { net: dcNetwork(c) };
      dcCache.set(c, e);
    }
    return e;
  });
  const net = entry?.net ?? null;
  const ptdf = () => {
    if (!entry) return null;
    entry.ptdf ??= asMarketError("network", () => computePtdf(entry.net));
    return entry.ptdf;
  };
  const distances = asMarketError("charges", () =>
    pairDistances(x, net, charges, charges.design === "CHARGE_DESIGN_ELECTRICAL_DISTANCE" ? (ptdf() ?? undefined) : undefined),
  );
  return { net, charges, charging: chargesSomething(charges.design), distances, ptdf };
}
