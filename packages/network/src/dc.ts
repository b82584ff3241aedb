import {
  BR_STATUS,
  BR_X,
  BUS_AREA,
  BUS_I,
  BUS_TYPE,
  F_BUS,
  RATE_A,
  T_BUS,
  TAP,
  type MatpowerCase,
} from "@peermarket/model";

/**
 * The DC (lossless, linearised) model of a MATPOWER case: buses in file order, branches in file
 * order with their series reactance and tap, and the reference (slack) bus.
 */
export interface DcNetwork {
  /** Case name (`function mpc = case39` → "case39"). */
  name: string;
  baseMVA: number;
  nBus: number;
  nBranch: number;
  /** Bus index → name as written in the case (String(BUS_I), e.g. "16"). */
  busNames: string[];
  /** Bus name → bus index. */
  busIndex: Map<string, number>;
  /** Bus index → area (String(BUS_AREA)); the zone of the bus for zonal charges. */
  busArea: string[];
  /** Index of the reference bus: the first bus of type 3, else the first bus (see `notes`). */
  reference: number;
  /** Per branch: from and to bus indices. */
  from: Int32Array;
  to: Int32Array;
  /** Per branch: series reactance (p.u.). */
  x: Float64Array;
  /** Per branch: off-nominal tap ratio (0 in the case file → 1). */
  tap: Float64Array;
  /** Per branch: 1 in service, 0 out of service. */
  status: Uint8Array;
  /** Per branch: long-term rating in MVA (0 = unlimited). */
  rateA: Float64Array;
  /** Remarks about the case worth showing to a user. */
  notes: string[];
}

function numberAt(row: number[], col: number, where: string, column: string): number {
  const v = row[col];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new Error(`${where}: column ${column} is missing or not a finite number`);
  }
  return v;
}

function optionalAt(row: number[], col: number, where: string, column: string, dflt: number): number {
  if (row.length <= col) return dflt;
  return numberAt(row, col, where, column);
}

/**
 * Builds the DC model of a MATPOWER case. Throws on duplicate bus numbers, a branch naming an
 * unknown bus, a zero reactance on an in-service branch, and islands (a bus not connected to the
 * reference bus through in-service branches).
 */
export function dcNetwork(c: MatpowerCase): DcNetwork {
  const nBus = c.bus.length;
  if (nBus === 0) throw new Error(`network ${c.name}: the case has no buses`);
  const busNames: string[] = [];
  const busIndex = new Map<string, number>();
  const busArea: string[] = [];
  const notes: string[] = [];
  let reference = -1;
  for (let i = 0; i < nBus; i++) {
    const where = `network ${c.name}: bus row ${i + 1}`;
    const name = String(numberAt(c.bus[i], BUS_I, where, "BUS_I"));
    if (busIndex.has(name)) throw new Error(`${where}: bus number ${name} appears twice`);
    busIndex.set(name, i);
    busNames.push(name);
    busArea.push(String(optionalAt(c.bus[i], BUS_AREA, where, "BUS_AREA", 1)));
    if (reference < 0 && optionalAt(c.bus[i], BUS_TYPE, where, "BUS_TYPE", 1) === 3) reference = i;
  }
  if (reference < 0) {
    reference = 0;
    notes.push(`network ${c.name}: no bus of type 3 (reference); bus ${busNames[0]} is used as the reference`);
  }

  const nBranch = c.branch.length;
  const from = new Int32Array(nBranch);
  const to = new Int32Array(nBranch);
  const x = new Float64Array(nBranch);
  const tap = new Float64Array(nBranch);
  const status = new Uint8Array(nBranch);
  const rateA = new Float64Array(nBranch);
  for (let l = 0; l < nBranch; l++) {
    const row = c.branch[l];
    const where = `network ${c.name}: branch row ${l + 1}`;
    const fName = String(numberAt(row, F_BUS, where, "F_BUS"));
    const tName = String(numberAt(row, T_BUS, where, "T_BUS"));
    const f = busIndex.get(fName);
    const t = busIndex.get(tName);
    if (f === undefined) throw new Error(`${where}: from bus ${fName} is not in the bus matrix`);
    if (t === undefined) throw new Error(`${where}: to bus ${tName} is not in the bus matrix`);
    from[l] = f;
    to[l] = t;
    x[l] = numberAt(row, BR_X, where, "BR_X");
    const ratio = optionalAt(row, TAP, where, "TAP", 0);
    tap[l] = ratio === 0 ? 1 : ratio;
    status[l] = optionalAt(row, BR_STATUS, where, "BR_STATUS", 1) > 0 ? 1 : 0;
    rateA[l] = Math.max(0, optionalAt(row, RATE_A, where, "RATE_A", 0));
    if (status[l] && x[l] === 0) {
      throw new Error(
        `${where} (${fName}–${tName}): reactance x = 0 on an in-service branch; the DC model needs x ≠ 0`,
      );
    }
  }

  const net: DcNetwork = {
    name: c.name,
    baseMVA: c.baseMVA,
    nBus,
    nBranch,
    busNames,
    busIndex,
    busArea,
    reference,
    from,
    to,
    x,
    tap,
    status,
    rateA,
    notes,
  };
  const island = unreachableBus(net);
  if (island >= 0) {
    throw new Error(
      `network ${c.name}: bus ${busNames[island]} is not connected to the reference bus ${busNames[reference]} through in-service branches (islanded network)`,
    );
  }
  return net;
}

/** Index of a bus not connected to the reference through in-service branches, or -1. */
export function unreachableBus(net: DcNetwork): number {
  const adjacency: number[][] = Array.from({ length: net.nBus }, () => []);
  for (let l = 0; l < net.nBranch; l++) {
    if (!net.status[l]) continue;
    adjacency[net.from[l]].push(net.to[l]);
    adjacency[net.to[l]].push(net.from[l]);
  }
  const seen = new Uint8Array(net.nBus);
  const stack = [net.reference];
  seen[net.reference] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    for (const j of adjacency[i]) {
      if (!seen[j]) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  return seen.indexOf(0);
}

/** The same network with another reference bus (by name as written in the case). */
export function withReference(net: DcNetwork, busName: string): DcNetwork {
  const i = net.busIndex.get(busName);
  if (i === undefined) throw new Error(`network ${net.name}: reference bus "${busName}" is not in the network`);
  return { ...net, reference: i, notes: [...net.notes] };
}
