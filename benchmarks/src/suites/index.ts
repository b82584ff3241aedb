import type { Suite } from "../suite.js";
import { chargesSuite } from "./charges.js";
import { convergenceSuite } from "./convergence.js";
import { floorSuite } from "./floor.js";
import { mechanismsSuite } from "./mechanisms.js";
import { multiperiodSuite } from "./multiperiod.js";
import { peerSuite } from "./peer.js";
import { polishSuite } from "./polish.js";
import { referenceSuite } from "./reference.js";
import { scalingSuite } from "./scaling.js";
import { serviceSuite } from "./service.js";
import { setupSuite } from "./setup.js";
import { warmstartSuite } from "./warmstart.js";
import { workersSuite } from "./workers.js";

/** Every suite, in the order they run. */
export const suites: Suite[] = [
  convergenceSuite,
  chargesSuite,
  scalingSuite,
  referenceSuite,
  floorSuite,
  workersSuite,
  warmstartSuite,
  multiperiodSuite,
  polishSuite,
  peerSuite,
  setupSuite,
  mechanismsSuite,
  serviceSuite,
];
