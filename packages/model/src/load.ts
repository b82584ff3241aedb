import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { parseMatpower } from "./matpower.js";
import { marketFromMatpower } from "./matpower-market.js";
import { ScenarioError } from "./scenario-error.js";
import { parseMarketJson } from "./scenario-json.js";
import type { Market } from "./types.js";

/**
 * Loads a scenario file: `.json` is the proto3 JSON of a Market, `.m` a MATPOWER agent case
 * (see marketFromMatpower; the market is named after the file). Throws ScenarioError (or its
 * subclass MatpowerParseError) for unreadable files, unknown extensions and invalid content.
 */
export function loadScenario(path: string): Market {
  const ext = extname(path).toLowerCase();
  if (ext !== ".json" && ext !== ".m") {
    throw new ScenarioError(
      `unknown scenario file type ${JSON.stringify(ext || "(none)")}: expected .json (proto3 JSON of a Market) or .m (MATPOWER case)`,
      { source: path },
    );
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (e as Error).message;
    throw new ScenarioError(`cannot read the scenario file: ${reason}`, { source: path, cause: e });
  }
  return loadScenarioText(text, path);
}

/**
 * Reads a scenario from text. `source` names it in errors; its extension picks the format
 * (.json or .m), otherwise the text decides: JSON starts with `{`.
 */
export function loadScenarioText(text: string, source = ""): Market {
  const ext = extname(source).toLowerCase();
  const isJson = ext === ".json" || (ext !== ".m" && text.trimStart().startsWith("{"));
  if (isJson) return parseMarketJson(text, source);
  const c = parseMatpower(text, source);
  return marketFromMatpower(c, text, ext === ".m" ? basename(source, extname(source)) : undefined);
}
