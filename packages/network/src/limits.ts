import type { DcNetwork } from "./dc.js";

/**
 * Size limits of the network work a request may cause. Networks and markets within them are
 * handled in bounded time and memory (see docs/network-matrices.md).
 */
export interface NetworkLimits {
  /** Buses of a network. */
  maxBuses: number;
  /** Branches of a network. */
  maxBranches: number;
  /**
   * Electrical distances: distinct bus pairs of the market's trading pairs × branches, the number
   * of |PTDF_li − PTDF_lj| terms to sum, plus the PTDF columns of the agents' buses (buses × branches).
   */
  maxDistanceWork: number;
  /** Entries of the dense PTDF (branches × buses), for reports that ask for the whole matrix. */
  maxDensePtdfEntries: number;
  /** Entries of the sparse factor of Bbus per bus (a meshed grid needs a few). */
  maxFactorEntriesPerBus: number;
}

export const DEFAULT_NETWORK_LIMITS: NetworkLimits = {
  maxBuses: 100_000,
  maxBranches: 200_000,
  maxDistanceWork: 2_000_000_000,
  maxDensePtdfEntries: 50_000_000,
  maxFactorEntriesPerBus: 200,
};

/** A network or the work it asks for is over a limit; the message says which and by how much. */
export class NetworkLimitError extends Error {
  constructor(
    message: string,
    readonly limit: keyof NetworkLimits,
  ) {
    super(message);
    this.name = "NetworkLimitError";
  }
}

/** Throws NetworkLimitError when the network has more buses or branches than allowed. */
export function checkNetworkSize(net: DcNetwork, limits: Partial<NetworkLimits> = {}): void {
  const maxBuses = limits.maxBuses ?? DEFAULT_NETWORK_LIMITS.maxBuses;
  const maxBranches = limits.maxBranches ?? DEFAULT_NETWORK_LIMITS.maxBranches;
  if (net.nBus > maxBuses) {
    throw new NetworkLimitError(
      `network ${net.name}: ${net.nBus} buses, over the limit of ${maxBuses} buses per network (maxBuses)`,
      "maxBuses",
    );
  }
  if (net.nBranch > maxBranches) {
    throw new NetworkLimitError(
      `network ${net.name}: ${net.nBranch} branches, over the limit of ${maxBranches} branches per network (maxBranches)`,
      "maxBranches",
    );
  }
}
