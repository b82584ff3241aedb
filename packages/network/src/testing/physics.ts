import assert from "node:assert/strict";
import type { MatpowerCase } from "@peermarket/model";
import { dcNetwork, withReference, type DcNetwork } from "../dc.js";
import { electricalDistance } from "../distance.js";
import { ptdf } from "../ptdf.js";
import { rng } from "./cases.js";
import { dcPowerFlow } from "./power-flow.js";

/** PTDF (row-major, nBus columns) times a bus vector. */
export function multiply(h: Float64Array, nBus: number, inj: Float64Array): Float64Array {
  const nl = h.length / nBus;
  const out = new Float64Array(nl);
  for (let l = 0; l < nl; l++) for (let i = 0; i < nBus; i++) out[l] += h[l * nBus + i] * inj[i];
  return out;
}

/** Random injections on every bus but the slack, which balances them. */
export function balancedInjections(nBus: number, slack: number, seed: number): Float64Array {
  const r = rng(seed);
  const inj = Float64Array.from({ length: nBus }, () => 200 * r() - 100);
  inj[slack] = 0;
  inj[slack] = -inj.reduce((s, v) => s + v, 0);
  return inj;
}

/** Checks PTDF·inj against an independent B-θ power flow and Kirchhoff's current law. */
export function checkPhysics(c: MatpowerCase, seeds: number[], tol = 1e-8): void {
  const net = dcNetwork(c);
  const h = ptdf(net);
  for (const seed of seeds) {
    const inj = balancedInjections(net.nBus, net.reference, seed);
    const viaPtdf = multiply(h, net.nBus, inj);
    const { flow } = dcPowerFlow(c, inj, net.reference);
    const scale = Math.max(1, ...flow.map(Math.abs));
    for (let l = 0; l < net.nBranch; l++) {
      assert.ok(
        Math.abs(viaPtdf[l] - flow[l]) <= tol * scale,
        `${c.name} branch ${l}: PTDF flow ${viaPtdf[l]} vs B-θ flow ${flow[l]}`,
      );
    }
    const net_out = new Float64Array(net.nBus);
    for (let l = 0; l < net.nBranch; l++) {
      net_out[net.from[l]] += viaPtdf[l];
      net_out[net.to[l]] -= viaPtdf[l];
    }
    for (let i = 0; i < net.nBus; i++) {
      assert.ok(
        Math.abs(net_out[i] - inj[i]) <= tol * scale,
        `${c.name} bus ${net.busNames[i]}: KCL mismatch ${net_out[i] - inj[i]}`,
      );
    }
  }
}

/**
 * Checks the power-transfer distance on `net`: zero diagonal, symmetry, the triangle inequality,
 * and the same values with the slack moved to `otherReference` (bus name). Buses sampled by stride.
 */
export function checkDistances(net: DcNetwork, otherReference: string, stride = 1): void {
  const d1 = electricalDistance(net, ptdf(net));
  const d2 = electricalDistance(withReference(net, otherReference), ptdf(withReference(net, otherReference)));
  const buses = [...Array(net.nBus).keys()].filter((i) => i % stride === 0);
  for (const i of buses) {
    assert.equal(d1(i, i), 0);
    for (const j of buses) {
      const dij = d1(i, j);
      assert.ok(Math.abs(dij - d1(j, i)) <= 1e-12 * Math.max(1, dij), `d(${i},${j}) not symmetric`);
      assert.ok(
        Math.abs(dij - d2(i, j)) <= 1e-8 * Math.max(1, dij),
        `d(${i},${j}) = ${dij} with one slack, ${d2(i, j)} with another`,
      );
      if (i !== j) assert.ok(dij > 0, `d(${i},${j}) should be positive`);
    }
  }
  for (const i of buses.slice(0, 8))
    for (const j of buses.slice(0, 8))
      for (const k of buses.slice(0, 8)) {
        assert.ok(d1(i, k) <= d1(i, j) + d1(j, k) + 1e-9, `triangle inequality fails on ${i}, ${j}, ${k}`);
      }
}
