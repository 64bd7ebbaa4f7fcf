// signRequest, the caller side of the AI node's authentication (gateway/auth), without a chain:
// the committed golden vector gateway/auth/testdata/adr36_vector.json (which the Go gateway
// verifies) is recomputed byte for byte, the signature verifies over the ADR-036 sign bytes,
// and Keplr-shaped signers give the same headers as a CosmJS wallet.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";

import { Secp256k1HdWallet, serializeSignDoc } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, toHex, toUtf8 } from "@cosmjs/encoding";

import * as index from "../src/index.js";
import { adr36SignDoc, requestDigest, signRequest } from "../src/gateway.js";
import { VECTOR_INPUT, VECTOR_PATH, computeVector, formatVector, vectorWallet } from "./gateway-vector.mjs";

const committed = fs.readFileSync(VECTOR_PATH, "utf8");
const vector = JSON.parse(committed);
const wallet = await vectorWallet();
const [{ address }] = await wallet.getAccounts();
const request = {
  chainId: VECTOR_INPUT.chain_id,
  listingId: VECTOR_INPUT.listing_id,
  method: VECTOR_INPUT.method,
  path: VECTOR_INPUT.path,
  body: VECTOR_INPUT.body,
  timestamp: VECTOR_INPUT.timestamp,
  nonce: VECTOR_INPUT.nonce,
};
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// verifies(headers, req): does the signature in headers cover req, as the node checks it?
async function verifies(headers, req) {
  const digest = requestDigest({ ...req, timestamp: headers["X-BAI-Timestamp"], nonce: headers["X-BAI-Nonce"] });
  const bytes = serializeSignDoc(adr36SignDoc(headers["X-BAI-Address"], toUtf8(digest)));
  const sig = Secp256k1Signature.fromFixedLength(fromBase64(headers["X-BAI-Signature"]));
  return Secp256k1.verifySignature(sig, sha256(bytes), fromBase64(headers["X-BAI-PubKey"]));
}

// A stand-in for window.keplr: signArbitrary signs the ADR-036 doc of data (a string is taken
// as UTF-8, as Keplr does) with the given wallet and returns a StdSignature.
function fakeKeplr(w, chainId) {
  const calls = [];
  return {
    calls,
    async signArbitrary(cid, signer, data) {
      calls.push({ cid, signer, data });
      if (cid !== chainId) throw new Error(`unknown chain ${cid}`);
      const bytes = typeof data === "string" ? toUtf8(data) : data;
      const { signature } = await w.signAmino(signer, adr36SignDoc(signer, bytes));
      return signature;
    },
  };
}

test("the committed golden vector is what signRequest computes", async () => {
  const got = await computeVector();
  assert.equal(formatVector(got), committed, "run `npm run vector:gateway` only if the protocol changed on purpose");
  assert.equal(vector.address, address);
  assert.equal(vector.address, "bai19rl4cm2hmr8afy4kldpxz3fka4jguq0ap09ywj");
});

test("the vector's digest and sign bytes follow the protocol", () => {
  const bodyHash = toHex(sha256(toUtf8(vector.body)));
  assert.equal(
    vector.digest,
    [
      "BALANCEAI-GATEWAY-V1",
      "balanceai-devnet",
      "7",
      "POST",
      "/listings/7/v1/completions?stream=false",
      bodyHash,
      "1767225600",
      "0123456789abcdef0123456789abcdef",
    ].join("\n"),
  );
  assert.equal(
    vector.sign_bytes,
    `{"account_number":"0","chain_id":"","fee":{"amount":[],"gas":"0"},"memo":"",` +
      `"msgs":[{"type":"sign/MsgSignData","value":{"data":"${toBase64(toUtf8(vector.digest))}",` +
      `"signer":"${vector.address}"}}],"sequence":"0"}`,
  );
  assert.equal(fromBase64(vector.pub_key).length, 33);
  assert.equal(fromBase64(vector.signature).length, 64);
});

test("the vector's signature verifies over sha256 of the sign bytes, for that request only", async () => {
  const sig = Secp256k1Signature.fromFixedLength(fromBase64(vector.signature));
  const pub = fromBase64(vector.pub_key);
  assert.ok(await Secp256k1.verifySignature(sig, sha256(toUtf8(vector.sign_bytes)), pub));

  const headers = await signRequest({ signer: wallet, address, ...request });
  assert.ok(await verifies(headers, request));
  for (const change of [
    { body: '{"prompt":"hellO"}' },
    { path: "/listings/7/v1/completions?stream=true" },
    { method: "GET" },
    { listingId: 8 },
    { chainId: "balanceai-1" },
  ]) {
    assert.equal(await verifies(headers, { ...request, ...change }), false, JSON.stringify(change));
  }
});

test("signRequest returns the six headers; timestamp and nonce default to now and random", async () => {
  const before = Math.floor(Date.now() / 1000);
  const a = await signRequest({ signer: wallet, address, ...request, timestamp: undefined, nonce: undefined });
  const b = await signRequest({ signer: wallet, address, ...request, timestamp: undefined, nonce: undefined });
  const after = Math.floor(Date.now() / 1000);
  assert.deepEqual(Object.keys(a).sort(), ["X-BAI-Address", "X-BAI-Body-SHA256", "X-BAI-Nonce", "X-BAI-PubKey", "X-BAI-Signature", "X-BAI-Timestamp"]);
  // The body's hash, the digest's sixth line.
  assert.equal(a["X-BAI-Body-SHA256"], requestDigest({ ...request, timestamp: 0, nonce: a["X-BAI-Nonce"] }).split("\n")[5]);
  assert.match(a["X-BAI-Body-SHA256"], /^[0-9a-f]{64}$/);
  assert.equal(a["X-BAI-Address"], address);
  assert.equal(a["X-BAI-PubKey"], vector.pub_key);
  const ts = Number(a["X-BAI-Timestamp"]);
  assert.ok(ts >= before && ts <= after, `timestamp ${ts}`);
  assert.match(a["X-BAI-Nonce"], /^[0-9a-f]{32}$/);
  assert.notEqual(a["X-BAI-Nonce"], b["X-BAI-Nonce"]);
  assert.ok(await verifies(a, request));
  // Headers drop straight into fetch.
  assert.equal(new Headers(a).get("x-bai-signature"), a["X-BAI-Signature"]);
});

test("requestDigest: method upper-cased, body as string or bytes, empty body, integer forms", () => {
  const base = requestDigest(request);
  assert.equal(requestDigest({ ...request, method: "post" }), base);
  assert.equal(requestDigest({ ...request, body: toUtf8(request.body) }), base);
  assert.equal(requestDigest({ ...request, body: toUtf8(request.body).buffer }), base);
  assert.equal(requestDigest({ ...request, listingId: 7n, timestamp: "1767225600" }), base);
  const empty = requestDigest({ ...request, method: "GET", body: undefined }).split("\n");
  assert.equal(empty[3], "GET");
  assert.equal(empty[5], EMPTY_SHA256);
  assert.equal(requestDigest({ ...request, body: "" }).split("\n")[5], EMPTY_SHA256);
  // A non-ASCII body is hashed as UTF-8.
  assert.equal(requestDigest({ ...request, body: "héllo" }).split("\n")[5], toHex(sha256(new Uint8Array([104, 195, 169, 108, 108, 111]))));
});

test("bad input is refused before anything is signed", async () => {
  for (const nonce of ["short", "x".repeat(65), "0123456789abcdef!", "0123456789 abcdef"]) {
    await assert.rejects(signRequest({ signer: wallet, address, ...request, nonce }), /nonce must be 16 to 64/);
  }
  await signRequest({ signer: wallet, address, ...request, nonce: "A-b_" + "c".repeat(12) });
  await signRequest({ signer: wallet, address, ...request, nonce: "n".repeat(64) });
  await assert.rejects(signRequest({ signer: wallet, address, ...request, listingId: -1 }), /listingId/);
  await assert.rejects(signRequest({ signer: wallet, address, ...request, listingId: 1.5 }), /listingId/);
  await assert.rejects(signRequest({ signer: wallet, address, ...request, timestamp: "soon" }), /timestamp/);
  await assert.rejects(signRequest({ signer: wallet, address, ...request, path: "listings/7" }), /path must start/);
  await assert.rejects(signRequest({ signer: wallet, address, ...request, chainId: "" }), /chainId/);
  await assert.rejects(signRequest({ signer: {}, address, ...request }), /OfflineAminoSigner/);
  // A wallet without that address (CosmJS refuses to sign for it).
  const other = await Secp256k1HdWallet.generate(12, { prefix: "bai" });
  await assert.rejects(signRequest({ signer: other, address, ...request }));
});

test("a signer whose key is not the address's is refused", async () => {
  const other = await Secp256k1HdWallet.generate(12, { prefix: "bai" });
  const [{ address: otherAddr }] = await other.getAccounts();
  // Signs for otherAddr's key whatever address it is asked for.
  const lying = { signAmino: (_addr, doc) => other.signAmino(otherAddr, doc) };
  await assert.rejects(signRequest({ signer: lying, address, ...request }), /belongs to bai1/);
});

test("a wallet that edits the sign doc is refused", async () => {
  const editing = {
    async signAmino(addr, doc) {
      return wallet.signAmino(addr, { ...doc, fee: { gas: "200000", amount: [{ denom: "ubai", amount: "500" }] } });
    },
  };
  await assert.rejects(signRequest({ signer: editing, address, ...request }), /changed the ADR-036 sign doc/);
});

test("Keplr's signArbitrary (window.keplr) gives the same headers as a CosmJS wallet", async () => {
  const keplr = fakeKeplr(wallet, request.chainId);
  const got = await signRequest({ signer: keplr, address, ...request });
  assert.deepEqual(got, await signRequest({ signer: wallet, address, ...request }));
  assert.equal(got["X-BAI-Signature"], vector.signature);
  assert.deepEqual(keplr.calls, [{ cid: request.chainId, signer: address, data: vector.digest }]);
});

test("Keplr's offline signers sign through the wallet's signArbitrary", async () => {
  // Keplr's CosmJSOfflineSigner(OnlyAmino) refuses a sign doc whose chain_id is not its own; an
  // ADR-036 doc has an empty chain_id.
  const keplr = fakeKeplr(wallet, request.chainId);
  const offline = {
    chainId: request.chainId,
    keplr,
    getAccounts: () => wallet.getAccounts(),
    async signAmino(addr, doc) {
      if (doc.chain_id !== this.chainId) throw new Error("Unmatched chain id with the offline signer");
      return wallet.signAmino(addr, doc);
    },
  };
  const got = await signRequest({ signer: offline, address, ...request });
  assert.equal(got["X-BAI-Signature"], vector.signature);
  assert.equal(keplr.calls.length, 1);
});

test("the package entry point re-exports the gateway helpers", () => {
  assert.equal(index.signRequest, signRequest);
  assert.equal(index.requestDigest, requestDigest);
  assert.equal(index.adr36SignDoc, adr36SignDoc);
  assert.equal(index.HEADER_REQUEST_CID, "X-BAI-Request-CID");
  assert.equal(index.HEADER_BODY_SHA256, "X-BAI-Body-SHA256");
});
