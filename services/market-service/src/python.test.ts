import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { marketToJson } from "@peermarket/model";
import { protoFiles, protoRoot } from "@peermarket/proto";
import { case39bMarket } from "./case39b.js";
import { startTestService, type TestService } from "./test-support.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../python/solve_case39b.py", import.meta.url));

let svc: TestService;
let dir: string;
before(async () => {
  svc = await startTestService();
  dir = mkdtempSync(join(tmpdir(), "peermarket-python-"));
});
after(async () => {
  await svc.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a Python grpcio client with stubs generated from the protos clears case39b_31a at 57.23 €/MWh", async () => {
  const probe = spawnSync(PYTHON, ["-c", "import grpc, grpc_tools.protoc, google.protobuf"], { encoding: "utf8" });
  assert.equal(
    probe.status,
    0,
    `${PYTHON} cannot import grpc and grpc_tools (${(probe.stderr || probe.error?.message || "").trim()}): install Debian's python3-grpcio python3-grpc-tools (apt-get install python3-grpcio python3-grpc-tools)`,
  );
  const stubs = generateStubs(join(dir, "stubs"));
  const scenario = join(dir, "case39b_31a.json");
  writeFileSync(scenario, JSON.stringify(marketToJson(case39bMarket())));
  // asynchronously: the service runs in this process and must keep answering
  const run = await promisify(execFile)(PYTHON, [SCRIPT, svc.server.address, scenario, stubs], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = run.stdout.trim().split("\n");
  const summary = lines.pop() ?? "";
  assert.match(summary, /^# solution sol_\w+ SOLVE_STATUS_SOLVED /);
  assert.ok(lines.length > 0, "some trades carry power");
  for (const line of lines) {
    const [seller, buyer, power, price] = line.split(" ");
    assert.ok(Number(power) > 0, line);
    assert.ok(Math.abs(Number(price) - 57.23) <= 0.01, `${seller}→${buyer} priced ${price}`);
  }
});

/**
 * Generates the Python modules of the API with grpc_tools.protoc. Debian 12's python3-grpc-tools
 * bundles protoc 3.5.1, which predates proto3 `optional`; for it the protos are compiled from a
 * copy without the `optional` labels (the same wire format; Python then cannot tell an unset
 * optional field from its default, which this client does not need).
 */
function generateStubs(out: string): string {
  mkdirSync(out, { recursive: true });
  const compile = (root: string) =>
    spawnSync(
      PYTHON,
      ["-m", "grpc_tools.protoc", "-I", root, `--python_out=${out}`, `--grpc_python_out=${out}`, ...protoFiles],
      { encoding: "utf8" },
    );
  let result = compile(protoRoot);
  if (result.status !== 0 && /Explicit 'optional' labels are disallowed/.test(result.stderr)) {
    const copy = join(dir, "protos-without-optional");
    for (const file of protoFiles) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      writeFileSync(join(copy, file), readFileSync(join(protoRoot, file), "utf8").replace(/^(\s*)optional\s+/gm, "$1"));
    }
    result = compile(copy);
  }
  assert.equal(result.status, 0, `grpc_tools.protoc failed: ${result.stderr}`);
  return out;
}
