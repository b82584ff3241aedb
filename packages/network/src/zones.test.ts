import { test } from "node:test";
import assert from "node:assert/strict";
import { dcNetwork } from "./dc.js";
import { branchRow, busRow, caseOf } from "./testing/cases.js";
import { explicitZoneDistances, zonalDistance, zoneAdjacency, zoneHops } from "./zones.js";

// Areas 1–2–3–4 in a chain; an out-of-service branch would join areas 1 and 4.
const chain = () =>
  caseOf(
    "chain",
    [busRow(1, 3, 1), busRow(2, 1, 1), busRow(3, 1, 2), busRow(4, 1, 3), busRow(5, 1, 4)],
    [
      branchRow(1, 2, 0.1),
      branchRow(2, 3, 0.1),
      branchRow(3, 4, 0.1),
      branchRow(4, 5, 0.1),
      branchRow(1, 5, 0.1, 0, 0, 0),
    ],
  );

test("zones are adjacent only through in-service branches", () => {
  const g = zoneAdjacency(dcNetwork(chain()));
  assert.deepEqual([...g.keys()].sort(), ["1", "2", "3", "4"]);
  assert.deepEqual([...g.get("1")!], ["2"]);
  assert.deepEqual([...g.get("3")!].sort(), ["2", "4"]);
});

test("hop counts are shortest paths on the zone graph", () => {
  const hops = zoneHops(zoneAdjacency(dcNetwork(chain())), "1");
  assert.deepEqual(Object.fromEntries(hops), { "1": 0, "2": 1, "3": 2, "4": 3 });
  const withTie = chain();
  withTie.branch[4][10] = 1; // the 1–5 tie closes the ring: zone 4 becomes adjacent to zone 1
  assert.equal(zoneHops(zoneAdjacency(dcNetwork(withTie)), "1").get("4"), 1);
});

test("explicit distances override hop counts symmetrically; inside a zone 0 unless listed", () => {
  const d = zonalDistance(dcNetwork(chain()), [
    { zoneA: "3", zoneB: "1", distance: 0.5 },
    { zoneA: "2", zoneB: "2", distance: 0.1 },
  ]);
  assert.equal(d("1", "3"), 0.5);
  assert.equal(d("3", "1"), 0.5);
  assert.equal(d("1", "4"), 3);
  assert.equal(d("2", "2"), 0.1);
  assert.equal(d("4", "4"), 0);
});

test("zones outside the network need explicit distances", () => {
  const net = dcNetwork(chain());
  const d = zonalDistance(net, [{ zoneA: "north", zoneB: "1", distance: 2 }]);
  assert.equal(d("north", "1"), 2);
  assert.throws(
    () => d("north", "2"),
    /zone "north" is not an area of the network chain \(areas 1, 2, 3, 4\); list its distance to zone "2"/,
  );
  const noNet = zonalDistance(null, [{ zoneA: "a", zoneB: "b", distance: 1 }]);
  assert.equal(noNet("b", "a"), 1);
  assert.equal(noNet("a", "a"), 0);
  assert.throws(() => noNet("a", "c"), /no distance between zones "a" and "c"/);
});

test("zones in disconnected parts of the zone graph are an error", () => {
  // dcNetwork rejects islands, so cut the 2–3 branch after the check.
  const net = dcNetwork(chain());
  net.status[1] = 0;
  const d = zonalDistance(net, []);
  assert.equal(d("3", "4"), 1);
  assert.throws(() => d("1", "3"), /zones "1" and "3" are not connected by in-service branches in the network chain/);
});

test("explicit lists are validated", () => {
  assert.throws(
    () => explicitZoneDistances([{ zoneA: "a", zoneB: "", distance: 1 }]),
    /zoneDistances\[0\]: zoneA and zoneB must both be set/,
  );
  assert.throws(
    () => explicitZoneDistances([{ zoneA: "a", zoneB: "b", distance: -1 }]),
    /must be finite and ≥ 0, got -1/,
  );
  assert.throws(
    () =>
      explicitZoneDistances([
        { zoneA: "a", zoneB: "b", distance: 1 },
        { zoneA: "b", zoneB: "a", distance: 2 },
      ]),
    /zoneDistances\[1\]: zones "b" and "a" are given two distances, 1 and 2/,
  );
});
