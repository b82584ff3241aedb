import { parseMatpower, readBundledCase, type MatpowerCase } from "@peermarket/model";

/** Parses one of the MATPOWER cases bundled with @peermarket/model ("case39", "case39b_31a", ...). */
export function realCase(name: string): MatpowerCase {
  return parseMatpower(readBundledCase(name), `${name}.m`);
}
