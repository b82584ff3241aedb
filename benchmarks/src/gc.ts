import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection now, without `--expose-gc` on the command line (the flag set at run
 * time, `gc` taken from a new context): memory measured after it is what is still reachable.
 */
export function fullCollection(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
