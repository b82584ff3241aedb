/**
 * A JSON document as a tree that can hold what JSON.stringify cannot write: number tokens kept
 * as raw text (`1e400`, `-0`, 30-digit integers), duplicate keys (objects are entry lists), and
 * any string. Scenario mutations edit this tree and `toText` writes it.
 */
export type JNode =
  | { t: "null" }
  | { t: "bool"; v: boolean }
  | { t: "num"; raw: string }
  | { t: "str"; v: string }
  | { t: "arr"; items: JNode[] }
  | { t: "obj"; entries: [string, JNode][] };

/** The tree of a JSON-compatible value (numbers as their shortest text; non-finite numbers as strings, as proto3 JSON writes them). */
export function fromValue(v: unknown): JNode {
  if (v === null || v === undefined) return { t: "null" };
  if (typeof v === "boolean") return { t: "bool", v };
  if (typeof v === "number")
    return Number.isFinite(v) ? { t: "num", raw: JSON.stringify(v) } : { t: "str", v: String(v) };
  if (typeof v === "string") return { t: "str", v };
  if (Array.isArray(v)) return { t: "arr", items: v.map(fromValue) };
  if (typeof v === "object")
    return {
      t: "obj",
      entries: Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, fromValue(x)]),
    };
  return { t: "str", v: String(v) };
}

/** JSON text of a tree (no recursion, so nesting of any depth is written). */
export function toText(root: JNode): string {
  const out: string[] = [];
  const stack: (JNode | string)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    switch (item.t) {
      case "null":
        out.push("null");
        break;
      case "bool":
        out.push(item.v ? "true" : "false");
        break;
      case "num":
        out.push(item.raw);
        break;
      case "str":
        out.push(JSON.stringify(item.v));
        break;
      case "arr": {
        stack.push("]");
        for (let i = item.items.length - 1; i >= 0; i--) {
          stack.push(item.items[i]);
          if (i > 0) stack.push(",");
        }
        out.push("[");
        break;
      }
      case "obj": {
        stack.push("}");
        for (let i = item.entries.length - 1; i >= 0; i--) {
          stack.push(item.entries[i][1]);
          stack.push(`${JSON.stringify(item.entries[i][0])}:`);
          if (i > 0) stack.push(",");
        }
        out.push("{");
        break;
      }
    }
  }
  return out.join("");
}

/** A place in a tree: the container and the index of the child (entry index for objects), or the root. */
export interface Slot {
  parent: JNode | null;
  index: number;
  node: JNode;
}

/** Every node of a tree with where it sits, in document order (iterative: deep trees are fine). */
export function slots(root: JNode): Slot[] {
  const all: Slot[] = [];
  const stack: Slot[] = [{ parent: null, index: 0, node: root }];
  while (stack.length > 0) {
    const s = stack.pop()!;
    all.push(s);
    const n = s.node;
    if (n.t === "arr")
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ parent: n, index: i, node: n.items[i] });
    else if (n.t === "obj")
      for (let i = n.entries.length - 1; i >= 0; i--) stack.push({ parent: n, index: i, node: n.entries[i][1] });
  }
  return all;
}

/** Puts `node` in a slot's place; returns the new root (changed only when the slot is the root). */
export function replaceAt(root: JNode, slot: Slot, node: JNode): JNode {
  const p = slot.parent;
  if (!p) return node;
  if (p.t === "arr") p.items[slot.index] = node;
  else if (p.t === "obj") p.entries[slot.index][1] = node;
  return root;
}

/** A deep copy of a tree (raw numbers and duplicate keys kept; iterative, so any depth). */
export function cloneTree(node: JNode): JNode {
  const shallow = (n: JNode): JNode =>
    n.t === "arr"
      ? { t: "arr", items: [...n.items] }
      : n.t === "obj"
        ? { t: "obj", entries: n.entries.map(([k, v]) => [k, v] as [string, JNode]) }
        : { ...n };
  const root = shallow(node);
  const stack: JNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.t === "arr") {
      for (let i = 0; i < n.items.length; i++) stack.push((n.items[i] = shallow(n.items[i])));
    } else if (n.t === "obj") {
      for (const e of n.entries) stack.push((e[1] = shallow(e[1])));
    }
  }
  return root;
}
