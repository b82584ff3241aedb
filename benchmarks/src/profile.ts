import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** Self time of one function in a V8 CPU profile. */
export interface ProfileEntry {
  /** `name (file:line)`. */
  function: string;
  /** Share of all samples, 0..1. */
  share: number;
  milliseconds: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Summarises a `.cpuprofile` written by `node --cpu-prof`: self time per function (summed over
 * its call sites), largest first. Idle, program and garbage-collector time are listed under V8's
 * own names ("(idle)", "(program)", "(garbage collector)").
 */
export function summarizeProfile(path: string, top = 8): ProfileEntry[] {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byNode = new Map<number, CpuProfileNode>();
  for (const n of profile.nodes) byNode.set(n.id, n);
  const ms = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // Sample i lasted until sample i + 1.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    ms.set(samples[i], (ms.get(samples[i]) ?? 0) + dt);
  }
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, t] of ms) {
    const node = byNode.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const where = f.url ? ` (${basename(f.url)}:${f.lineNumber + 1})` : "";
    const key = `${f.functionName || "(anonymous)"}${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + t);
    total += t;
  }
  return [...byFunction.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([fn, t]) => ({ function: fn, share: total > 0 ? t / total : 0, milliseconds: t }));
}

/**
 * The `.cpuprofile` files in a directory, one per thread (Node names them
 * `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`; thread 0 is the main thread), main first.
 */
export function threadProfiles(dir: string): { thread: number; path: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => ({ thread: Number(f.split(".")[4]), path: join(dir, f) }))
    .sort((a, b) => a.thread - b.thread);
}

/** "phase (kernel.js:53) 61%, evaluate (local.js:40) 20%, …" */
export function formatProfile(entries: readonly ProfileEntry[], top = 5): string {
  return entries
    .slice(0, top)
    .map((e) => `${e.function} ${(100 * e.share).toFixed(0)}%`)
    .join(", ");
}
