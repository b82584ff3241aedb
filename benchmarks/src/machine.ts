import { cpus, loadavg, totalmem } from "node:os";

/** What a benchmark ran on, for RESULTS.md. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  date: string;
  /** One-minute load average when the results were written (other processes compete for the cores). */
  load: number;
}

/** The machine, Node version, date and load, for the stamp of RESULTS.md. */
export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? "unknown",
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
    load: loadavg()[0],
  };
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? Number.NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/** Runs `f` `repeats` times after `warmup` untimed runs; returns the median wall time in seconds and the last result. */
export function timeIt<T>(f: () => T, repeats: number, warmup = 1): { seconds: number; result: T } {
  let result!: T;
  for (let i = 0; i < warmup; i++) result = f();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    result = f();
    times.push((performance.now() - t) / 1000);
  }
  return { seconds: median(times), result };
}
