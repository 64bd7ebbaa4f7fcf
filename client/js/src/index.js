// @balanceai/client: CosmJS support for every BalanceAI Msg.
//
// Nothing is hand-written per message: the chain's own .proto files (proto/ and the vendored
// third_party/proto/ of this repository) are turned into protobufjs descriptors, and everything
// is derived from them at runtime. The descriptors are bundled with the package
// (src/generated/descriptors.js, written by `npm run build` from the .proto files and checked to
// be current by the tests), so nothing reads the file system and the package runs in a browser
// as it does in Node; Node users may still load .proto files from disk (loadRoot({ dirs })).
// From the descriptors come:
//   - registry(): a CosmJS Registry with the default Cosmos SDK types and every Msg of every
//     `service Msg` in a balanceai.* package (direct signing, SIGN_MODE_DIRECT);
//   - aminoTypes(): CosmJS AminoTypes converting those Msgs to and from the amino JSON the chain
//     verifies in SIGN_MODE_LEGACY_AMINO_JSON (Keplr, Ledger), following the rules of the SDK's
//     x/tx aminojson encoder: (amino.name) as the type, proto field names (or amino.field_name),
//     zero values omitted unless (amino.dont_omitempty), 64-bit integers as strings, enums as
//     numbers, cosmos.Int / cosmos.Dec scalars as decimal strings, timestamps as RFC 3339 and
//     durations as nanoseconds, Anys as {type, value}.
//
// JavaScript values follow the cosmjs-types conventions: camelCase field names (snake_case is
// accepted too), bigint for 64-bit integers (numbers and strings are accepted), enums as numbers
// (their names are accepted), Uint8Array for bytes, {seconds, nanos} for Timestamp and Duration
// (a Date is accepted for a Timestamp), and cosmos.Dec fields in their wire form: the
// 18-decimal fixed-point integer ("500000000000000000" for 0.5), as CosmJS does for staking
// commission rates. fromProtoJSON() converts the chain's proto JSON (REST answers, CLI output,
// --generate-only files) into such values.
//
// This file imports no Node built-in: the .proto loader (protofiles.js) reaches fs through
// process.getBuiltinModule only when asked to read files.

import { AminoTypes, createDefaultAminoConverters, defaultRegistryTypes } from "@cosmjs/stargate";
import { Registry } from "@cosmjs/proto-signing";
import { fromBase64, fromUtf8, toBase64, toUtf8 } from "@cosmjs/encoding";
import protobuf from "protobufjs/light.js";

import bundledDescriptors from "./generated/descriptors.js";
import { envProtoPath, loadProtoFiles, protoPath } from "./protofiles.js";

export { EXTRA_PROTO_FILES, protoPath } from "./protofiles.js";

/** Chain constants (docs/spec/README.md). */
export const BECH32_PREFIX = "bai";
export const BASE_DENOM = "ubai";
export const DISPLAY_DENOM = "bai";
export const COIN_TYPE = 118;
/** The chain's default minimum gas price (baid's app.toml): 0.0025ubai. */
export const MIN_GAS_PRICE = "0.0025ubai";

function rootFromDescriptors(json) {
  const root = protobuf.Root.fromJSON(json);
  root.resolveAll();
  return root;
}

/** The protobufjs JSON descriptors bundled with the package (what loadRoot() uses by default). */
export const descriptors = bundledDescriptors;

let cachedRoot;

/**
 * The resolved protobufjs Root every function of this package works on, cached:
 *   - loadRoot(): the descriptors bundled with the package (or, in Node with
 *     $BALANCEAI_PROTO_PATH set, the .proto files found there);
 *   - loadRoot({ descriptors }): protobufjs JSON descriptors given by the caller;
 *   - loadRoot({ dirs }): the .proto files under dirs[0]/balanceai and their imports, resolved
 *     in dirs (Node only; protoPath() gives this repository's folders).
 * A root given explicitly becomes the default of the later calls; reload: true rebuilds it.
 */
export function loadRoot({ dirs, descriptors: json, reload = false, parseOptions } = {}) {
  if (dirs !== undefined) {
    cachedRoot = loadProtoFiles(dirs, parseOptions);
  } else if (json !== undefined) {
    cachedRoot = rootFromDescriptors(json);
  } else if (!cachedRoot || reload) {
    cachedRoot = envProtoPath() ? loadProtoFiles(protoPath(), parseOptions) : rootFromDescriptors(bundledDescriptors);
  }
  return cachedRoot;
}

function allServices(ns, out = []) {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Service) out.push(nested);
    else if (nested instanceof protobuf.Namespace) allServices(nested, out);
  }
  return out;
}

/** Type URLs of every Msg of every balanceai.* Msg service, sorted. */
export function customMsgTypeUrls(root = loadRoot()) {
  const urls = [];
  for (const svc of allServices(root)) {
    const full = svc.fullName.replace(/^\./, "");
    if (!full.startsWith("balanceai.") || svc.name !== "Msg") continue;
    for (const m of svc.methodsArray) {
      m.resolve();
      urls.push("/" + m.resolvedRequestType.fullName.replace(/^\./, ""));
    }
  }
  return urls.sort();
}

function lookupType(root, typeUrl) {
  const t = root.lookupType(typeUrl.replace(/^\//, ""));
  if (!t) throw new Error(`unknown type ${typeUrl}`);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Descriptor helpers

const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const opt = (f, name) => (f.options ? f.options[name] : undefined);
const scalarOf = (f) => opt(f, "(cosmos_proto.scalar)");
const aminoName = (t) => (t.options ? t.options["(amino.name)"] : undefined);
const aminoFieldName = (f) => opt(f, "(amino.field_name)") ?? f.name;
const dontOmitEmpty = (f) => opt(f, "(amino.dont_omitempty)") === true;
const aminoEncoding = (f) => opt(f, "(amino.encoding)");
const isMessageField = (f) => f.resolvedType instanceof protobuf.Type;
const isEnumField = (f) => f.resolvedType instanceof protobuf.Enum;
const fullName = (t) => t.fullName.replace(/^\./, "");
const camel = (s) => protobuf.util.camelCase(s);
const hasOwn = (o, k) => o != null && Object.prototype.hasOwnProperty.call(o, k);

function fieldValue(obj, f) {
  if (obj == null) return undefined;
  if (hasOwn(obj, f.name)) return obj[f.name];
  const c = camel(f.name);
  if (hasOwn(obj, c)) return obj[c];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Numbers, decimals, times

const DEC_PRECISION = 18n;
const DEC_UNIT = 10n ** DEC_PRECISION;
// gogo's zero time.Time (0001-01-01T00:00:00Z): what a non-nullable stdtime field holds unset.
const ZERO_TIME_SECONDS = -62135596800n;

/** "500000000000000000" (a LegacyDec on the wire) → "0.500000000000000000" (its amino form). */
export function decFromAtomics(atomics) {
  let v = BigInt(atomics);
  const neg = v < 0n;
  if (neg) v = -v;
  const s = `${v / DEC_UNIT}.${(v % DEC_UNIT).toString().padStart(Number(DEC_PRECISION), "0")}`;
  return neg ? `-${s}` : s;
}

/** "0.5" → "500000000000000000". */
export function decToAtomics(dec) {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(String(dec).trim());
  if (!m) throw new Error(`not a decimal: ${dec}`);
  const frac = (m[3] ?? "").padEnd(Number(DEC_PRECISION), "0");
  if (frac.length > Number(DEC_PRECISION)) throw new Error(`more than 18 decimals: ${dec}`);
  const v = BigInt(m[2]) * DEC_UNIT + BigInt(frac || "0");
  return (m[1] && v !== 0n ? -v : v).toString();
}

function toBigInt(v) {
  if (v == null) return 0n;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  if (typeof v === "string") return BigInt(v);
  if (typeof v === "object" && "low" in v && "high" in v) return BigInt(protobuf.util.Long.fromValue(v).toString());
  return BigInt(String(v));
}

function pad(n, w = 2) {
  return String(n).padStart(w, "0");
}

/** Go's time.Format(RFC3339) / RFC3339Nano of a UTC time, as x/tx aminojson writes timestamps. */
export function formatTimestamp(seconds, nanos) {
  const s = toBigInt(seconds);
  const d = new Date(Number(s) * 1000);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const n = Number(nanos ?? 0);
  const frac = n === 0 ? "" : "." + String(n).padStart(9, "0").replace(/0+$/, "");
  return `${date}T${time}${frac}Z`;
}

/** RFC 3339 → {seconds: bigint, nanos: number}. */
export function parseTimestamp(text) {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 time: ${text}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new Error(`not an RFC 3339 time: ${text}`);
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: Number((m[2] ?? "").padEnd(9, "0") || 0) };
}

function timestampOf(v) {
  if (v instanceof Date) {
    const ms = v.getTime();
    return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 };
  }
  if (typeof v === "string") return parseTimestamp(v);
  return { seconds: toBigInt(v.seconds), nanos: Number(v.nanos ?? 0) };
}

function durationOf(v) {
  if (typeof v === "string") {
    // proto JSON "86400s" / "1.5s"
    const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v);
    if (!m) throw new Error(`not a proto JSON duration: ${v}`);
    const sign = m[1] ? -1n : 1n;
    return { seconds: sign * BigInt(m[2]), nanos: Number(sign) * Number((m[3] ?? "").padEnd(9, "0") || 0) };
  }
  return { seconds: toBigInt(v.seconds), nanos: Number(v.nanos ?? 0) };
}

const b64encode = (bytes) => toBase64(bytes);
// Standard or URL-safe base64, padded or not (as Go's protojson accepts).
function b64decode(text) {
  const s = String(text).replace(/[\s]/g, "").replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  return fromBase64(s + "=".repeat((4 - (s.length % 4)) % 4));
}

// ---------------------------------------------------------------------------------------------
// JS value → protobufjs message (what gets encoded)

function defaultMessage(t) {
  if (fullName(t) === "google.protobuf.Timestamp") return { seconds: ZERO_TIME_SECONDS, nanos: 0 };
  return {};
}

// toPlain converts a cosmjs-style value to the plain object protobufjs's fromObject takes (proto
// field names, 64-bit numbers as strings). Non-nullable (gogoproto.nullable = false) message
// fields are always set, as gogo encodes them: the chain sees them present on the wire.
function toPlain(t, obj) {
  const out = {};
  for (const f of t.fieldsArray) {
    let v = fieldValue(obj, f);
    if (v === undefined || v === null) {
      if (f.repeated || !isMessageField(f) || opt(f, "(gogoproto.nullable)") !== false) continue;
      v = defaultMessage(f.resolvedType);
    }
    if (f.repeated) {
      out[f.name] = Array.from(v, (el) => plainValue(f, el));
      continue;
    }
    const pv = plainValue(f, v);
    // Zero scalars are left out, as gogo (and any canonical proto3 encoder) leaves them out.
    if (!isMessageField(f) && !f.options?.proto3_optional && isZeroScalar(f, enumNumber(f, pv))) continue;
    out[f.name] = pv;
  }
  return out;
}

function enumNumber(f, v) {
  return isEnumField(f) && typeof v === "string" ? enumByName(f, v) : v;
}

// The number of an enum value given by name; an unknown name is an error, not the zero value.
function enumByName(f, name) {
  const n = f.resolvedType.values[name];
  if (n === undefined) {
    throw new Error(`${f.name}: unknown ${fullName(f.resolvedType)} value "${name}" (one of ${Object.keys(f.resolvedType.values).join(", ")})`);
  }
  return n;
}

function plainValue(f, v) {
  if (isMessageField(f)) {
    const t = f.resolvedType;
    switch (fullName(t)) {
      case "google.protobuf.Timestamp": {
        const ts = timestampOf(v);
        return { seconds: ts.seconds.toString(), nanos: ts.nanos };
      }
      case "google.protobuf.Duration": {
        const d = durationOf(v);
        return { seconds: d.seconds.toString(), nanos: d.nanos };
      }
      case "google.protobuf.Any":
        return { type_url: v.typeUrl ?? v.type_url, value: v.value };
      default:
        return toPlain(t, v);
    }
  }
  if (LONG_TYPES.has(f.type)) return toBigInt(v).toString();
  if (f.type === "bytes" && typeof v === "string") return v; // base64, as proto JSON
  return enumNumber(f, v);
}

// fromPbjs turns a decoded protobufjs message into a cosmjs-style value (camelCase, bigint).
function fromPbjs(t, msg) {
  const out = {};
  for (const f of t.fieldsArray) {
    if (!hasOwn(msg, f.name)) continue;
    const v = msg[f.name];
    if (v == null) continue;
    out[camel(f.name)] = f.repeated ? Array.from(v, (el) => pbjsValue(f, el)) : pbjsValue(f, v);
  }
  return out;
}

function pbjsValue(f, v) {
  if (isMessageField(f)) {
    switch (fullName(f.resolvedType)) {
      case "google.protobuf.Timestamp":
      case "google.protobuf.Duration":
        return { seconds: toBigInt(v.seconds), nanos: Number(v.nanos ?? 0) };
      case "google.protobuf.Any":
        return { typeUrl: v.type_url, value: new Uint8Array(v.value ?? []) };
      default:
        return fromPbjs(f.resolvedType, v);
    }
  }
  if (LONG_TYPES.has(f.type)) return toBigInt(v);
  if (f.type === "bytes") return new Uint8Array(v);
  return v;
}

/**
 * A CosmJS GeneratedType (ts-proto style: encode, decode, fromPartial) for a protobufjs Type.
 */
export function generatedType(t) {
  const fromPartial = (obj) => t.fromObject(toPlain(t, obj ?? {}));
  return {
    typeUrl: "/" + fullName(t),
    fromPartial,
    encode(message, writer) {
      // fromPartial's output is a protobufjs message; anything else is converted first.
      const m = message instanceof t.ctor ? message : fromPartial(message);
      return t.encode(m, writer);
    },
    decode(input) {
      const bytes = input instanceof Uint8Array ? input : input.buf ?? input;
      return fromPbjs(t, t.decode(bytes));
    },
    fromJSON(json) {
      return fromProtoJSONType(t, json);
    },
    toJSON(value) {
      return t.toObject(fromPartial(value), { longs: String, enums: String, bytes: String, json: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Amino JSON (SIGN_MODE_LEGACY_AMINO_JSON), mirroring cosmossdk.io/x/tx/signing/aminojson

function isZeroScalar(f, v) {
  if (v == null) return true;
  if (LONG_TYPES.has(f.type)) return toBigInt(v) === 0n;
  if (f.type === "bytes") return v.length === 0;
  if (f.type === "string") return v === "";
  if (f.type === "bool") return v === false;
  return v === 0; // int32, uint32, enums
}

// has mirrors protoreflect Message.Has on the message as the chain decodes it from the wire.
function has(f, msg) {
  if (!hasOwn(msg, f.name)) return false;
  const v = msg[f.name];
  if (f.repeated) return v != null && v.length > 0;
  if (isMessageField(f)) return v != null;
  return !isZeroScalar(f, v);
}

// fieldEncoder returns x/tx's special encoder of a field, if it has one.
function fieldEncoder(root, f) {
  const enc = aminoEncoding(f);
  if (enc === "legacy_coins") {
    return (v) => (v == null || v.length === 0 ? [] : v.map((el) => aminoMessage(root, f.resolvedType, el)));
  }
  if (enc === "inline_json") {
    return (v) => sortJSON(JSON.parse(fromUtf8(v ?? new Uint8Array(), true)));
  }
  const scalar = scalarOf(f);
  if (scalar === "cosmos.Int" && !f.repeated) {
    return (v) => (v == null || v.length === 0 ? "0" : f.type === "bytes" ? intFromBytes(v) : String(v));
  }
  if (scalar === "cosmos.Dec" && !f.repeated) {
    return (v) => {
      if (v == null || v.length === 0) return "0";
      return decFromAtomics(f.type === "bytes" ? fromUtf8(v, true) : v);
    };
  }
  return undefined;
}

function intFromBytes(v) {
  // math.Int's binary form is its decimal text.
  return fromUtf8(v, true);
}

function sortJSON(v) {
  if (Array.isArray(v)) return v.map(sortJSON);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = sortJSON(v[k]);
    return o;
  }
  return v;
}

function zeroOf(f) {
  if (LONG_TYPES.has(f.type)) return "0";
  switch (f.type) {
    case "string":
      return "";
    case "bool":
      return false;
    case "bytes":
      return null;
    default:
      return 0;
  }
}

function aminoMessage(root, t, msg) {
  switch (fullName(t)) {
    case "google.protobuf.Timestamp":
      if ((msg.nanos ?? 0) < 0) throw new Error("timestamp nanos must be non-negative");
      return formatTimestamp(msg.seconds ?? 0, msg.nanos ?? 0);
    case "google.protobuf.Duration":
      return (toBigInt(msg.seconds ?? 0) * 1_000_000_000n + BigInt(msg.nanos ?? 0)).toString();
    case "google.protobuf.Any":
      return aminoAny(root, msg);
  }
  if (t.oneofsArray.some((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional))) {
    throw new Error(`${fullName(t)}: oneofs are not supported by this client`);
  }
  const out = {};
  for (const f of t.fieldsArray) {
    const name = aminoFieldName(f);
    const present = has(f, msg);
    const v = present ? msg[f.name] : undefined;
    const enc = fieldEncoder(root, f);
    if (!present && !dontOmitEmpty(f)) continue;
    if (enc) {
      out[name] = enc(v);
    } else if (!present) {
      if (f.repeated) out[name] = null;
      else if (isMessageField(f)) throw new Error(`${fullName(t)}.${f.name}: dont_omitempty on an unset message field`);
      else out[name] = zeroOf(f);
    } else if (f.repeated) {
      out[name] = Array.from(v, (el) => aminoScalarOrMessage(root, f, el));
    } else {
      out[name] = aminoScalarOrMessage(root, f, v);
    }
  }
  return out;
}

function aminoScalarOrMessage(root, f, v) {
  if (isMessageField(f)) return aminoMessage(root, f.resolvedType, v);
  if (LONG_TYPES.has(f.type)) return toBigInt(v).toString();
  if (f.type === "bytes") return b64encode(v);
  return v; // string, bool, int32/uint32, enum numbers
}

function aminoAny(root, any) {
  const typeUrl = any.type_url;
  const t = lookupType(root, typeUrl);
  const inner = t.decode(any.value);
  return { type: aminoName(t) ?? typeUrl, value: aminoMessage(root, t, inner) };
}

// From amino JSON back to a cosmjs-style value.
function fromAminoMessage(root, t, json) {
  const out = {};
  if (json == null) return out;
  for (const f of t.fieldsArray) {
    const v = json[aminoFieldName(f)];
    if (v === undefined || v === null) continue;
    out[camel(f.name)] = f.repeated ? v.map((el) => fromAminoValue(root, f, el)) : fromAminoValue(root, f, v);
  }
  return out;
}

function fromAminoValue(root, f, v) {
  const scalar = scalarOf(f);
  if (scalar === "cosmos.Dec") {
    const atomics = decToAtomics(v);
    return f.type === "bytes" ? toUtf8(atomics) : atomics;
  }
  if (scalar === "cosmos.Int") return f.type === "bytes" ? toUtf8(String(v)) : String(v);
  if (isMessageField(f)) {
    const t = f.resolvedType;
    switch (fullName(t)) {
      case "google.protobuf.Timestamp":
        return parseTimestamp(v);
      case "google.protobuf.Duration": {
        const n = BigInt(v);
        return { seconds: n / 1_000_000_000n, nanos: Number(n % 1_000_000_000n) };
      }
      case "google.protobuf.Any":
        return anyFromAmino(root, v);
      default:
        return fromAminoMessage(root, t, v);
    }
  }
  if (LONG_TYPES.has(f.type)) return BigInt(v);
  if (f.type === "bytes") return b64decode(v);
  if (isEnumField(f) && typeof v === "string") return enumByName(f, v);
  return v;
}

function anyFromAmino(root, { type, value }) {
  const t = typeByAminoName(root, type) ?? lookupType(root, type);
  const g = generatedType(t);
  return { typeUrl: g.typeUrl, value: g.encode(g.fromPartial(fromAminoMessage(root, t, value))).finish() };
}

const aminoIndex = new WeakMap();

function typeByAminoName(root, name) {
  let idx = aminoIndex.get(root);
  if (!idx) {
    idx = new Map();
    const walk = (ns) => {
      for (const n of ns.nestedArray) {
        if (n instanceof protobuf.Type && aminoName(n)) idx.set(aminoName(n), n);
        if (n instanceof protobuf.Namespace) walk(n);
      }
    };
    walk(root);
    aminoIndex.set(root, idx);
  }
  return idx.get(name);
}

/**
 * A CosmJS AminoConverter for a protobufjs Type that carries (amino.name).
 */
export function aminoConverter(t, root = loadRoot()) {
  const name = aminoName(t);
  if (!name) throw new Error(`${fullName(t)} has no (amino.name)`);
  const g = generatedType(t);
  return {
    aminoType: name,
    toAmino: (value) => aminoMessage(root, t, g.fromPartial(value)),
    fromAmino: (json) => fromAminoMessage(root, t, json),
  };
}

/** The amino JSON {type, value} of a Msg, exactly as the chain signs it. */
export function toAminoMsg(typeUrl, value, root = loadRoot()) {
  const c = aminoConverter(lookupType(root, typeUrl), root);
  return { type: c.aminoType, value: c.toAmino(value) };
}

// ---------------------------------------------------------------------------------------------
// Proto JSON (Go's jsonpb with proto field names) → cosmjs-style value

function fromProtoJSONType(t, json) {
  const out = {};
  for (const f of t.fieldsArray) {
    let v = json?.[f.name];
    if (v === undefined) v = json?.[camel(f.name)];
    if (v === undefined || v === null) continue;
    out[camel(f.name)] = f.repeated ? v.map((el) => protoJSONValue(f, el)) : protoJSONValue(f, v);
  }
  return out;
}

function protoJSONValue(f, v) {
  if (scalarOf(f) === "cosmos.Dec" && f.type === "string") return decToAtomics(v);
  if (isMessageField(f)) {
    const t = f.resolvedType;
    switch (fullName(t)) {
      case "google.protobuf.Timestamp":
        return parseTimestamp(v);
      case "google.protobuf.Duration":
        return durationOf(v);
      case "google.protobuf.Any": {
        const { "@type": typeUrl, ...rest } = v;
        const inner = lookupType(t.root, typeUrl);
        const g = generatedType(inner);
        return { typeUrl, value: g.encode(g.fromPartial(fromProtoJSONType(inner, rest))).finish() };
      }
      default:
        return fromProtoJSONType(t, v);
    }
  }
  if (LONG_TYPES.has(f.type)) return BigInt(v);
  if (f.type === "bytes") return b64decode(v);
  if (isEnumField(f) && typeof v === "string") return enumByName(f, v);
  return v;
}

/** Converts the chain's proto JSON of a message (REST, CLI) into a cosmjs-style value. */
export function fromProtoJSON(typeUrl, json, root = loadRoot()) {
  return fromProtoJSONType(lookupType(root, typeUrl), json);
}

// ---------------------------------------------------------------------------------------------
// Registry and AminoTypes

// Third-party Msgs whose CosmJS defaults are missing (gov v1 has no amino converter in CosmJS)
// and that carry our Msgs: served from the loaded protos.
const THIRD_PARTY_MSGS = ["/cosmos.gov.v1.MsgSubmitProposal"];

/** [typeUrl, GeneratedType] of every custom Msg (and the third-party ones above). */
export function customTypes(root = loadRoot()) {
  return [...customMsgTypeUrls(root), ...THIRD_PARTY_MSGS].map((u) => [u, generatedType(lookupType(root, u))]);
}

/** A CosmJS Registry: the SDK defaults (stargate's defaultRegistryTypes) and every BalanceAI Msg. */
export function registry(root = loadRoot()) {
  return new Registry([...defaultRegistryTypes, ...customTypes(root)]);
}

/** The AminoConverters of every BalanceAI Msg (and gov v1 MsgSubmitProposal), by type URL. */
export function customAminoConverters(root = loadRoot()) {
  const out = {};
  for (const u of [...customMsgTypeUrls(root), ...THIRD_PARTY_MSGS]) out[u] = aminoConverter(lookupType(root, u), root);
  return out;
}

/** CosmJS AminoTypes: stargate's default converters and every BalanceAI Msg. */
export function aminoTypes(root = loadRoot()) {
  return new AminoTypes({ ...createDefaultAminoConverters(), ...customAminoConverters(root) });
}

/** Options for SigningStargateClient.connectWithSigner. */
export function signingClientOptions(root = loadRoot()) {
  return { registry: registry(root), aminoTypes: aminoTypes(root) };
}

// Curator score commitments (x/curation): see curation.js.
export {
  MAX_SALT_BYTES,
  MAX_SCORE,
  commitScoresMsg,
  commitmentString,
  randomSalt,
  revealScoresMsg,
  scoreCommitment,
  sortScores,
} from "./curation.js";

// Signed calls to an AI node (baid gateway): see gateway.js.
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
