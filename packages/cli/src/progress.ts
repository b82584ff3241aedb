import { createRequire } from "node:module";
import type { SolveProgress } from "@peermarket/model";

// cli-progress is loaded only when a bar is shown (a terminal), not by `solve --json` or in pipes.
const require = createRequire(import.meta.url);

/** A progress bar on stderr while iterating (only on a terminal). */
export interface ProgressBar {
  update(p: SolveProgress): void;
  stop(): void;
}

/** A cli-progress bar over max_iter showing the residuals and ρ; a no-op when stderr is not a TTY. */
export function progressBar(maxIter: number, enabled: boolean): ProgressBar {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const cliProgress = require("cli-progress") as typeof import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "ADMM {bar} {value}/{total} it | primal {primal} | dual {dual} | rho {rho} | {elapsed}s",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(maxIter, 0, { primal: "-", dual: "-", rho: "-", elapsed: "0.00" });
  return {
    update(p) {
      bar.update(Math.min(p.iteration, maxIter), {
        primal: p.primalResidual.toExponential(2),
        dual: p.dualResidual.toExponential(2),
        rho: p.rho.toPrecision(3),
        elapsed: p.elapsedS.toFixed(2),
      });
    },
    stop() {
      bar.stop();
    },
  };
}
