import { test } from "node:test";
import assert from "node:assert/strict";
import { dcNetwork, unreachableBus, withReference } from "./dc.js";
import { branchRow, busRow, caseOf } from "./testing/cases.js";

const threeBus = () =>
  caseOf(
    "tri",
    [busRow(10, 1, 2), busRow(20, 3, 5), busRow(35, 2, 5)],
    [branchRow(10, 20, 0.1, 100, 0), branchRow(20, 35, 0.2, 0, 0.95), branchRow(10, 35, 0, 0, 0, 0)],
  );

test("buses keep file order and their case names; the type-3 bus is the reference", () => {
  const net = dcNetwork(threeBus());
  assert.deepEqual(net.busNames, ["10", "20", "35"]);
  assert.equal(net.busIndex.get("35"), 2);
  assert.deepEqual(net.busArea, ["2", "5", "5"]);
  assert.equal(net.reference, 1);
  assert.deepEqual(net.notes, []);
});

test("branches: indices, tap 0 read as 1, status and ratings", () => {
  const net = dcNetwork(threeBus());
  assert.deepEqual([...net.from], [0, 1, 0]);
  assert.deepEqual([...net.to], [1, 2, 2]);
  assert.deepEqual([...net.tap], [1, 0.95, 1]);
  assert.deepEqual([...net.status], [1, 1, 0]);
  assert.deepEqual([...net.rateA], [100, 0, 0]);
});

test("without a type-3 bus the first bus is the reference, with a note", () => {
  const c = threeBus();
  c.bus[1][1] = 2;
  const net = dcNetwork(c);
  assert.equal(net.reference, 0);
  assert.equal(net.notes.length, 1);
  assert.match(net.notes[0], /no bus of type 3.*bus 10 is used as the reference/);
});

test("a branch naming an unknown bus is rejected with its row", () => {
  const c = threeBus();
  c.branch[1][1] = 99;
  assert.throws(() => dcNetwork(c), /branch row 2: to bus 99 is not in the bus matrix/);
});

test("x = 0 on an in-service branch is rejected, on an out-of-service one accepted", () => {
  const c = threeBus();
  c.branch[2][10] = 1;
  assert.throws(() => dcNetwork(c), /branch row 3 \(10–35\): reactance x = 0 on an in-service branch/);
});

test("an islanded bus is named", () => {
  const c = threeBus();
  c.branch[1][10] = 0; // 20–35 out of service, 10–35 already out: bus 35 is cut off
  assert.throws(() => dcNetwork(c), /bus 35 is not connected to the reference bus 20/);
});

test("duplicate bus numbers are rejected", () => {
  const c = threeBus();
  c.bus[2][0] = 10;
  assert.throws(() => dcNetwork(c), /bus row 3: bus number 10 appears twice/);
});

test("an empty case is rejected", () => {
  assert.throws(() => dcNetwork(caseOf("empty", [], [])), /network empty: the case has no buses/);
});

test("withReference moves the slack and rejects unknown buses", () => {
  const net = dcNetwork(threeBus());
  assert.equal(withReference(net, "35").reference, 2);
  assert.equal(net.reference, 1);
  assert.equal(unreachableBus(withReference(net, "10")), -1);
  assert.throws(() => withReference(net, "4"), /reference bus "4" is not in the network/);
});
