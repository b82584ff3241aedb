import {
  makeCharges,
  type ChargeDesign,
  type ExpandedMarket,
  type Market,
  type MatpowerCase,
  type NetworkCharges,
  MarketValidationError,
  resolveNetworkCase,
  ScenarioError,
} from "@peermarket/model";
import {
  type AbortCheck,
  chargesSomething,
  checkNetworkSize,
  dcNetwork,
  type DcNetwork,
  NetworkLimitError,
  type NetworkLimits,
  neverAbort,
  pairDistances,
  type PairDistances,
  PtdfFactor,
  SolveAbortedError,
} from "@peermarket/network";

/** The network side of a market: its DC model (if any), charges and pair distances. */
export interface NetworkContext {
  net: DcNetwork | null;
  /** The charges with defaults filled (design NONE when the market has none). */
  charges: NetworkCharges;
  /** Whether the design charges anything. */
  charging: boolean;
  distances: PairDistances;
  /**
   * The PTDF of `net` as a sparse factorisation, computed on first use (line flows, electrical
   * distances); `.dense()` gives the matrix.
   */
  ptdf(): PtdfFactor | null;
}

/** Options of `networkContext`. */
export interface NetworkContextOptions {
  /** Called every so often during the network work; throws (SolveAbortedError) to stop it. */
  check?: AbortCheck;
  /** Network-size limits (defaults: @peermarket/network's DEFAULT_NETWORK_LIMITS). */
  limits?: Partial<NetworkLimits>;
  /** A charge design other than the market's (its other charge fields kept). */
  design?: ChargeDesign;
}

const FIELD_PATH =
  /^((?:agents|pairs|preferences|network|charges|grid)(?:\[\d+\])?(?:\.[A-Za-z]+(?:\[\d+\])?)*): (.*)$/s;

/**
 * Runs `f`, turning a plain Error about the market's network or charges into a
 * MarketValidationError with its field path (taken from the message when it starts with one).
 */
export function asMarketError<T>(defaultPath: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (
      e instanceof MarketValidationError ||
      e instanceof ScenarioError ||
      e instanceof SolveAbortedError ||
      e instanceof NetworkLimitError
    )
      throw e;
    const message = e instanceof Error ? e.message : String(e);
    const match = FIELD_PATH.exec(message);
    throw new MarketValidationError([match ? { path: match[1], message: match[2] } : { path: defaultPath, message }]);
  }
}

/** Charges of a market with their defaults (no charges: design NONE, fee 0; seller share ½). */
export function resolvedCharges(market: Market): NetworkCharges {
  const c = market.charges;
  return makeCharges({
    design: c?.design ?? "CHARGE_DESIGN_NONE",
    unitFee: c?.unitFee ?? 0,
    sellerShare: c?.sellerShare ?? 0.5,
    targetRevenue: c?.targetRevenue,
    zoneDistances: c?.zoneDistances ?? [],
  });
}

/**
 * DC models and PTDF factors of the cases seen, most recently used last, bounded by the bytes
 * their arrays hold (and the parsed case they come from), not by their count: a few large
 * networks must not hold a worker's memory. Parsed cases are cached by the model (by text);
 * entries here are keyed by the parsed case object.
 */
interface CacheEntry {
  net: DcNetwork;
  factor?: PtdfFactor;
  bytes: number;
}
const dcCache = new Map<MatpowerCase, CacheEntry>();
let dcCacheBytes = 0;
let dcCacheLimit = 256 * 1024 * 1024;

/** Sets the byte budget of the network cache (default 256 MiB) and evicts down to it; returns the old one. */
export function setNetworkCacheBytes(bytes: number): number {
  const old = dcCacheLimit;
  dcCacheLimit = bytes;
  evict();
  return old;
}

/** Entries and bytes held by the network cache. */
export function networkCacheUsage(): { entries: number; bytes: number; limit: number } {
  return { entries: dcCache.size, bytes: dcCacheBytes, limit: dcCacheLimit };
}

function evict(): void {
  for (const [key, e] of dcCache) {
    if (dcCacheBytes <= dcCacheLimit) break;
    dcCache.delete(key);
    dcCacheBytes -= e.bytes;
  }
}

/** Estimated bytes of a parsed case (JS arrays of doubles: 8 bytes an element, ~40 a row). */
function caseBytes(c: MatpowerCase): number {
  let n = 0;
  for (const m of [c.bus, c.gen, c.branch, c.gencost]) for (const row of m ?? []) n += 40 + 8 * row.length;
  return n;
}

/** Estimated bytes of a DC model: its typed arrays, plus names, areas and the index map per bus. */
function dcBytes(net: DcNetwork): number {
  const arrays =
    net.from.byteLength +
    net.to.byteLength +
    net.x.byteLength +
    net.tap.byteLength +
    net.status.byteLength +
    net.rateA.byteLength;
  return arrays + 120 * net.nBus;
}

function remember(c: MatpowerCase, e: CacheEntry, bytes: number): void {
  dcCacheBytes += bytes - e.bytes;
  e.bytes = bytes;
  if (!dcCache.has(c)) dcCache.set(c, e);
  evict();
}

function lookup(c: MatpowerCase): CacheEntry | undefined {
  const e = dcCache.get(c);
  if (e) {
    dcCache.delete(c);
    dcCache.set(c, e); // most recently used last
  }
  return e;
}

/**
 * Builds the network context of an expanded market. The network's size is checked against the
 * limits before any matrix is built; the PTDF factorisation and the electrical distances poll
 * `options.check`.
 */
export function networkContext(x: ExpandedMarket, options: NetworkContextOptions = {}): NetworkContext {
  const market = x.market;
  const charges = resolvedCharges(market);
  if (options.design !== undefined) charges.design = options.design;
  const check = options.check ?? neverAbort;
  const entry = asMarketError("network", () => {
    const c = x.networkCase !== undefined ? x.networkCase : market.network ? resolveNetworkCase(market.network) : null;
    if (!c) return null;
    let e = lookup(c);
    if (!e) {
      check("reading the network");
      const net = dcNetwork(c);
      e = { net, bytes: 0 };
      remember(c, e, caseBytes(c) + dcBytes(net));
    }
    checkNetworkSize(e.net, options.limits);
    return { c, e };
  });
  const net = entry?.e.net ?? null;
  const ptdf = (): PtdfFactor | null => {
    if (!entry) return null;
    const { c, e } = entry;
    if (!e.factor) {
      const factor = asMarketError("network", () => PtdfFactor.of(e.net, { check, limits: options.limits }));
      e.factor = factor;
      if (dcCache.get(c) === e) remember(c, e, e.bytes + factor.bytes);
    }
    return e.factor;
  };
  const distances = asMarketError("charges", () =>
    pairDistances(
      x,
      net,
      charges,
      charges.design === "CHARGE_DESIGN_ELECTRICAL_DISTANCE" ? (ptdf() ?? undefined) : undefined,
      {
        check,
        limits: options.limits,
      },
    ),
  );
  return { net, charges, charging: chargesSomething(charges.design), distances, ptdf };
}
