import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Options of `runChild`. */
export interface ChildOptions {
  /** Write a V8 CPU profile (`node --cpu-prof`) of the child into this directory. */
  cpuProfDir?: string;
}

const CHILD = fileURLToPath(new URL("./child.js", import.meta.url));

/**
 * Runs a job of `child.ts` in a fresh Node process and returns its JSON result (which includes
 * `maxRssMB`, the child's peak resident memory). Rejects with the child's stderr when it fails.
 */
export function runChild<T>(
  job: string,
  params: object,
  options: ChildOptions = {},
): Promise<T & { maxRssMB: number }> {
  const args = [
    ...(options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    CHILD,
    job,
    JSON.stringify(params),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) {
        reject(
          new Error(
            `benchmark job ${job} ${JSON.stringify(params)} exited with ${signal ?? code}: ${err.trim() || "no output"}`,
          ),
        );
        return;
      }
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as T & { maxRssMB: number });
      } catch {
        reject(new Error(`benchmark job ${job} printed no JSON result: ${out.slice(-500)}`));
      }
    });
  });
}
