import { marketFromMatpower, parseMatpower, readBundledCase, type Market } from "@peermarket/model";

/** The bundled Baroche et al. test case: IEEE 39-bus, 21 consumers and 10 producers. */
export const CASE39B_NAME = "case39b_31a";

/**
 * The market of case39b_31a, named "case39b_31a": agents from its gen rows, every agent may trade
 * with every other, and the network given by reference to the bundled case (the same case text,
 * without sending it along with every request).
 */
export function case39bMarket(): Market {
  const text = readBundledCase(CASE39B_NAME);
  const market = marketFromMatpower(parseMatpower(text, `${CASE39B_NAME}.m`), text, CASE39B_NAME);
  return { ...market, network: { bundledCase: CASE39B_NAME, source: "bundledCase" } };
}
