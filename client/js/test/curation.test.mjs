// Score commitments: the same golden vectors as x/curation/types/scoring_test.go, so a
// commitment made here reveals on the chain.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";

import {
  commitScoresMsg,
  commitmentString,
  randomSalt,
  registry,
  revealScoresMsg,
  scoreCommitment,
  sortScores,
} from "../src/index.js";

// bech32("bai", bytes 1..20), as in the Go test.
const curator = "bai1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5zdy8hm";
const other = "bai1vd6hyct5daerqvpsxqcrqvpsxqcrqvp392hn2q";

test("golden vectors shared with the Go keeper", () => {
  const readme = { curator, chainId: "balanceai-1", salt: "pepper", epoch: 12, scores: [{ listingId: 9, score: 30 }, { listingId: 1, score: 80 }, { listingId: 4, score: 65 }] };
  assert.equal(commitmentString(readme), `${curator}|balanceai-1|pepper|12|1:80,4:65,9:30`);
  assert.equal(scoreCommitment(readme), "6351ebd0cc13854ec9a24c83c145d1907302e5ca3eba64bfa5359c9172462ce2");

  const small = { curator, chainId: "balanceai-1", salt: "abc", epoch: 5n, scores: [{ listing_id: "12", score: 7 }, { listingId: 3n, score: 100 }] };
  assert.equal(commitmentString(small), `${curator}|balanceai-1|abc|5|3:100,12:7`);
  assert.equal(scoreCommitment(small), "1916c15bc67b762d340e111eddd3c520e57752043ab3a0e82cd594607228f4b7");

  // 64-bit ids and epochs, and a non-ASCII salt (hashed as UTF-8).
  const edge = {
    curator, chainId: "balanceai-1", salt: "sel-é", epoch: "18446744073709551615",
    scores: [{ listingId: 18446744073709551615n, score: 100 }, { listingId: 1, score: 0 }],
  };
  const want = `${curator}|balanceai-1|sel-é|18446744073709551615|1:0,18446744073709551615:100`;
  assert.equal(commitmentString(edge), want);
  assert.equal(scoreCommitment(edge), createHash("sha256").update(want, "utf8").digest("hex"));
  assert.equal(scoreCommitment(edge), "3102d56cf7db4db7ea2a56d0a02b69fad6cff191f3c141b41202694fd8196e6f");
});

test("the commitment binds the curator and the chain", () => {
  const base = { curator, chainId: "balanceai-1", salt: "pepper", epoch: 12, scores: [{ listingId: 1, score: 80 }] };
  const c = scoreCommitment(base);
  assert.notEqual(c, scoreCommitment({ ...base, curator: other }));
  assert.notEqual(c, scoreCommitment({ ...base, chainId: "balanceai-2" }));
  assert.match(c, /^[0-9a-f]{64}$/);
});

test("refuses what the chain would refuse", () => {
  const base = { curator, chainId: "balanceai-1", salt: "s", epoch: 1, scores: [{ listingId: 1, score: 50 }] };
  const bad = [
    { chainId: "" },
    { curator: "not-an-address" },
    { curator: "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu" },
    { salt: "" },
    { salt: "a|b" },
    { salt: "x".repeat(129) },
    { epoch: -1 },
    { epoch: "1e3" },
    { scores: [] },
    { scores: [{ listingId: 0, score: 1 }] },
    { scores: [{ listingId: 1, score: 101 }] },
    { scores: [{ listingId: 1, score: 1.5 }] },
    { scores: [{ listingId: 2, score: 1 }, { listingId: 2, score: 3 }] },
  ];
  for (const b of bad) assert.throws(() => scoreCommitment({ ...base, ...b }), undefined, JSON.stringify(b));
  assert.doesNotThrow(() => scoreCommitment({ ...base, salt: "x".repeat(128) }));
});

test("commit and reveal messages encode with the chain's registry", () => {
  const scores = [{ listingId: 4, score: 65 }, { listingId: 1, score: 80 }];
  const { msg, salt } = commitScoresMsg({ curator, chainId: "balanceai-1", epoch: 12, scores });
  assert.match(salt, /^[0-9a-f]{32}$/);
  assert.notEqual(salt, randomSalt());
  assert.equal(msg.value.commitment, scoreCommitment({ curator, chainId: "balanceai-1", salt, epoch: 12, scores }));
  const fixed = commitScoresMsg({ curator, chainId: "balanceai-1", epoch: 12, scores: [...scores, { listingId: 9, score: 30 }], salt: "pepper" });
  assert.equal(fixed.msg.value.commitment, "6351ebd0cc13854ec9a24c83c145d1907302e5ca3eba64bfa5359c9172462ce2");

  const reveal = revealScoresMsg({ curator, epoch: 12, salt, scores });
  assert.deepEqual(reveal.value.scores, sortScores(scores));

  const reg = registry();
  for (const m of [msg, reveal]) {
    const bytes = reg.encode(m);
    const back = reg.decode({ typeUrl: m.typeUrl, value: bytes });
    assert.equal(back.curator, curator);
    assert.equal(BigInt(back.epoch), 12n);
  }
});
