import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChild } from "./child-run.js";
import { formatProfile, type ProfileEntry, summarizeProfile, threadProfiles } from "./profile.js";

/** A profiled job: the main thread's entries, those of each busy worker thread, and one line of text. */
export interface ProfileSummary {
  entries: ProfileEntry[];
  workers: { thread: number; entries: ProfileEntry[] }[];
  text: string;
}

/** The share of self time of the functions whose name starts with `name` (e.g. "waitForEpoch"). */
export function shareOf(entries: readonly ProfileEntry[], name: string): number {
  return entries
    .filter((e) => e.function.startsWith(`${name} `) || e.function === name)
    .reduce((s, e) => s + e.share, 0);
}

const cache = new Map<string, Promise<ProfileSummary>>();

/**
 * Runs a child job under `node --cpu-prof` and returns the functions with the most self time,
 * as entries and as one line of text ("phase (kernel.js:24) 55%, …"). The same job and parameters
 * are profiled once per process (suites that miss targets on the same run share the profile).
 */
export function profileChild(job: string, params: object): Promise<ProfileSummary> {
  const key = `${job} ${JSON.stringify(params)}`;
  let p = cache.get(key);
  if (!p) {
    p = profileOnce(job, params);
    cache.set(key, p);
  }
  return p;
}

async function profileOnce(job: string, params: object): Promise<ProfileSummary> {
  const dir = mkdtempSync(join(tmpdir(), "peermarket-prof-"));
  try {
    await runChild(job, params, { cpuProfDir: dir });
    const profiles = threadProfiles(dir);
    if (profiles.length === 0) return { entries: [], workers: [], text: "no profile written" };
    const main = summarizeProfile(profiles[0].path, 10);
    if (profiles.length === 1) return { entries: main, workers: [], text: formatProfile(main) };
    const workers: ProfileSummary["workers"] = [];
    // Worker threads (the shard worker; idle pool threads have nothing to say).
    const parts = [`main thread: ${formatProfile(main)}`];
    for (const p of profiles.slice(1)) {
      const e = summarizeProfile(p.path, 10);
      if (e.length > 0 && e[0].function !== "(idle)") {
        parts.push(`worker thread ${p.thread}: ${formatProfile(e)}`);
        workers.push({ thread: p.thread, entries: e });
      }
    }
    return { entries: main, workers, text: parts.join("; ") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
