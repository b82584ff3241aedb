/** Directory holding `peermarket/v1/*.proto`: the include root for protoc, proto-loader and protobufjs. */
export declare const protoRoot: string;
/** The proto files of the API, relative to `protoRoot`. */
export declare const protoFiles: string[];
/** Absolute paths of the proto files. */
export declare const protoPaths: string[];
