#!/usr/bin/env node
/** `npm run demo`: the service end to end on case39b_31a, then the day-long community (see demo.ts). */
import { demo } from "./demo.js";

await demo();
