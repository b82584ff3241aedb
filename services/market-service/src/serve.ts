#!/usr/bin/env node
/** `npm start`: the service with flags from the command line and PEERMARKET_* variables. */
import { serveCommand } from "./main.js";

process.exitCode = await serveCommand(process.argv.slice(2));
