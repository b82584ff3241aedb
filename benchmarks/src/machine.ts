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
  /** Microseconds to map a page of fresh memory on its first write (`firstTouchMicros`). */
  firstTouchUs: number;
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
    firstTouchUs: firstTouchMicros(),
  };
}

/** Bytes of a memory page (x64 Linux): the unit `firstTouchMicros` is per. */
export const PAGE = 4096;

/**
 * Microseconds per 4 KiB page of the first write to fresh memory, best of 3 on 64 MiB (allocated
 * outside V8's heap, so mapped afresh each time): what a process pays, besides the work itself,
 * for every page its resident memory grows by. On bare metal a fraction of a microsecond; in a
 * virtual machine whose host maps the guest's pages on demand, ten or more — several
 * milliseconds per megabyte, which then weighs on every stage that allocates large arrays.
 * Measured once per process: the stamp and the setup suite quote the same figure.
 */
export function firstTouchMicros(): number {
  touchMicros ??= measureFirstTouch();
  return touchMicros;
}

let touchMicros: number | undefined;

function measureFirstTouch(): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const a = new Uint8Array(64 << 20);
    const t = performance.now();
    for (let i = 0; i < a.length; i += PAGE) a[i] = 1;
    best = Math.min(best, ((performance.now() - t) * 1000) / (a.length / PAGE));
  }
  return best;
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
