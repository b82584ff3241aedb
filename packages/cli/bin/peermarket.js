#!/usr/bin/env node
import { bundleEntry } from "./bundle-entry.js";

// A closed pipe (`peermarket solve … | head`) ends the output quietly, as other commands do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err && err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// The bundle (`npm run build` in this package: a few large modules load much faster than the few
// hundred of dist/) when it is up to date, else the compiled modules of dist/ (README.md).
const entry = bundleEntry(new URL("../dist/bundle/", import.meta.url), process.env.PEERMARKET_BUNDLE);
const { main } = await import(entry ?? "../dist/main.js");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`peermarket: internal error: ${err && err.stack ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
