import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { silentLogger, startServer } from "@peermarket/market-service";

const PYTHON = "/usr/bin/python3";
const bin = fileURLToPath(new URL("../bin/peermarket.js", import.meta.url));
const exec = promisify(execFile);

let server: Awaited<ReturnType<typeof startServer>>;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "pm-python-client-"));
  server = await startServer({
    host: "127.0.0.1",
    port: 0,
    storePath: join(dir, "store.db"),
    workers: 1,
    logger: silentLogger,
  });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test("peermarket python-client DIR + export: a Python client in one step, no protoc (Debian's python3-grpcio and python3-protobuf)", async () => {
  const probe = spawnSync(PYTHON, ["-c", "import grpc, google.protobuf"], { encoding: "utf8" });
  assert.equal(
    probe.status,
    0,
    `${PYTHON} cannot import grpc and google.protobuf: apt-get install python3-grpcio python3-protobuf (${probe.stderr})`,
  );
  const client = join(dir, "client");
  // asynchronously: the service runs in this process and must keep answering
  const wrote = await exec(process.execPath, [bin, "python-client", client], { timeout: 60_000 });
  assert.match(wrote.stdout, /solve\.py/);
  for (const f of ["peermarket_client.py", "solve.py", "peermarket.binpb"]) assert.ok(existsSync(join(client, f)), f);
  const scenario = join(dir, "case39b_31a.json");
  await exec(process.execPath, [bin, "export", "case39b_31a", "--out", scenario], { timeout: 60_000 });

  // the example script: the Solution as proto3 JSON with every field present
  const solved = await exec(PYTHON, [join(client, "solve.py"), server.address, scenario, "--json"], {
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  const s = JSON.parse(solved.stdout) as { status: string; id: string; trades: { power: number; price: number }[] };
  assert.equal(s.status, "SOLVE_STATUS_SOLVED");
  assert.ok(
    s.trades.every((t) => "power" in t && "price" in t),
    "every trade has its power, zero or not",
  );
  const flowing = s.trades.filter((t) => t.power > 1e-6);
  assert.ok(flowing.length > 150, `${flowing.length} trades carry power`);
  for (const t of flowing) assert.ok(Math.abs(t.price - 57.23) <= 0.01, String(t.price));
  const table = await exec(PYTHON, [join(client, "solve.py"), server.address, scenario], { timeout: 60_000 });
  assert.match(table.stdout, /SOLVE_STATUS_SOLVED after \d+ iterations/);

  // the module: every RPC by name, requests as dicts or messages, streaming included
  const program = join(dir, "rpcs.py");
  writeFileSync(
    program,
    `import json, sys
sys.path.insert(0, ${JSON.stringify(client)})
from peermarket_client import MarketClient, load_scenario, to_dict
market = load_scenario(${JSON.stringify(scenario)})
market.charges.design = 3  # CHARGE_DESIGN_ELECTRICAL_DISTANCE
market.charges.unit_fee = 10
with MarketClient(${JSON.stringify(server.address)}) as c:
    events = list(c.stream_solve_market({"market": json.loads(__import__("google.protobuf.json_format", fromlist=["x"]).MessageToJson(market)), "progressInterval": 5}))
    solution = events[-1].solution
    got = c.get_solution(id=solution.id, view="SOLUTION_VIEW_FULL")
    listed = c.list_solutions({"pageSize": 10})
    report = c.get_network_charges(solution_id=solution.id)
    print(json.dumps({"events": len(events), "status": to_dict(solution)["status"], "same": got.objective == solution.objective,
                      "listed": [s.id for s in listed.solutions], "id": solution.id, "collected": report.total_collected,
                      "methods": sorted(c.methods)}))
`,
  );
  const rpcs = JSON.parse((await exec(PYTHON, [program], { timeout: 60_000 })).stdout) as {
    events: number;
    status: string;
    same: boolean;
    listed: string[];
    id: string;
    collected: number;
    methods: string[];
  };
  assert.ok(rpcs.events >= 2, "progress events, then the solution");
  assert.equal(rpcs.status, "SOLVE_STATUS_SOLVED");
  assert.ok(rpcs.same);
  assert.ok(rpcs.listed.includes(rpcs.id));
  assert.ok(rpcs.collected > 0);
  assert.ok(rpcs.methods.includes("SolveMarket") && rpcs.methods.includes("GetNetworkCharges"));
});
