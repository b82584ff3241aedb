import type { Suite } from "../suite.js";
import { convergenceSuite } from "./convergence.js";

/** Every suite, in the order they run. */
export const suites: Suite[] = [convergenceSuite];
