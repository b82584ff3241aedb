import { test } from "node:test";
import assert from "node:assert/strict";
import { lineChart, linearTicks, logTicks, toCsv } from "./index.js";

test("CSV quotes what needs quoting and writes non-finite numbers as words", () => {
  const csv = toCsv([
    { a: 1, b: 'x,"y"', c: Infinity },
    { a: 2.5, b: "plain", c: Number.NaN },
  ]);
  assert.equal(csv, 'a,b,c\n1,"x,""y""",inf\n2.5,plain,nan\n');
  assert.equal(toCsv([{ a: 1, b: 2 }], ["b"]), "b\n2\n");
});

test("ticks are round and cover the range", () => {
  assert.deepEqual(linearTicks(0, 40), [0, 10, 20, 30, 40]);
  assert.deepEqual(linearTicks(0.13, 0.98, 4), [0.25, 0.5, 0.75]);
  assert.deepEqual(logTicks(3, 2e4), [10, 100, 1000, 10000]);
});

test("a chart has one polyline per series with its points, and skips values a log axis cannot show", () => {
  const svg = lineChart({
    title: "residuals <test>",
    xLabel: "iteration",
    yLabel: "residual",
    logY: true,
    series: [
      {
        name: "primal",
        points: [
          [1, 1],
          [2, 0.1],
          [3, 0],
        ],
      },
      {
        name: "dual",
        points: [
          [1, 2],
          [2, 0.2],
          [3, 0.02],
        ],
      },
    ],
  });
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
  assert.match(svg, /residuals &lt;test&gt;/);
  const first = /<polyline[^>]*points="([^"]*)"/.exec(svg)![1].split(" ");
  assert.equal(first.length, 2, "y = 0 dropped on a log axis");
});

test("a chart of a series with hundreds of thousands of points spans their range", () => {
  const n = 300_000;
  const points: [number, number][] = Array.from({ length: n }, (_, i) => [i + 1, 1 + (i % 10)]);
  const svg = lineChart({ title: "long", xLabel: "iteration", yLabel: "value", series: [{ name: "s", points }] });
  assert.match(svg, /<polyline/);
  // The x axis spans the points (ticks every 50 000 up to 300 000), each tick labelled apart.
  const labels = [...svg.matchAll(/text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
  for (const l of ["50000", "1e5", "1.5e5", "2e5", "2.5e5", "3e5"]) assert.ok(labels.includes(l), `${l} in ${labels}`);
});
