import { locateJsonPath, parseJsonText } from "./json-text.js";
import { readMessageText } from "./proto-json-fast.js";
import { formatJsonPath, ProtoJsonError, readMessage } from "./proto-json-read.js";
import { type TextSink, type WriteOptions, writeMessage, writeMessageText } from "./proto-json-write.js";
import { peermarketType } from "./proto-schema.js";
import { ScenarioError } from "./scenario-error.js";
import type { Market } from "./types.js";

export type { TextSink, WriteOptions } from "./proto-json-write.js";

/**
 * Parses a scenario file: the proto3 JSON mapping of `peermarket.v1.Market`, checked against the
 * reflected .proto schema. Accepts lowerCamelCase and snake_case field names, numbers as JSON
 * numbers or strings ("1e3", "Infinity", "-Infinity", "NaN"), enums by name or number, `null` as
 * the default. Returns the Market with proto3 defaults filled in (`optional` scalars and unset
 * sub-messages undefined). Throws a ScenarioError naming the field path (as written in the file)
 * and its line and column for unknown fields, wrong types, bad enum values, two members of a
 * oneof, and JSON syntax errors.
 */
export function parseMarketJson(text: string, source = ""): Market {
  // One pass from text to Market; anything unusual or wrong is read again by the reference path below.
  const fast = readMessageText(peermarketType("Market"), text);
  if (fast !== undefined) return fast as unknown as Market;
  return parseMarketJsonReference(text, source);
}

/**
 * parseMarketJson by the reference path: the JSON tree (parseJsonText), then the proto3 reading
 * (readMessage); errors are placed in the text by path. Same result as parseMarketJson.
 */
export function parseMarketJsonReference(text: string, source = ""): Market {
  const doc = parseJsonText(text, source);
  try {
    return readMessage(peermarketType("Market"), doc, []) as unknown as Market;
  } catch (e) {
    if (!(e instanceof ProtoJsonError)) throw e;
    const pos = locateJsonPath(text, e.segments);
    throw new ScenarioError(e.detail, {
      path: formatJsonPath(e.segments),
      source,
      line: pos?.line,
      column: pos?.column,
    });
  }
}

/**
 * The canonical proto3 JSON of a market (lowerCamelCase, defaults left out, ±Infinity and NaN as
 * strings), ready for JSON.stringify; `parseMarketJson` reads it back to an identical Market.
 */
export function marketToJson(market: Market): Record<string, unknown> {
  return writeMessage(peermarketType("Market"), market as unknown as Record<string, unknown>);
}

/**
 * The canonical proto3 JSON of any peermarket.v1 message in object form (a Solution, a
 * NetworkChargeReport, …): `typeName` is the message name, with or without "peermarket.v1.".
 */
export function toProtoJson(typeName: string, message: object, options: WriteOptions = {}): Record<string, unknown> {
  return writeMessage(
    peermarketType(typeName.replace(/^peermarket\.v1\./, "")),
    message as Record<string, unknown>,
    options,
  );
}

/**
 * Streams the proto3 JSON of a peermarket.v1 message to `sink`: the same text as
 * `JSON.stringify(toProtoJson(typeName, message, options), null, 2)`, byte for byte, handed over
 * in chunks of about 64 KiB as it is produced, so neither the JSON object nor the whole text is
 * ever held in memory.
 */
export function writeProtoJsonText(
  typeName: string,
  message: object,
  sink: TextSink,
  options: WriteOptions = {},
): void {
  writeMessageText(
    peermarketType(typeName.replace(/^peermarket\.v1\./, "")),
    message as Record<string, unknown>,
    sink,
    options,
  );
}
