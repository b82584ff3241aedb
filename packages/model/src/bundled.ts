import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseMatpower } from "./matpower.js";
import type { MatpowerCase } from "./matpower-types.js";
import { ScenarioError } from "./scenario-error.js";
import type { Network } from "./types.js";

/** The package's `cases/` directory, found from this module (works from dist/ and from an installed copy). */
const casesDir = fileURLToPath(new URL("../cases/", import.meta.url));

let names: string[] | undefined;
const texts = new Map<string, string>();
/**
 * Parsed cases by their text: markets of a service share a few networks, parsed once each. Bounded
 * by the bytes the entries hold (the text and the parsed matrices), not by their count: a few cases
 * of 200 000 buses take gigabytes as JS arrays.
 */
const parsed = new Map<string, { c: MatpowerCase; bytes: number }>();
let parsedBytes = 0;
/** Byte budget of the parsed-case cache. */
export const PARSED_CACHE_BYTES = 64 * 1024 * 1024;

/** Estimated bytes held by a cached case: its text (2 bytes a character) and its rows of doubles. */
export function parsedCaseBytes(text: string, c: MatpowerCase): number {
  let n = 2 * text.length;
  for (const m of [c.bus, c.gen, c.branch, c.gencost, ...Object.values(c.extra ?? {})])
    for (const row of m ?? []) n += 40 + 8 * row.length;
  return n;
}

/** Entries and estimated bytes of the parsed-case cache. */
export function parsedCaseCacheUsage(): { entries: number; bytes: number; limit: number } {
  return { entries: parsed.size, bytes: parsedBytes, limit: PARSED_CACHE_BYTES };
}

/** Parses a case, or returns the case already parsed from the same text (treat it as read-only). */
function parseCached(text: string, source: string): MatpowerCase {
  const hit = parsed.get(text);
  if (hit) {
    parsed.delete(text);
    parsed.set(text, hit); // most recently used last
    return hit.c;
  }
  const c = parseMatpower(text, source);
  const bytes = parsedCaseBytes(text, c);
  if (bytes > PARSED_CACHE_BYTES) return c; // larger than the whole cache: not kept
  parsed.set(text, { c, bytes });
  parsedBytes += bytes;
  for (const [key, e] of parsed) {
    if (parsedBytes <= PARSED_CACHE_BYTES) break;
    parsed.delete(key);
    parsedBytes -= e.bytes;
  }
  return c;
}

/** Names of the MATPOWER cases shipped with the package (`case14`, `case39b_31a`, ...), sorted. */
export function bundledCaseNames(): string[] {
  names ??= readdirSync(casesDir)
    .filter((f) => f.endsWith(".m"))
    .map((f) => f.slice(0, -2))
    .sort();
  return [...names];
}

/**
 * The text of a bundled case. Throws a ScenarioError listing the available names when `name`
 * is not one of them; `path` is the field that named it, for the error.
 */
export function readBundledCase(name: string, path = ""): string {
  let text = texts.get(name);
  if (text !== undefined) return text;
  const available = bundledCaseNames();
  if (!available.includes(name)) {
    throw new ScenarioError(`unknown bundled case ${JSON.stringify(name)}; available: ${available.join(", ")}`, {
      path,
    });
  }
  text = readFileSync(join(casesDir, `${name}.m`), "utf8");
  texts.set(name, text);
  return text;
}

/**
 * The MATPOWER case of a market's network: its inline text (`matpower`) or a bundled case
 * (`bundledCase`), parsed; null when neither is set. `path` prefixes error paths (default
 * "network"): a parse error of inline text names `network.matpower` with its line and column.
 * Parsed cases are cached by text: the same text gives the same object, which callers must not
 * modify.
 */
export function resolveNetworkCase(network: Network, path = "network"): MatpowerCase | null {
  const hasText = network.matpower !== undefined && network.matpower !== null;
  const hasName = network.bundledCase !== undefined && network.bundledCase !== null;
  let member = network.source;
  if (member === undefined) {
    if (hasText && hasName) throw new ScenarioError("only one of matpower, bundledCase may be set", { path });
    member = hasText ? "matpower" : hasName ? "bundledCase" : undefined;
  }
  if (member === "matpower") {
    const text = network.matpower ?? "";
    if (text.trim() === "")
      throw new ScenarioError("is empty; give the text of a MATPOWER case", { path: `${path}.matpower` });
    return parseCached(text, `${path}.matpower`);
  }
  if (member === "bundledCase") {
    const name = network.bundledCase ?? "";
    return parseCached(readBundledCase(name, `${path}.bundledCase`), `${name}.m`);
  }
  return null;
}

/** What a bundled case holds and what it is for (`peermarket cases`). */
export interface BundledCaseInfo {
  name: string;
  buses: number;
  branches: number;
  /** In-service generators: the agents of the case as a market (a buyer when its PMIN < 0). */
  gens: number;
  /** Agents that can sell (PMAX > 0) and buy (PMIN < 0) among them. */
  sellers: number;
  buyers: number;
  /** Buses with a positive load Pd, and their total (MW): demand that only --loads-as-buyers turns into agents. */
  loads: number;
  loadMw: number;
  purpose: string;
}

const PURPOSES: Record<string, string> = {
  case14: "IEEE 14-bus transmission grid: a network for JSON scenarios (--network), or a market with --loads-as-buyers",
  case39: "IEEE 39-bus New England grid: a network (--network), or a market with --loads-as-buyers",
  case118: "IEEE 118-bus grid: a larger network, or a market with --loads-as-buyers",
  case300: "IEEE 300-bus grid: the largest network, or a market with --loads-as-buyers",
  case33bw: "Baran-Wu 33-bus distribution feeder: a network for community scenarios (examples/community.json)",
  case69: "Baran-Wu 69-bus distribution feeder: a network for community scenarios",
  case39b_31a:
    "Baroche et al. (2019) 31-agent P2P market on the 39-bus grid: a ready market (10 producers, 21 consumers)",
};

/** What a bundled case holds: counts from its data, and what it is for. */
export function bundledCaseInfo(name: string): BundledCaseInfo {
  const c = parseCached(readBundledCase(name), `${name}.m`);
  const gens = c.gen.filter((g) => g[7] > 0);
  const loads = c.bus.filter((b) => b[2] > 0);
  return {
    name,
    buses: c.bus.length,
    branches: c.branch.length,
    gens: gens.length,
    sellers: gens.filter((g) => g[8] > 0).length,
    buyers: gens.filter((g) => g[9] < 0).length,
    loads: loads.length,
    loadMw: loads.reduce((s, b) => s + b[2], 0),
    purpose: PURPOSES[name] ?? "",
  };
}
