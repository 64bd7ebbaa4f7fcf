// Curator score commitments (x/curation, docs/spec/curation.md).
//
// A curator commits to its scores in the commit phase of an epoch (MsgCommitScores) and reveals
// them in the reveal phase (MsgRevealScores). The commitment is the lowercase hex SHA-256 of the
// UTF-8 string
//
//   <curator bech32>|<chain_id>|<salt>|<epoch>|<id>:<score>,<id>:<score>...
//
// with the scores sorted by listing id, in decimal without leading zeros or spaces. The curator
// (the signer of both messages) and the chain id are part of the hash: a commitment copied from
// another curator never matches the copier's reveal, and one made for another chain never
// matches here. The salt (1-128 bytes, no '|') keeps the scores secret until the reveal; keep it
// with the scores, a commitment that is not revealed costs no_reveal_slash of the bond.
//
// This file uses no Node-only API, so it also runs in a browser bundle (import
// "@balanceai/client/curation").

import { Random, sha256 } from "@cosmjs/crypto";
import { fromBech32, toHex, toUtf8 } from "@cosmjs/encoding";

/** The highest score a curator can give. */
export const MAX_SCORE = 100;
/** The longest salt, in UTF-8 bytes. */
export const MAX_SALT_BYTES = 128;

const UINT64_MAX = (1n << 64n) - 1n;

function uint64(v, what) {
  let n;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === "string" && /^(0|[1-9][0-9]*)$/.test(v)) n = BigInt(v);
  else throw new Error(`${what} must be a non-negative integer, got ${String(v)}`);
  if (n < 0n || n > UINT64_MAX) throw new Error(`${what} out of range: ${n}`);
  return n;
}

function checkSalt(salt) {
  if (typeof salt !== "string") throw new Error("salt must be a string");
  const bytes = toUtf8(salt).length;
  if (bytes === 0 || bytes > MAX_SALT_BYTES || salt.includes("|")) {
    throw new Error(`salt must be 1-${MAX_SALT_BYTES} bytes without '|', got ${bytes} bytes`);
  }
}

/**
 * Checks and sorts scores ([{ listingId, score }], snake_case listing_id accepted): at least one,
 * listing ids non-zero and distinct, scores integers 0-100. Returns [{ listingId: bigint,
 * score: number }] sorted by listing id, the order the commitment and the chain use.
 */
export function sortScores(scores) {
  if (!Array.isArray(scores) || scores.length === 0) throw new Error("at least one score is required");
  const out = scores.map((s, i) => {
    const listingId = uint64(s?.listingId ?? s?.listing_id, `scores[${i}].listingId`);
    if (listingId === 0n) throw new Error(`scores[${i}]: listing id 0 does not exist`);
    const score = Number(s?.score);
    if (!Number.isInteger(score) || score < 0 || score > MAX_SCORE) {
      throw new Error(`scores[${i}]: score must be an integer 0-${MAX_SCORE}, got ${String(s?.score)}`);
    }
    return { listingId, score };
  });
  out.sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0));
  for (let i = 1; i < out.length; i++) {
    if (out[i].listingId === out[i - 1].listingId) throw new Error(`listing ${out[i].listingId} is scored twice`);
  }
  return out;
}

/**
 * The committed string "<curator>|<chainId>|<salt>|<epoch>|<id>:<score>,..." (scores in any
 * order; they are sorted by listing id). curator is the committing curator's bech32 address.
 */
export function commitmentString({ curator, chainId, salt, epoch, scores }) {
  if (typeof curator !== "string" || curator === "") throw new Error("curator is required");
  // 90 is the bech32 length limit; the chain's signer is always its canonical "bai1..." form.
  if (fromBech32(curator, 90).prefix !== "bai") throw new Error(`curator must be a bai1... address, got ${curator}`);
  if (typeof chainId !== "string" || chainId === "") throw new Error("chainId is required: the commitment includes it");
  checkSalt(salt);
  const list = sortScores(scores)
    .map((s) => `${s.listingId}:${s.score}`)
    .join(",");
  return `${curator}|${chainId}|${salt}|${uint64(epoch, "epoch")}|${list}`;
}

/** The commitment: lowercase hex SHA-256 of commitmentString(...). */
export function scoreCommitment(args) {
  return toHex(sha256(toUtf8(commitmentString(args))));
}

/** A random salt: 16 random bytes as 32 hex characters. */
export function randomSalt() {
  return toHex(Random.getBytes(16));
}

/**
 * The MsgCommitScores of a curator for an epoch, and the salt it used (a random one unless
 * given): { msg: { typeUrl, value }, salt }. Keep salt and scores to reveal them.
 */
export function commitScoresMsg({ curator, chainId, epoch, scores, salt = randomSalt() }) {
  const commitment = scoreCommitment({ curator, chainId, salt, epoch, scores });
  return {
    msg: {
      typeUrl: "/balanceai.curation.v1.MsgCommitScores",
      value: { curator, epoch: uint64(epoch, "epoch"), commitment },
    },
    salt,
  };
}

/** The MsgRevealScores matching a commitment made with commitScoresMsg. */
export function revealScoresMsg({ curator, epoch, salt, scores }) {
  checkSalt(salt);
  return {
    typeUrl: "/balanceai.curation.v1.MsgRevealScores",
    value: {
      curator,
      epoch: uint64(epoch, "epoch"),
      salt,
      scores: sortScores(scores).map((s) => ({ listingId: s.listingId, score: s.score })),
    },
  };
}
