import { createHash } from "node:crypto";
import type { ExpandedMarket } from "./expanded-types.js";

/**
 * A SHA-256 fingerprint of an expanded market's agents (ids, in order) and kept pairs: equal for
 * "the same market" whatever its costs, bounds or charges, so a previous solution can warm-start it.
 */
export function marketFingerprint(x: ExpandedMarket): string {
  const h = createHash("sha256");
  h.update("peermarket-market-v1\n");
  h.update(JSON.stringify(x.agentIds));
  h.update("\n");
  h.update(new Uint8Array(x.pairFirst.buffer, x.pairFirst.byteOffset, x.pairFirst.byteLength));
  h.update(new Uint8Array(x.pairSecond.buffer, x.pairSecond.byteOffset, x.pairSecond.byteLength));
  return h.digest("hex");
}
