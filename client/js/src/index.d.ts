// Type declarations of @balanceai/client (src/index.js). The message interfaces are generated
// from the .proto files into ./generated/messages.d.ts by `npm run build`.

import type { AminoMsg } from "@cosmjs/amino";
import type { GeneratedType, Registry } from "@cosmjs/proto-signing";
import type { AminoConverter, AminoTypes } from "@cosmjs/stargate";
import type { Root, Type } from "protobufjs";

import type { KnownTypes, MsgTypes } from "./generated/messages.js";

export * from "./generated/messages.js";
export * from "./curation.js";
export {
  DIGEST_VERSION,
  HEADER_ADDRESS,
  HEADER_BODY_SHA256,
  HEADER_NONCE,
  HEADER_PUBKEY,
  HEADER_REQUEST_CID,
  HEADER_RESPONSE_CID,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  adr36SignDoc,
  newNonce,
  requestDigest,
  signRequest,
} from "./gateway.js";
export type { ArbitrarySigner, GatewayHeaders, GatewayRequest, GatewaySigner } from "./gateway.js";

/** Chain constants (docs/spec/README.md). */
export declare const BECH32_PREFIX: "bai";
export declare const BASE_DENOM: "ubai";
export declare const DISPLAY_DENOM: "bai";
export declare const COIN_TYPE: 118;
/** The chain's default minimum gas price (baid's app.toml). */
export declare const MIN_GAS_PRICE: "0.0025ubai";

/** Third-party .proto files loaded besides the chain's own (gov v1 tx). */
export declare const EXTRA_PROTO_FILES: readonly string[];

/** The protobufjs JSON descriptors bundled with the package (what loadRoot() uses by default). */
export declare const descriptors: { nested: Record<string, unknown> };

export interface LoadRootOptions {
  /** Node only: folders to read .proto files from (the chain's own under dirs[0]/balanceai). */
  dirs?: string[];
  /** protobufjs JSON descriptors to use instead of the bundled ones. */
  descriptors?: object;
  /** Rebuild the cached default root. */
  reload?: boolean;
  /** protobufjs parse options when reading .proto files (keepCase is always on). */
  parseOptions?: Record<string, unknown>;
}

/**
 * The resolved protobufjs Root everything works on: the bundled descriptors by default (in Node
 * with $BALANCEAI_PROTO_PATH set, the .proto files found there). A root loaded with dirs or
 * descriptors becomes the default of later calls.
 */
export declare function loadRoot(options?: LoadRootOptions): Root;
/** Node only: $BALANCEAI_PROTO_PATH or this repository's proto/ and third_party/proto/. */
export declare function protoPath(): string[];

/** A Msg of this chain (or one the package signs) with its typed value. */
export type BalanceAIEncodeObject = {
  [U in keyof MsgTypes]: { typeUrl: U; value: MsgTypes[U] };
}[keyof MsgTypes];

/** Type URLs of every Msg of every balanceai.* Msg service, sorted. */
export declare function customMsgTypeUrls(root?: Root): Array<keyof MsgTypes & string>;
/** [typeUrl, GeneratedType] of every custom Msg (and gov v1 MsgSubmitProposal). */
export declare function customTypes(root?: Root): Array<[string, GeneratedType]>;
/** A CosmJS Registry: the SDK defaults and every BalanceAI Msg. */
export declare function registry(root?: Root): Registry;
/** The AminoConverters of every BalanceAI Msg (and gov v1 MsgSubmitProposal), by type URL. */
export declare function customAminoConverters(root?: Root): Record<string, AminoConverter>;
/** CosmJS AminoTypes: stargate's default converters and every BalanceAI Msg. */
export declare function aminoTypes(root?: Root): AminoTypes;
/** Options for SigningStargateClient.connectWithSigner: { registry, aminoTypes }. */
export declare function signingClientOptions(root?: Root): { registry: Registry; aminoTypes: AminoTypes };

/** A CosmJS GeneratedType (encode, decode, fromPartial, fromJSON, toJSON) for a protobufjs Type. */
export interface BalanceAIGeneratedType<T = any> {
  typeUrl: string;
  fromPartial(value: Partial<T> | Record<string, unknown>): any;
  encode(message: T | Record<string, unknown>, writer?: unknown): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromJSON(json: unknown): T;
  toJSON(value: T | Record<string, unknown>): unknown;
}
export declare function generatedType<T = any>(type: Type): BalanceAIGeneratedType<T>;
/** A CosmJS AminoConverter for a protobufjs Type that carries (amino.name). */
export declare function aminoConverter(type: Type, root?: Root): AminoConverter;

/** The amino JSON {type, value} of a Msg, exactly as the chain signs it. */
export declare function toAminoMsg<U extends keyof MsgTypes>(typeUrl: U, value: MsgTypes[U], root?: Root): AminoMsg;
export declare function toAminoMsg(typeUrl: string, value: Record<string, unknown>, root?: Root): AminoMsg;

/** Converts the chain's proto JSON of a message (REST answers, CLI output) into the package's values. */
export declare function fromProtoJSON<U extends keyof KnownTypes>(typeUrl: U, json: unknown, root?: Root): KnownTypes[U];
export declare function fromProtoJSON(typeUrl: string, json: unknown, root?: Root): Record<string, unknown>;

/** "500000000000000000" (a LegacyDec on the wire) → "0.500000000000000000". */
export declare function decFromAtomics(atomics: string | bigint | number): string;
/** "0.5" → "500000000000000000". */
export declare function decToAtomics(dec: string | number): string;
/** Go's RFC 3339 (nano) form of a UTC time, as amino JSON writes timestamps. */
export declare function formatTimestamp(seconds: bigint | number | string, nanos?: number): string;
/** RFC 3339 → { seconds, nanos }. */
export declare function parseTimestamp(text: string): { seconds: bigint; nanos: number };
