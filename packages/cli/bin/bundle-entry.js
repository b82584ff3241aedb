import { readFileSync, statSync } from "node:fs";

/**
 * Which build of the command to run: the bundle in `dir` (built by scripts/bundle.mjs) when it
 * exists and none of its inputs has changed since it was built, else null (then dist/main.js).
 *
 * The bundle's manifest.json names a few files whose modification times stand for its inputs (the
 * packages' dist/.tsbuildinfo, node_modules/.package-lock.json): a `tsc -b` or `npm install` after
 * the bundle was built makes it stale. `mode` is PEERMARKET_BUNDLE: "0" never runs the bundle,
 * "1" runs it whenever it exists, even when stale (for comparing the two builds).
 *
 * @param {URL} dir the bundle's directory (ending in "/")
 * @param {string | undefined} mode
 * @returns {string | null} the URL of the bundle's entry module
 */
export function bundleEntry(dir, mode) {
  if (mode === "0") return null;
  try {
    const manifest = JSON.parse(readFileSync(new URL("manifest.json", dir), "utf8"));
    if (mode !== "1")
      for (const file of manifest.watch) if (statSync(new URL(file, dir)).mtimeMs > manifest.builtMs) return null;
    return new URL("main.js", dir).href;
  } catch {
    return null;
  }
}
