import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import descriptorExt from "protobufjs/ext/descriptor/index.js";

/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) that serves the exact
 * FileDescriptorProtos of a FileDescriptorSet compiled by a protoc-compatible compiler
 * (`buf build`, see scripts/build-descriptors.mjs), byte for byte: clients with standard
 * descriptor pools (buf curl, grpcurl, Python's descriptor_pool) accept them, which they do not
 * for descriptors re-synthesised from a proto-loader package definition (map entries).
 */

/** The FileDescriptorSet the service serves: every peermarket.v1 file, google.rpc, grpc.health.v1, grpc.reflection. */
export const DESCRIPTOR_SET_PATH = fileURLToPath(new URL("../descriptors/peermarket.binpb", import.meta.url));

/** The bytes of the FileDescriptorSet the service serves. */
export function descriptorSetBytes(): Buffer {
  return readFileSync(DESCRIPTOR_SET_PATH);
}

/** The files of a FileDescriptorSet (`repeated FileDescriptorProto file = 1`), each as its own bytes. */
export function splitDescriptorSet(set: Uint8Array): Uint8Array[] {
  const files: Uint8Array[] = [];
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (i >= set.length) throw new Error("truncated FileDescriptorSet");
      const b = set[i++];
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
      shift += 7;
    }
  };
  while (i < set.length) {
    const tag = varint();
    if ((tag & 7) !== 2) throw new Error(`unexpected wire type ${tag & 7} in a FileDescriptorSet`);
    const n = varint();
    if (tag >>> 3 === 1) files.push(set.subarray(i, i + n));
    i += n;
  }
  return files;
}

interface IndexedFile {
  name: string;
  bytes: Uint8Array;
  dependencies: string[];
}

interface DescriptorLike {
  name?: string;
  package?: string;
  dependency?: string[];
  messageType?: MessageLike[];
  enumType?: { name?: string; value?: { name?: string }[] }[];
  service?: { name?: string; method?: { name?: string }[] }[];
  extension?: { name?: string; extendee?: string; number?: number }[];
}

interface MessageLike {
  name?: string;
  field?: { name?: string }[];
  nestedType?: MessageLike[];
  enumType?: { name?: string; value?: { name?: string }[] }[];
  extension?: { name?: string; extendee?: string; number?: number }[];
  oneofDecl?: { name?: string }[];
}

/** Symbols and files of a FileDescriptorSet, answering the reflection protocol's questions. */
export class DescriptorIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly symbols = new Map<string, IndexedFile>();
  /** extendee → field number → file. */
  private readonly extensions = new Map<string, Map<number, IndexedFile>>();
  private readonly methods = new Map<string, string[]>();

  constructor(set: Uint8Array) {
    const FileDescriptorProto = (
      descriptorExt as unknown as { FileDescriptorProto: { decode(b: Uint8Array): unknown } }
    ).FileDescriptorProto;
    for (const bytes of splitDescriptorSet(set)) {
      const d = FileDescriptorProto.decode(bytes) as DescriptorLike;
      const file: IndexedFile = { name: d.name ?? "", bytes, dependencies: d.dependency ?? [] };
      this.files.set(file.name, file);
      const prefix = d.package ? `${d.package}.` : "";
      const addExtensions = (exts: DescriptorLike["extension"], scope: string) => {
        for (const e of exts ?? []) {
          this.symbols.set(`${scope}${e.name}`, file);
          const extendee = (e.extendee ?? "").replace(/^\./, "");
          if (!this.extensions.has(extendee)) this.extensions.set(extendee, new Map());
          this.extensions.get(extendee)!.set(e.number ?? 0, file);
        }
      };
      const addEnums = (enums: MessageLike["enumType"], scope: string) => {
        for (const e of enums ?? []) {
          this.symbols.set(`${scope}${e.name}`, file);
          // Enum values are scoped like their enum's siblings (C++ scoping rules).
          for (const v of e.value ?? []) this.symbols.set(`${scope}${v.name}`, file);
        }
      };
      const addMessages = (messages: MessageLike[] | undefined, scope: string) => {
        for (const m of messages ?? []) {
          const full = `${scope}${m.name}`;
          this.symbols.set(full, file);
          for (const f of m.field ?? []) this.symbols.set(`${full}.${f.name}`, file);
          for (const o of m.oneofDecl ?? []) this.symbols.set(`${full}.${o.name}`, file);
          addMessages(m.nestedType, `${full}.`);
          addEnums(m.enumType, `${full}.`);
          addExtensions(m.extension, `${full}.`);
        }
      };
      addMessages(d.messageType, prefix);
      addEnums(d.enumType, prefix);
      addExtensions(d.extension, prefix);
      for (const s of d.service ?? []) {
        this.symbols.set(`${prefix}${s.name}`, file);
        this.methods.set(
          `${prefix}${s.name}`,
          (s.method ?? []).map((m) => m.name ?? ""),
        );
        for (const m of s.method ?? []) this.symbols.set(`${prefix}${s.name}.${m.name}`, file);
      }
    }
  }

  /** Whether the set defines this fully-qualified symbol. */
  has(symbol: string): boolean {
    return this.symbols.has(symbol);
  }

  /** The method names of a service (empty when the set does not define it). */
  methodsOf(service: string): string[] {
    return [...(this.methods.get(service) ?? [])];
  }

  /** A file and everything it imports, transitively, the file first. */
  private withDependencies(file: IndexedFile): Uint8Array[] {
    const seen = new Set<string>([file.name]);
    const out = [file.bytes];
    const queue = [...file.dependencies];
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const dep = this.files.get(name);
      if (!dep) continue;
      out.push(dep.bytes);
      queue.push(...dep.dependencies);
    }
    return out;
  }

  fileContainingSymbol(symbol: string): Uint8Array[] | null {
    const f = this.symbols.get(symbol.replace(/^\./, ""));
    return f ? this.withDependencies(f) : null;
  }

  fileByFilename(name: string): Uint8Array[] | null {
    const f = this.files.get(name);
    return f ? this.withDependencies(f) : null;
  }

  fileContainingExtension(type: string, number: number): Uint8Array[] | null {
    const f = this.extensions.get(type.replace(/^\./, ""))?.get(number);
    return f ? this.withDependencies(f) : null;
  }

  extensionNumbers(type: string): number[] | null {
    const m = this.extensions.get(type.replace(/^\./, ""));
    if (m) return [...m.keys()].sort((a, b) => a - b);
    return this.symbols.has(type.replace(/^\./, "")) ? [] : null;
  }
}

interface ReflectionRequestMessage {
  host?: string;
  message_request?: string;
  list_services?: string;
  file_by_filename?: string;
  file_containing_symbol?: string;
  file_containing_extension?: { containing_type?: string; extension_number?: number };
  all_extension_numbers_of_type?: string;
}

/** The services a server answers and lists (each must be defined in the set). */
export const REFLECTION_V1 = "grpc.reflection.v1.ServerReflection";
export const REFLECTION_V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";

/**
 * Adds grpc.reflection.v1 and v1alpha ServerReflection to a server: `services` (fully-qualified
 * names of the services the server really implements, the reflection services included) are
 * listed; descriptors come byte for byte from `set`.
 */
export function addReflection(
  server: grpc.Server,
  services: string[],
  set: Uint8Array = descriptorSetBytes(),
): DescriptorIndex {
  const index = new DescriptorIndex(set);
  for (const s of services) if (!index.has(s)) throw new Error(`reflection: service ${s} is not in the descriptor set`);
  const require = createRequire(import.meta.url);
  const protoDir = join(dirname(require.resolve("@grpc/reflection/package.json")), "build", "proto");
  for (const version of ["v1", "v1alpha"] as const) {
    const definition = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
      includeDirs: [protoDir],
      keepCase: true,
      oneofs: true,
      longs: Number,
      enums: Number,
    });
    const root = grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> };
    };
    server.addService(root.grpc.reflection[version].ServerReflection.service, {
      ServerReflectionInfo: (call: grpc.ServerDuplexStream<ReflectionRequestMessage, unknown>) => {
        call.on("data", (request: ReflectionRequestMessage) => call.write(answer(index, services, request)));
        call.on("end", () => call.end());
        call.on("error", () => undefined);
      },
    });
  }
  return index;
}

function answer(
  index: DescriptorIndex,
  services: string[],
  request: ReflectionRequestMessage,
): Record<string, unknown> {
  const base = { valid_host: request.host ?? "", original_request: request };
  const files = (found: Uint8Array[] | null, what: string) =>
    found
      ? { ...base, file_descriptor_response: { file_descriptor_proto: found.map((b) => Buffer.from(b)) } }
      : { ...base, error_response: { error_code: grpc.status.NOT_FOUND, error_message: `${what} not found` } };
  switch (request.message_request) {
    case "list_services":
      return { ...base, list_services_response: { service: services.map((name) => ({ name })) } };
    case "file_containing_symbol":
      return files(
        index.fileContainingSymbol(request.file_containing_symbol ?? ""),
        `symbol ${request.file_containing_symbol}`,
      );
    case "file_by_filename":
      return files(index.fileByFilename(request.file_by_filename ?? ""), `file ${request.file_by_filename}`);
    case "file_containing_extension": {
      const e = request.file_containing_extension ?? {};
      return files(
        index.fileContainingExtension(e.containing_type ?? "", e.extension_number ?? 0),
        `extension ${e.extension_number} of ${e.containing_type}`,
      );
    }
    case "all_extension_numbers_of_type": {
      const type = request.all_extension_numbers_of_type ?? "";
      const numbers = index.extensionNumbers(type);
      return numbers
        ? { ...base, all_extension_numbers_response: { base_type_name: type, extension_number: numbers } }
        : { ...base, error_response: { error_code: grpc.status.NOT_FOUND, error_message: `type ${type} not found` } };
    }
    default:
      return {
        ...base,
        error_response: {
          error_code: grpc.status.UNIMPLEMENTED,
          error_message: `unsupported reflection request ${String(request.message_request)}`,
        },
      };
  }
}
