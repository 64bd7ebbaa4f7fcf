// Signed calls to a BalanceAI AI node (`baid gateway start`, docs/gateway.md).
//
// A caller signs a canonical digest of its HTTP request with ADR-036 — an amino-JSON sign doc
// holding one `sign/MsgSignData`, empty chain id, zero fee, account number and sequence 0, what
// Keplr's signArbitrary signs — and sends the signature, its public key and address, a
// timestamp and a nonce in five headers, and the body's SHA-256 in a sixth, so that the node
// authenticates the call before it reads the body. The node checks that the key belongs to the address,
// that it signed this very request (chain, listing, method, path, body), that the timestamp is
// within its window and that the nonce is new; then it asks the chain (x/access) whether the
// address may use the listing.
//
// This file uses no Node-only API, so it also runs in a browser bundle (import
// "@balanceai/client/gateway" to leave the .proto loader of the main entry point out).

import { makeSignDoc, pubkeyToAddress, serializeSignDoc } from "@cosmjs/amino";
import { Random, sha256 } from "@cosmjs/crypto";
import { fromBase64, fromBech32, toBase64, toHex, toUtf8 } from "@cosmjs/encoding";

/** First line of every canonical request digest. */
export const DIGEST_VERSION = "BALANCEAI-GATEWAY-V1";

/** Request header names. */
export const HEADER_ADDRESS = "X-BAI-Address";
export const HEADER_PUBKEY = "X-BAI-PubKey";
export const HEADER_SIGNATURE = "X-BAI-Signature";
export const HEADER_TIMESTAMP = "X-BAI-Timestamp";
export const HEADER_NONCE = "X-BAI-Nonce";
/** Hex SHA-256 of the body, the digest's line that covers it (optional for the node). */
export const HEADER_BODY_SHA256 = "X-BAI-Body-SHA256";

/** Response headers of a served call: the IPFS CIDs of the request and response bodies. */
export const HEADER_REQUEST_CID = "X-BAI-Request-CID";
export const HEADER_RESPONSE_CID = "X-BAI-Response-CID";

const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const SECP256K1_PUBKEY_TYPE = "tendermint/PubKeySecp256k1";

function decimal(v, what, max) {
  let n;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === "string" && /^(0|-?[1-9][0-9]*)$/.test(v)) n = BigInt(v);
  else throw new Error(`${what} must be an integer, got ${String(v)}`);
  if (n > max || n < (what === "listingId" ? 0n : -INT64_MAX - 1n)) throw new Error(`${what} out of range: ${n}`);
  return n.toString();
}

function bodyBytes(body) {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === "string") return toUtf8(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new Error("body must be a string (sent UTF-8 encoded), a Uint8Array or an ArrayBuffer");
}

/** A random 32-character hex nonce. */
export function newNonce() {
  return toHex(Random.getBytes(16));
}

/** Unix seconds now. */
export function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

/**
 * The canonical request digest, the UTF-8 text that is signed:
 *
 *   BALANCEAI-GATEWAY-V1\n<chainId>\n<listingId>\n<METHOD>\n<path>\n<hex sha256(body)>\n<timestamp>\n<nonce>
 *
 * path is the request path and query exactly as sent to the node (for example
 * "/listings/7/v1/chat/completions?stream=false"); body is a string (UTF-8) or bytes, empty
 * when absent.
 */
export function requestDigest({ chainId, listingId, method, path, body, timestamp, nonce }) {
  if (typeof chainId !== "string" || chainId === "") throw new Error("chainId is required");
  if (typeof method !== "string" || method === "") throw new Error("method is required");
  if (typeof path !== "string" || !path.startsWith("/")) throw new Error(`path must start with "/", got ${path}`);
  if (typeof nonce !== "string" || !NONCE_RE.test(nonce)) {
    throw new Error(`nonce must be 16 to 64 characters of letters, digits, '-' and '_', got ${nonce}`);
  }
  for (const [what, v] of [["chainId", chainId], ["path", path], ["method", method]]) {
    if (v.includes("\n")) throw new Error(`${what} may not contain a newline`);
  }
  return [
    DIGEST_VERSION,
    chainId,
    decimal(listingId, "listingId", UINT64_MAX),
    method.toUpperCase(),
    path,
    toHex(sha256(bodyBytes(body))),
    decimal(timestamp, "timestamp", INT64_MAX),
    nonce,
  ].join("\n");
}

/**
 * The ADR-036 amino sign doc of data (bytes, or a string taken as UTF-8) signed by address:
 * one sign/MsgSignData, empty chain id and memo, zero fee, account number and sequence 0.
 * serializeSignDoc() of it gives the exact bytes signed (sorted-key JSON).
 */
export function adr36SignDoc(address, data) {
  const bytes = typeof data === "string" ? toUtf8(data) : data;
  return makeSignDoc(
    [{ type: "sign/MsgSignData", value: { signer: address, data: toBase64(bytes) } }],
    { gas: "0", amount: [] },
    "",
    "",
    0,
    0,
  );
}

// signDigest returns {pubKey, signature}, both base64, from whatever signer was given.
async function signDigest(signer, chainId, address, digest) {
  if (typeof signer?.signArbitrary === "function") {
    // Keplr (window.keplr) and wallets that copy its API.
    return fromStdSignature(await signer.signArbitrary(chainId, address, digest));
  }
  if (typeof signer?.keplr?.signArbitrary === "function" && typeof signer.chainId === "string") {
    // Keplr's getOfflineSigner*/getOfflineSignerOnlyAmino: their signAmino refuses a sign doc
    // whose chain_id is not theirs, and an ADR-036 doc has an empty one, so sign through the
    // wallet they wrap.
    return fromStdSignature(await signer.keplr.signArbitrary(signer.chainId, address, digest));
  }
  if (typeof signer?.signAmino === "function") {
    const doc = adr36SignDoc(address, toUtf8(digest));
    const want = serializeSignDoc(doc);
    const res = await signer.signAmino(address, doc);
    if (res?.signed && toHex(serializeSignDoc(res.signed)) !== toHex(want)) {
      throw new Error("the wallet changed the ADR-036 sign doc before signing it; the node would refuse the signature");
    }
    return fromStdSignature(res.signature);
  }
  throw new Error("signer must be an OfflineAminoSigner (signAmino) or have signArbitrary(chainId, signer, data)");
}

function fromStdSignature(sig) {
  if (!sig?.pub_key?.value || !sig.signature) throw new Error("the wallet returned no signature or public key");
  if (sig.pub_key.type && sig.pub_key.type !== SECP256K1_PUBKEY_TYPE) {
    throw new Error(`the node accepts secp256k1 keys only, the wallet signed with ${sig.pub_key.type}`);
  }
  return { pubKey: sig.pub_key.value, signature: sig.signature };
}

/**
 * Signs a call to an AI node and returns its six headers:
 * { "X-BAI-Address", "X-BAI-PubKey", "X-BAI-Signature", "X-BAI-Timestamp", "X-BAI-Nonce",
 *   "X-BAI-Body-SHA256" }.
 *
 * signer: a CosmJS OfflineAminoSigner (Secp256k1HdWallet, Keplr's getOfflineSignerOnlyAmino or
 * getOfflineSigner) or an object with Keplr's signArbitrary(chainId, signer, data) (window.keplr).
 * address: the bech32 account the signer signs for (its stake is what the node checks).
 * chainId, listingId: the chain and the listing the call is for.
 * method, path, body: exactly what is sent: path with its query ("/listings/7/v1/chat?x=1");
 * body a string (sent UTF-8 encoded) or bytes, omitted for none.
 * timestamp (unix seconds, default now) and nonce (default 32 random hex characters; 16 to 64
 * of [A-Za-z0-9_-]) may be given; a node refuses a nonce it has seen within its window.
 */
export async function signRequest({ signer, address, chainId, listingId, method, path, body, timestamp, nonce }) {
  if (typeof address !== "string" || address === "") throw new Error("address is required");
  const ts = decimal(timestamp ?? nowSeconds(), "timestamp", INT64_MAX);
  const n = nonce ?? newNonce();
  const digest = requestDigest({ chainId, listingId, method, path, body, timestamp: ts, nonce: n });
  const { pubKey, signature } = await signDigest(signer, chainId, address, digest);

  const pub = fromBase64(pubKey);
  if (pub.length !== 33) throw new Error(`expected a 33-byte compressed secp256k1 public key, got ${pub.length} bytes`);
  if (fromBase64(signature).length !== 64) throw new Error("expected a 64-byte secp256k1 signature (r || s)");
  const { prefix } = fromBech32(address, 90);
  const owner = pubkeyToAddress({ type: SECP256K1_PUBKEY_TYPE, value: pubKey }, prefix);
  if (owner !== address) throw new Error(`the signer's key belongs to ${owner}, not ${address}`);

  return {
    [HEADER_ADDRESS]: address,
    [HEADER_PUBKEY]: pubKey,
    [HEADER_SIGNATURE]: signature,
    [HEADER_TIMESTAMP]: ts,
    [HEADER_NONCE]: n,
    [HEADER_BODY_SHA256]: toHex(sha256(bodyBytes(body))),
  };
}
