import { type ChildProcess, spawn } from "node:child_process";

const MAIN = new URL("./main.js", import.meta.url).pathname;

/** A command of this package run as a process of its own (`node dist/main.js <args>`). */
export interface CommandProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) and what it printed. */
  exit: Promise<{ code: number | string; stdout: string; stderr: string }>;
  /** Resolves with the first stderr match of `re` (e.g. the address a coordinator prints). */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `node dist/main.js ...args`. */
export function startCommand(args: string[]): CommandProcess {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const watchers = new Set<() => void>();
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...watchers]) w();
  });
  const exit = new Promise<{ code: number | string; stdout: string; stderr: string }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code: code ?? signal ?? "unknown", stdout, stderr }));
  });
  return {
    child,
    exit,
    waitForStderr(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = stderr.match(re);
          if (!m) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`no ${re} on stderr within ${timeoutMs} ms; stderr so far: ${stderr}`));
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    kill(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
