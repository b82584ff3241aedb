import highsModule, { type Highs, type ModelStatusCode } from "highs";

type Loader = typeof highsModule.default;
/**
 * `highs` ships CommonJS type declarations with `export default`, so under NodeNext TypeScript
 * types the default import as the whole module, while Node's ESM entry (highs.mjs) exports the
 * loader itself as default. Accept either shape.
 */
const loadHighs: Loader = typeof highsModule === "function" ? (highsModule as Loader) : highsModule.default;

let runtime: Promise<Highs> | undefined;

/** The HiGHS WebAssembly runtime, loaded on first use and shared by every later solve. */
export function getHighs(): Promise<Highs> {
  if (runtime === undefined) {
    runtime = loadHighs().catch((err: unknown) => {
      runtime = undefined;
      throw new Error(`cannot load the HiGHS WebAssembly module: ${err instanceof Error ? err.message : String(err)}`);
    });
  }
  return runtime;
}

const STATUS_NAMES: Record<ModelStatusCode, string> = {
  0: "Not Set",
  1: "Load error",
  2: "Model error",
  3: "Presolve error",
  4: "Solve error",
  5: "Postsolve error",
  6: "Empty",
  7: "Optimal",
  8: "Infeasible",
  9: "Primal infeasible or unbounded",
  10: "Unbounded",
  11: "Bound on objective reached",
  12: "Target for objective reached",
  13: "Time limit reached",
  14: "Iteration limit reached",
  15: "Unknown",
  16: "Solution limit reached",
  17: "Interrupted",
};

/** HiGHS's name of a model status code (as its `modelStatusToString`). */
export function modelStatusName(code: ModelStatusCode): string {
  return STATUS_NAMES[code] ?? `Unknown status ${code}`;
}
