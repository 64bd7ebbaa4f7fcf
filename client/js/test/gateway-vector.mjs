// The golden vector of a signed AI-node call: a fixed key (the well-known Cosmos test mnemonic)
// signs a fixed request with signRequest. computeVector() builds it; run this file
// (`npm run vector:gateway`) to rewrite gateway/auth/testdata/adr36_vector.json, which the Go
// gateway verifies and test/gateway.test.mjs recomputes (secp256k1 signing is deterministic,
// RFC 6979, so the signature is fixed too).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Secp256k1HdWallet, serializeSignDoc } from "@cosmjs/amino";
import { stringToPath } from "@cosmjs/crypto";
import { toUtf8 } from "@cosmjs/encoding";

import { adr36SignDoc, requestDigest, signRequest } from "../src/gateway.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const VECTOR_PATH = path.resolve(here, "../../../gateway/auth/testdata/adr36_vector.json");

export const VECTOR_INPUT = {
  mnemonic: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
  hd_path: "m/44'/118'/0'/0/0",
  prefix: "bai",
  chain_id: "balanceai-devnet",
  listing_id: 7,
  method: "POST",
  path: "/listings/7/v1/completions?stream=false",
  body: '{"prompt":"hello"}',
  timestamp: 1767225600,
  nonce: "0123456789abcdef0123456789abcdef",
};

export async function vectorWallet() {
  return Secp256k1HdWallet.fromMnemonic(VECTOR_INPUT.mnemonic, {
    prefix: VECTOR_INPUT.prefix,
    hdPaths: [stringToPath(VECTOR_INPUT.hd_path)],
  });
}

/** The vector, in the field order of the committed file. */
export async function computeVector() {
  const v = VECTOR_INPUT;
  const wallet = await vectorWallet();
  const [{ address }] = await wallet.getAccounts();
  const request = {
    chainId: v.chain_id,
    listingId: v.listing_id,
    method: v.method,
    path: v.path,
    body: v.body,
    timestamp: v.timestamp,
    nonce: v.nonce,
  };
  const digest = requestDigest(request);
  const signBytes = new TextDecoder().decode(serializeSignDoc(adr36SignDoc(address, toUtf8(digest))));
  const headers = await signRequest({ signer: wallet, address, ...request });
  return {
    mnemonic: v.mnemonic,
    hd_path: v.hd_path,
    address,
    chain_id: v.chain_id,
    listing_id: v.listing_id,
    method: v.method,
    path: v.path,
    body: v.body,
    timestamp: v.timestamp,
    nonce: v.nonce,
    digest,
    sign_bytes: signBytes,
    pub_key: headers["X-BAI-PubKey"],
    signature: headers["X-BAI-Signature"],
  };
}

export function formatVector(vector) {
  return JSON.stringify(vector, null, 2) + "\n";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = formatVector(await computeVector());
  fs.mkdirSync(path.dirname(VECTOR_PATH), { recursive: true });
  fs.writeFileSync(VECTOR_PATH, text);
  process.stdout.write(`wrote ${VECTOR_PATH}\n${text}`);
}
