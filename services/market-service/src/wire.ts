/**
 * The request boundary: a reader of the protobuf wire format that checks what a request may cost
 * before anything decodes it, without allocating per field and without recursion.
 *
 * - On the event loop, `outlineRequestAsync` reads the request's top level and its market's top
 *   level, in slices that give the loop back (the market's name; its agents, pairs and preferences
 *   counted and refused as soon as a count passes its limit; unknown fields at most 1 MiB), and
 *   checks against the schema and keeps the request without its market (the settings: at most
 *   4 096 fields and MAX_HEADER_BYTES). Its cost is bounded by the budget, not by the message.
 * - On a solver thread, `checkRequest` walks the whole request before protobufjs decodes it:
 *   every field at every depth against the schema (wire types, lengths, groups), the number of
 *   fields, the nesting depth, the objects the decoder would create for each repeated field, and
 *   the size of the strings that cost more than their bytes (the MATPOWER text).
 *
 * Bad bytes throw WireFormatError (INVALID_ARGUMENT); a request over a limit throws LimitError
 * (RESOURCE_EXHAUSTED). A request that passes `checkRequest` decodes without error.
 */
import { isAbsolute, join } from "node:path";
import protobuf from "protobufjs";
import { protoPaths, protoRoot } from "@peermarket/proto";

/** The bytes are not a well-formed peermarket.v1.SolveMarketRequest (INVALID_ARGUMENT). */
export class WireFormatError extends Error {
  /** Field path of the request where the bytes went wrong ("request" when not within a known field). */
  readonly field: string;

  constructor(message: string, field = "request") {
    super(message);
    this.name = "WireFormatError";
    this.field = field;
  }
}

/** A request over one of the service's limits (RESOURCE_EXHAUSTED, google.rpc.QuotaFailure). */
export class LimitError extends Error {
  /** What is over the limit: a field path of the request ("market.agents") or "request". */
  readonly subject: string;
  /** The limit, in the unit of the description. */
  readonly limit: number;

  constructor(subject: string, description: string, limit: number) {
    super(`${subject}: ${description}`);
    this.name = "LimitError";
    this.subject = subject;
    this.limit = limit;
  }

  /** The message without the subject. */
  get description(): string {
    return this.message.slice(this.subject.length + 2);
  }
}

/** What one request may cost. */
export interface RequestBudget {
  /** Market.agents entries. */
  maxAgents: number;
  /** Market.pairs entries. */
  maxPairs: number;
  /** Market.preferences entries. */
  maxPreferences: number;
  /** NetworkCharges.zone_distances entries. */
  maxZoneDistances: number;
  /** Agent.attributes entries, over all agents. */
  maxAttributes: number;
  /** Fields at every depth, known and unknown (elements of packed fields included). */
  maxFields: number;
  /** Nesting of messages and groups (the request is depth 0, its market 1, an agent 2). */
  maxDepth: number;
  /** The request without its market (settings, progress interval, unknown fields), in bytes. */
  maxHeaderBytes: number;
  /** Fields at the market's top level, read on the event loop. */
  maxMarketTopFields: number;
  /**
   * Bytes of unknown fields (fields this schema does not have: a newer client's, or padding): the
   * service skips them but keeps the request as received, so they cost storage and time.
   */
  maxUnknownBytes: number;
  /** Size in bytes of string fields whose decoding costs more than their bytes, by field path (over: LimitError). */
  maxStringBytes: Readonly<Record<string, number>>;
  /** Size in bytes of ids and names, by field path: longer than any id, so invalid (WireFormatError). */
  maxIdBytes: Readonly<Record<string, number>>;
}

/** Largest request without its market: settings and a progress interval take well under 1 KiB. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Deepest nesting: the schema needs 3 (request → market → agent → location); groups are unknown fields. */
export const MAX_DEPTH = 32;
/** Attributes an agent may have on average. */
export const ATTRIBUTES_PER_AGENT = 64;
/** Largest MATPOWER text of Market.network (the bundled case300 is 0.1 MB): its parser makes an object per token. */
export const MAX_MATPOWER_BYTES = 8 * 1024 * 1024;
/** Bytes of unknown fields a request may carry. */
export const MAX_UNKNOWN_BYTES = 1024 * 1024;
/** Longest market name and warm-start id (ids are 30 characters). */
export const MAX_NAME_BYTES = 1024;
export const MAX_ID_BYTES = 128;

/**
 * The budget of a service with these market limits: each repeated field bounded by the objects
 * the solve may need, fields by what a market of that size can hold (an agent with its attributes
 * about 256, a pair and a preference up to 10 together) plus room for unknown fields.
 */
export function requestBudget(limits: { maxAgents: number; maxPairs: number }): RequestBudget {
  const { maxAgents, maxPairs } = limits;
  return {
    maxAgents,
    maxPairs,
    maxPreferences: maxPairs + maxAgents,
    maxZoneDistances: maxPairs,
    maxAttributes: ATTRIBUTES_PER_AGENT * maxAgents,
    maxFields: 256 * maxAgents + 10 * maxPairs + 65_536,
    maxDepth: MAX_DEPTH,
    maxHeaderBytes: MAX_HEADER_BYTES,
    maxMarketTopFields: 2 * maxAgents + 2 * maxPairs + 4096,
    maxUnknownBytes: MAX_UNKNOWN_BYTES,
    maxStringBytes: { "market.network.matpower": MAX_MATPOWER_BYTES },
    maxIdBytes: { "market.name": MAX_NAME_BYTES, "settings.warmStartSolutionId": MAX_ID_BYTES },
  };
}

// ---------------------------------------------------------------------------------------------
// The schema as the walker needs it: per message, each known field's wire type and, for
// message fields, the message; counted repeated fields carry the name of their budget.

type Counter = "agents" | "pairs" | "preferences" | "zoneDistances" | "attributes";

interface WireField {
  /** proto3 JSON name. */
  name: string;
  /** Wire type of one value (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
  wireType: number;
  /** A repeated numeric field: may come packed (wire type 2). */
  packable: boolean;
  /** For message fields (map entries included), the message. */
  message: WireMessage | null;
  /** Whether it is a string (its size may be bounded). */
  string: boolean;
  /** The budget its occurrences count against. */
  counter: Counter | null;
  /** For enum fields, the names of the enum's values. */
  enumValues?: string[];
}

interface WireMessage {
  name: string;
  fields: Map<number, WireField>;
}

const WIRE_TYPES: Record<string, number> = {
  double: 1,
  fixed64: 1,
  sfixed64: 1,
  float: 5,
  fixed32: 5,
  sfixed32: 5,
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  bool: 0,
  string: 2,
  bytes: 2,
};

const COUNTERS: Record<string, Counter> = {
  "peermarket.v1.Market.agents": "agents",
  "peermarket.v1.Market.pairs": "pairs",
  "peermarket.v1.Market.preferences": "preferences",
  "peermarket.v1.NetworkCharges.zone_distances": "zoneDistances",
  "peermarket.v1.Agent.attributes": "attributes",
};

const COUNTER_SUBJECTS: Record<Counter, string> = {
  agents: "market.agents",
  pairs: "market.pairs",
  preferences: "market.preferences",
  zoneDistances: "market.charges.zoneDistances",
  attributes: "market.agents.attributes",
};

const COUNTER_LIMITS: Record<Counter, keyof RequestBudget> = {
  agents: "maxAgents",
  pairs: "maxPairs",
  preferences: "maxPreferences",
  zoneDistances: "maxZoneDistances",
  attributes: "maxAttributes",
};

function jsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function scalarField(name: string, type: string, repeated: boolean, isEnum: boolean): WireField {
  const wireType = isEnum ? 0 : WIRE_TYPES[type];
  if (wireType === undefined) throw new Error(`wire schema: unsupported type ${type} of ${name}`);
  return {
    name,
    wireType,
    packable: repeated && wireType !== 2,
    message: null,
    string: type === "string",
    counter: null,
  };
}

let schemaRoot: protobuf.Root | undefined;
const built = new Map<string, WireMessage>();

/** The walker's view of a message of the API and the messages it holds, from the .proto files (built once). */
function messageSchema(fullName: string): WireMessage {
  const known = built.get(fullName);
  if (known) return known;
  if (!schemaRoot) {
    schemaRoot = new protobuf.Root();
    schemaRoot.resolvePath = (_origin: string, target: string) =>
      isAbsolute(target) ? target : join(protoRoot, target);
    schemaRoot.loadSync(protoPaths, { keepCase: true });
    schemaRoot.resolveAll();
  }
  const build = (type: protobuf.Type): WireMessage => {
    const name = type.fullName.replace(/^\./, "");
    const existing = built.get(name);
    if (existing) return existing;
    const message: WireMessage = { name, fields: new Map() };
    built.set(name, message);
    for (const f of type.fieldsArray) {
      const fieldName = jsonName(f.name);
      const counter = COUNTERS[`${name}.${f.name}`] ?? null;
      let field: WireField;
      if (f instanceof protobuf.MapField) {
        const keyField = scalarField("key", f.keyType, false, false);
        const valueField =
          f.resolvedType instanceof protobuf.Type
            ? {
                name: "value",
                wireType: 2,
                packable: false,
                message: build(f.resolvedType),
                string: false,
                counter: null,
              }
            : scalarField("value", f.type, false, f.resolvedType instanceof protobuf.Enum);
        const entry: WireMessage = {
          name: `${name}.${f.name}Entry`,
          fields: new Map([
            [1, keyField],
            [2, valueField],
          ]),
        };
        field = { name: fieldName, wireType: 2, packable: false, message: entry, string: false, counter };
      } else if (f.resolvedType instanceof protobuf.Type) {
        field = {
          name: fieldName,
          wireType: 2,
          packable: false,
          message: build(f.resolvedType),
          string: false,
          counter,
        };
      } else {
        field = { ...scalarField(fieldName, f.type, f.repeated, f.resolvedType instanceof protobuf.Enum), counter };
        if (f.resolvedType instanceof protobuf.Enum) field.enumValues = Object.keys(f.resolvedType.values);
      }
      message.fields.set(f.id, field);
    }
    return message;
  };
  return build(schemaRoot.lookupType(fullName));
}

const SOLVE_REQUEST = "peermarket.v1.SolveMarketRequest";

/** The full name of the request message of a method of `peermarket.v1.<service>` (undefined when there is no such method). */
export function methodRequestType(service: string, method: string): string | undefined {
  messageSchema(SOLVE_REQUEST);
  const found = schemaRoot!.lookup(`peermarket.v1.${service}`);
  if (!(found instanceof protobuf.Service)) return undefined;
  const m = found.methods[method];
  if (m === undefined) return undefined;
  m.resolve();
  return m.resolvedRequestType?.fullName.replace(/^\./, "");
}

/** Whether a message of the API has fields that are messages (a request that can hold a market). */
export function hasMessageFields(typeName: string): boolean {
  return [...messageSchema(typeName).fields.values()].some((f) => f.message !== null);
}

/**
 * Checks an encoded message of any type of the API against the schema and the budget before it is
 * decoded (the walk of `checkRequest`, for requests other than SolveMarketRequest that hold a market).
 * @throws WireFormatError, LimitError
 */
export function checkMessage(bytes: Uint8Array, typeName: string, budget: RequestBudget): void {
  walk(bytes, 0, bytes.length, messageSchema(typeName), "", 0, emptyCounts(), budget);
}

/** A message's enum fields (its direct fields): proto3 JSON name and the enum's value names. */
export function enumFields(typeName: string): { name: string; values: string[] }[] {
  return [...messageSchema(typeName).fields.values()]
    .filter((f) => f.enumValues !== undefined)
    .map((f) => ({ name: f.name, values: f.enumValues! }));
}

/** The proto3 JSON names of a message's string fields (its direct fields). */
export function stringFields(typeName: string): string[] {
  return [...messageSchema(typeName).fields.values()].filter((f) => f.string).map((f) => f.name);
}

// ---------------------------------------------------------------------------------------------

/** Where the last readVarint stopped (a module variable, so that reading a varint allocates nothing). */
let varintNext = 0;

/**
 * Reads a varint ending before `end` and returns its value; `varintNext` is then the position
 * after it (values past 2^53 lose precision, which no check here needs).
 */
function readVarint(bytes: Uint8Array, pos: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireFormatError("truncated varint");
    const b = bytes[pos++];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) {
      varintNext = pos;
      return value;
    }
  }
  throw new WireFormatError("varint longer than 10 bytes");
}

/** A message or group being walked. */
interface Frame {
  /** null for an unknown group (its fields are all unknown). */
  message: WireMessage | null;
  /** Field path of the message ("market.agents"), for errors. */
  path: string;
  /** Where its bytes end (for a group: where its parent's end). */
  end: number;
  /** Field number of the group it is (0 for a length-delimited message). */
  group: number;
}

interface WalkCounts {
  fields: number;
  unknownBytes: number;
  agents: number;
  pairs: number;
  preferences: number;
  zoneDistances: number;
  attributes: number;
}

function childPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

function countField(counts: WalkCounts, budget: RequestBudget): void {
  if (++counts.fields > budget.maxFields) {
    throw new LimitError(
      "request",
      `more than ${budget.maxFields} fields (the limit of a request to this service)`,
      budget.maxFields,
    );
  }
}

function countUnknown(bytes: number, counts: WalkCounts, budget: RequestBudget): void {
  counts.unknownBytes += bytes;
  if (counts.unknownBytes > budget.maxUnknownBytes) {
    throw new LimitError(
      "request",
      `more than ${budget.maxUnknownBytes} bytes of fields this service does not know`,
      budget.maxUnknownBytes,
    );
  }
}

function countOccurrence(counter: Counter, counts: WalkCounts, budget: RequestBudget): void {
  const limit = budget[COUNTER_LIMITS[counter]] as number;
  if (++counts[counter] > limit)
    throw new LimitError(COUNTER_SUBJECTS[counter], `more than ${limit} entries (the service's limit)`, limit);
}

/**
 * Walks `bytes[start, end)` as the message `message` at depth `depth`: every field against the
 * schema, the counts against the budget. Iterative: nesting costs a frame on an array, not stack.
 */
function walk(
  bytes: Uint8Array,
  start: number,
  end: number,
  message: WireMessage,
  path: string,
  depth: number,
  counts: WalkCounts,
  budget: RequestBudget,
): void {
  const stack: Frame[] = [{ message, path, end, group: 0 }];
  let pos = start;
  const fail = (what: string, frame: Frame): never => {
    throw new WireFormatError(`not a valid ${message.name}: ${what} (at byte ${pos})`, frame.path || "request");
  };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (pos === frame.end) {
      if (frame.group !== 0) fail(`group ${frame.group} is never ended`, frame);
      stack.pop();
      continue;
    }
    let tag: number;
    const fieldStart = pos;
    try {
      tag = readVarint(bytes, pos, frame.end);
      pos = varintNext;
    } catch (err) {
      if (err instanceof WireFormatError) fail(`${err.message} in a field tag`, frame);
      throw err;
    }
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0 || number > 536_870_911) fail(`field number ${number} is out of range`, frame);
    countField(counts, budget);
    if (wireType === 4) {
      if (frame.group !== number) fail(`end of group ${number} without its start`, frame);
      stack.pop();
      continue;
    }
    const field = frame.message?.fields.get(number);
    if (field !== undefined && !(wireType === field.wireType || (field.packable && wireType === 2))) {
      fail(`field ${number} (${field.name}) has wire type ${wireType}, expected ${field.wireType}`, frame);
    }
    switch (wireType) {
      case 0:
        try {
          readVarint(bytes, pos, frame.end);
          pos = varintNext;
        } catch (err) {
          if (err instanceof WireFormatError) fail(`${err.message} in field ${number}`, frame);
          throw err;
        }
        break;
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        let length: number;
        try {
          length = readVarint(bytes, pos, frame.end);
          pos = varintNext;
        } catch (err) {
          if (err instanceof WireFormatError) fail(`${err.message} in the length of field ${number}`, frame);
          throw err;
        }
        if (length > frame.end - pos) fail(`field ${number} runs past the end of its message`, frame);
        const payloadEnd = pos + length;
        if (field === undefined) {
          pos = payloadEnd;
        } else if (field.message !== null) {
          const p = childPath(frame.path, field.name);
          if (field.counter !== null) countOccurrence(field.counter, counts, budget);
          if (depth + stack.length > budget.maxDepth)
            throw new LimitError("request", `nested more than ${budget.maxDepth} levels deep`, budget.maxDepth);
          stack.push({ message: field.message, path: p, end: payloadEnd, group: 0 });
        } else if (field.string) {
          const p = childPath(frame.path, field.name);
          const max = budget.maxStringBytes[p];
          if (max !== undefined && length > max)
            throw new LimitError(p, `${length} bytes, over the limit of ${max}`, max);
          const maxId = budget.maxIdBytes[p];
          if (maxId !== undefined && length > maxId)
            throw new WireFormatError(`${length} bytes, longer than any valid value (at most ${maxId})`, p);
          pos = payloadEnd;
        } else if (field.packable) {
          // packed numeric values: every element well-formed and within the payload
          if (field.wireType === 0) {
            while (pos < payloadEnd) {
              countField(counts, budget);
              try {
                readVarint(bytes, pos, payloadEnd);
                pos = varintNext;
              } catch (err) {
                if (err instanceof WireFormatError) fail(`${err.message} in packed field ${number}`, frame);
                throw err;
              }
            }
          } else {
            const size = field.wireType === 1 ? 8 : 4;
            if (length % size !== 0)
              fail(`packed field ${number} is ${length} bytes, not a multiple of ${size}`, frame);
            for (let k = 0; k < length / size; k++) countField(counts, budget);
            pos = payloadEnd;
          }
        } else {
          pos = payloadEnd;
        }
        break;
      }
      case 3:
        if (field !== undefined) fail(`field ${number} (${field.name}) is a group`, frame);
        if (depth + stack.length > budget.maxDepth)
          throw new LimitError("request", `nested more than ${budget.maxDepth} levels deep`, budget.maxDepth);
        stack.push({ message: null, path: frame.path, end: frame.end, group: number });
        break;
      default:
        fail(`field ${number} has wire type ${wireType}, which does not exist`, frame);
    }
    if (pos > frame.end) fail(`field ${number} runs past the end of its message`, frame);
    if (field === undefined) countUnknown(pos - fieldStart, counts, budget);
  }
}

function emptyCounts(): WalkCounts {
  return { fields: 0, unknownBytes: 0, agents: 0, pairs: 0, preferences: 0, zoneDistances: 0, attributes: 0 };
}

/**
 * Checks a whole encoded SolveMarketRequest against the schema and the budget before it is
 * decoded (on a solver thread: its cost is linear in the bytes and allocates nothing per field).
 * @throws WireFormatError for malformed bytes, LimitError for a request over the budget.
 */
export function checkRequest(bytes: Uint8Array, budget: RequestBudget): void {
  walk(bytes, 0, bytes.length, messageSchema(SOLVE_REQUEST), "", 0, emptyCounts(), budget);
}

/** What the event loop needs to know about a SolveMarketRequest before a solver thread decodes it. */
export interface RequestOutline {
  /** Whether the request has a market (field 1). */
  hasMarket: boolean;
  /** Market.name (empty when unset). */
  marketName: string;
  /** Number of Market.agents, Market.pairs and Market.preferences entries. */
  agentCount: number;
  pairCount: number;
  preferenceCount: number;
  /** The request without its market (settings and progress interval only), checked, to decode cheaply. */
  withoutMarket: Uint8Array;
}

const MARKET = 1;

/** One top-level field: number, wire type, where it starts and ends (tag included), its payload. */
interface TopField {
  number: number;
  wireType: number;
  start: number;
  end: number;
  payloadStart: number;
}

/** The field nextField fills (one object, reused: the outline allocates nothing per field). */
const scanned: TopField = { number: 0, wireType: 0, start: 0, end: 0, payloadStart: 0 };

/** The next top-level field of bytes[pos, end), in `scanned` (valid until the next call). */
function nextField(bytes: Uint8Array, pos: number, end: number, path: string): TopField {
  const fail = (what: string): never => {
    throw new WireFormatError(`not a valid ${SOLVE_REQUEST}: ${what} (at byte ${pos})`, path);
  };
  const start = pos;
  let tag: number;
  try {
    tag = readVarint(bytes, pos, end);
    pos = varintNext;
  } catch (err) {
    if (err instanceof WireFormatError) return fail(`${err.message} in a field tag`);
    throw err;
  }
  const number = Math.floor(tag / 8);
  const wireType = tag % 8;
  if (number === 0 || number > 536_870_911) fail(`field number ${number} is out of range`);
  let payloadStart = pos;
  try {
    switch (wireType) {
      case 0:
        readVarint(bytes, pos, end);
        pos = varintNext;
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = readVarint(bytes, pos, end);
        const next = varintNext;
        payloadStart = next;
        if (length > end - next) fail(`field ${number} runs past the end of its message`);
        pos = next + length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        // Groups (3, 4) are not part of this API; at the top levels they are refused here, deeper
        // the solver thread's walk bounds them.
        fail(`field ${number} has wire type ${wireType}, not accepted at this level`);
    }
  } catch (err) {
    if (err instanceof WireFormatError && !err.message.startsWith("not a valid"))
      fail(`${err.message} in field ${number}`);
    throw err;
  }
  if (pos > end) fail(`field ${number} runs past the end of its message`);
  scanned.number = number;
  scanned.wireType = wireType;
  scanned.start = start;
  scanned.end = pos;
  scanned.payloadStart = payloadStart;
  return scanned;
}

/** Most fields in the request without its market (settings have ten). */
const HEADER_FIELDS = 4096;

/** Field numbers of peermarket.v1.Market (the others are unknown fields). */
const MARKET_FIELDS = new Set<number>();

const MARKET_NAME = 1;
const MARKET_AGENTS = 2;
const MARKET_PAIRS = 4;
const MARKET_PREFERENCES = 5;

/**
 * Outlines an encoded peermarket.v1.SolveMarketRequest on the event loop: whether it has a market,
 * the market's name and its agents, pairs and preferences counted (refused as soon as a count
 * passes its limit), and the request without its market, checked against the schema. Repeated
 * occurrences of the market field merge, as in protobuf: the last name wins and agents add up.
 * Reads at most `budget.maxMarketTopFields` fields of the market and `budget.maxHeaderBytes` of
 * the rest: a bounded cost whatever the message.
 * @throws WireFormatError when the request or its market's top level is not well-formed protobuf,
 * LimitError when it is over the budget.
 */
export function outlineRequest(bytes: Uint8Array, budget: RequestBudget): RequestOutline {
  const steps = outlineSteps(bytes, budget);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `outlineRequest` in slices of OUTLINE_SLICE fields of the market, giving the event loop back
 * between them: a large market (millions of pairs) is outlined without stalling other calls.
 */
export async function outlineRequestAsync(bytes: Uint8Array, budget: RequestBudget): Promise<RequestOutline> {
  const steps = outlineSteps(bytes, budget);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Market fields read on the event loop at a time by outlineRequestAsync (a few milliseconds). */
export const OUTLINE_SLICE = 65_536;

function* outlineSteps(bytes: Uint8Array, budget: RequestBudget): Generator<void, RequestOutline> {
  if (MARKET_FIELDS.size === 0)
    for (const n of messageSchema("peermarket.v1.Market").fields.keys()) MARKET_FIELDS.add(n);
  let hasMarket = false;
  let marketName = "";
  let agentCount = 0;
  let pairCount = 0;
  let preferenceCount = 0;
  let marketFields = 0;
  let headerBytes = 0;
  const rest: Uint8Array[] = [];
  const headerCounts = emptyCounts();
  const headerBudget = { ...budget, maxFields: HEADER_FIELDS };
  for (let pos = 0; pos < bytes.length; ) {
    // nextField fills one shared object: copy what is needed before the next call or a yield
    const { number, wireType, start, end, payloadStart } = nextField(bytes, pos, bytes.length, "request");
    pos = end;
    if (number !== MARKET) {
      // checked first (the walk skips a long string in one step): an over-long id is invalid, not big
      walk(bytes, start, end, messageSchema(SOLVE_REQUEST), "", 0, headerCounts, headerBudget);
      headerBytes += end - start;
      if (headerBytes > budget.maxHeaderBytes) {
        throw new LimitError(
          "request",
          `the request without its market is over ${budget.maxHeaderBytes} bytes (settings take well under 1 KiB)`,
          budget.maxHeaderBytes,
        );
      }
      rest.push(bytes.subarray(start, end));
      continue;
    }
    if (wireType !== 2)
      throw new WireFormatError(
        `not a valid ${SOLVE_REQUEST}: market: wire type ${wireType}, expected a message`,
        "market",
      );
    hasMarket = true;
    for (let m = payloadStart; m < end; ) {
      const g = nextField(bytes, m, end, "market");
      m = g.end;
      if (++marketFields > budget.maxMarketTopFields) {
        throw new LimitError(
          "market",
          `more than ${budget.maxMarketTopFields} fields at its top level (the service's limit)`,
          budget.maxMarketTopFields,
        );
      }
      if (!MARKET_FIELDS.has(g.number)) countUnknown(g.end - g.start, headerCounts, budget);
      if (g.number === MARKET_NAME && g.wireType === 2) {
        const length = g.end - g.payloadStart;
        const maxName = budget.maxIdBytes["market.name"];
        if (maxName !== undefined && length > maxName)
          throw new WireFormatError(`${length} bytes, longer than any valid value (at most ${maxName})`, "market.name");
        marketName = Buffer.from(bytes.buffer, bytes.byteOffset + g.payloadStart, length).toString("utf8");
      } else if (g.number === MARKET_AGENTS) {
        if (++agentCount > budget.maxAgents)
          throw new LimitError(
            "market.agents",
            `more than ${budget.maxAgents} agents (the service's limit)`,
            budget.maxAgents,
          );
      } else if (g.number === MARKET_PAIRS) {
        if (++pairCount > budget.maxPairs)
          throw new LimitError(
            "market.pairs",
            `more than ${budget.maxPairs} pairs (the service's limit)`,
            budget.maxPairs,
          );
      } else if (g.number === MARKET_PREFERENCES) {
        if (++preferenceCount > budget.maxPreferences) {
          throw new LimitError(
            "market.preferences",
            `more than ${budget.maxPreferences} preferences (the service's limit)`,
            budget.maxPreferences,
          );
        }
      }
      // `g` is not used past this point: other outlines may run during the yield
      if (marketFields % OUTLINE_SLICE === 0) yield;
    }
  }
  const withoutMarket = Buffer.concat(rest);
  return { hasMarket, marketName, agentCount, pairCount, preferenceCount, withoutMarket };
}

/**
 * Checks a small request message (`peermarket.v1.GetSolutionRequest`, ...) before it is decoded:
 * well-formed against the schema, at most `maxFields` fields (the walk skips a length-delimited
 * payload in one step, so its cost is bounded by the fields, not the bytes), no deeper than
 * MAX_DEPTH, and its ids no longer than `maxIdBytes` (by field path; longer is invalid).
 * @throws WireFormatError, LimitError
 */
export function checkSmallRequest(
  bytes: Uint8Array,
  typeName: string,
  maxFields: number,
  maxIdBytes: Readonly<Record<string, number>>,
): void {
  const budget = requestBudget({ maxAgents: 0, maxPairs: 0 });
  walk(bytes, 0, bytes.length, messageSchema(typeName), "", 0, emptyCounts(), {
    ...budget,
    maxFields,
    maxStringBytes: {},
    maxIdBytes,
  });
}

/**
 * A length-delimited field holding already-encoded bytes: how a SolveEvent carrying a Solution
 * (field 2) is made from the encoded Solution without encoding it again.
 */
export function wrapField(fieldNumber: number, payload: Uint8Array): Buffer {
  const header: number[] = [];
  for (let v = fieldNumber * 8 + 2; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      header.push(v);
      break;
    }
    header.push((v % 128) | 0x80);
  }
  for (let v = payload.byteLength; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      header.push(v);
      break;
    }
    header.push((v % 128) | 0x80);
  }
  const out = Buffer.alloc(header.length + payload.byteLength);
  out.set(header, 0);
  out.set(payload, header.length);
  return out;
}
