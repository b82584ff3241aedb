import fc from "fast-check";

/**
 * One fuzz target: an arbitrary of inputs and a check that either classifies an input's outcome
 * (a short label such as "market" or "INVALID_ARGUMENT", counted by the runner) or throws a
 * `FuzzFailure` (or any other error) when the system under test misbehaved.
 */
export interface FuzzTarget<T> {
  /** Short name, used on the command line (`--target model-json`). */
  readonly name: string;
  /** What is fed to what, for reports. */
  readonly description: string;
  /** Inputs per target in `npm test` (kept small: the whole suite stays within about 2 minutes). */
  readonly testRuns: number;
  /**
   * Longest time one input may take before it counts as a hang, in ms. Set orders of magnitude
   * above the normal time of one input: it is a hang detector, not a speed target.
   */
  readonly hangMs: number;
  /** The inputs. */
  arbitrary(): fc.Arbitrary<T>;
  /** Starts what the target needs (a server, ...), once per run. */
  open?(): Promise<void>;
  /** Runs one input; resolves to the outcome's label, throws on a failure. */
  check(input: T): Promise<string> | string;
  /** Stops what `open` started. */
  close?(): Promise<void>;
  /** A short printable form of an input, for failure reports (default: JSON, truncated). */
  show?(input: T): string;
}

/** A misbehaviour found by a target's check: an unexpected exception, a NaN, a wrong status, a hang. */
export class FuzzFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FuzzFailure";
  }
}

/** The outcome of fuzzing one target. */
export interface FuzzRun {
  target: string;
  seed: number;
  /** Inputs checked (the failing one included; shrinking runs not counted). */
  runs: number;
  /** Count of each outcome label over the checked inputs. */
  outcomes: Record<string, number>;
  failed: boolean;
  /** The (shrunk) failing input, shown, and what went wrong. */
  counterexample: string | null;
  error: string | null;
  /** fast-check's path to replay the failure with `seed`. */
  path: string | null;
  /** Slowest single input, in ms. */
  slowestMs: number;
  seconds: number;
}

/** Options of `runTarget`. */
export interface RunOptions {
  seed: number;
  numRuns: number;
  /** Replays from this fast-check path (printed with a failure) instead of generating anew. */
  path?: string;
  /** Called after every checked input (e.g. to print progress). */
  onInput?: (count: number) => void;
}

/** The default printable form of an input: JSON (typed arrays and ±Infinity kept readable), cut at `max` characters. */
export function showValue(value: unknown, max = 4000): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_k, v: unknown) => {
        if (typeof v === "number" && !Number.isFinite(v)) return String(v);
        if (v instanceof Uint8Array)
          return `<${v.length} bytes: ${Buffer.from(v)
            .toString("hex")
            .slice(0, 2 * 256)}>`;
        return v;
      }) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/**
 * Fuzzes one target with fast-check: `numRuns` inputs from `seed` (deterministic), each checked
 * under the target's hang bound; on a failure fast-check shrinks the input. Opens and closes the
 * target around the run.
 */
export async function runTarget<T>(target: FuzzTarget<T>, options: RunOptions): Promise<FuzzRun> {
  const outcomes: Record<string, number> = {};
  let runs = 0;
  let failedOnce = false; // after the first failure, fast-check only shrinks: those calls are not counted
  let slowest = 0;
  const t0 = performance.now();
  await target.open?.();
  try {
    const property = fc.asyncProperty(target.arbitrary(), async (input) => {
      if (failedOnce) return void (await checkBounded(target, input));
      try {
        const [label, ms] = await checkBounded(target, input);
        runs++;
        outcomes[label] = (outcomes[label] ?? 0) + 1;
        slowest = Math.max(slowest, ms);
      } catch (e) {
        runs++;
        failedOnce = true;
        throw e;
      } finally {
        options.onInput?.(runs);
      }
    });
    const details = await fc.check(property, { seed: options.seed, numRuns: options.numRuns, path: options.path });
    if (details.failed) {
      // Runs before the first failure were counted; the failing one is the last counted run.
      const shown = details.counterexample
        ? (target.show ?? ((v: T) => showValue(v)))(details.counterexample[0])
        : null;
      const err = details.errorInstance;
      return {
        target: target.name,
        seed: options.seed,
        runs,
        outcomes,
        failed: true,
        counterexample: shown,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        path: details.counterexamplePath,
        slowestMs: slowest,
        seconds: (performance.now() - t0) / 1000,
      };
    }
    return {
      target: target.name,
      seed: options.seed,
      runs,
      outcomes,
      failed: false,
      counterexample: null,
      error: null,
      path: null,
      slowestMs: slowest,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await target.close?.();
  }
}

/** Checks one input under the target's hang bound; returns its label and its time in ms. */
async function checkBounded<T>(target: FuzzTarget<T>, input: T): Promise<[string, number]> {
  const start = performance.now();
  const label = await target.check(input);
  const ms = performance.now() - start;
  if (ms > target.hangMs)
    throw new FuzzFailure(`one input took ${ms.toFixed(0)} ms (hang bound ${target.hangMs} ms); outcome ${label}`);
  return [label, ms];
}

/** A one-paragraph report of a run: counts per outcome, time, and the failure with how to replay it. */
export function formatRun(run: FuzzRun): string {
  const counts = Object.entries(run.outcomes)
    .sort((x, y) => y[1] - x[1])
    .map(([label, n]) => `${label} ${n}`)
    .join(", ");
  const head = `${run.target}: ${run.failed ? "FAILED" : "ok"} — seed ${run.seed}, ${run.runs} inputs in ${run.seconds.toFixed(1)} s (slowest ${run.slowestMs.toFixed(0)} ms): ${counts}`;
  if (!run.failed) return head;
  return `${head}\n  error: ${run.error}\n  input: ${run.counterexample}\n  replay: npm run fuzz -w @peermarket/fuzz -- --target ${run.target} --seed ${run.seed} --path ${run.path}`;
}
