// The AI node accepts what signRequest signs, against a real chain and a real `baid gateway
// start` (BAID=<path of a built baid>): a one-validator devnet is created; a provider registers
// a model listing that needs a stake (min_stake 5 BAI, 5 requests a day) and makes the key "op"
// (in the chain home's test keyring, as the node needs it) its operator; a caller delegates
// 10 BAI. A small HTTP server in this process stands in for the model. Then a call signed by a
// CosmJS wallet is served (200, request and response CIDs), both bodies are fetchable by CID,
// and the usage receipt with those CIDs appears on chain. Refused: the same headers with a
// tampered body (401 bad_signature), the same request again (401 replayed_nonce) and a caller
// without stake (403). The node, the gateway and the model server are stopped at the end,
// whatever happens.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";

import { generatedType, loadRoot, signingClientOptions, signRequest } from "../src/index.js";
import { Devnet, freePort, generateMnemonic } from "./devnet.mjs";

const CHAIN_ID = "balanceai-js-gateway";
const CID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const MIN_STAKE = 5_000_000n; // ubai
const DELEGATION = 10_000_000n; // twice the minimum: quota 2 × requests_per_day
const REQUESTS_PER_DAY = 5n;

const devnet = new Devnet(process.env.BAID, CHAIN_ID);
const root = loadRoot();
let upstream; // the stand-in model
let gw; // the gateway process
let gwUrl;
let gwLog;
let listingId;
const users = {};

async function connect(mnemonic) {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "bai" });
  const [{ address }] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(devnet.rpcUrl, wallet, {
    ...signingClientOptions(),
    gasPrice: GasPrice.fromString("0.0025ubai"),
    broadcastPollIntervalMs: 250,
    broadcastTimeoutMs: 30_000,
  });
  return { address, client };
}

function requireOK(res, what) {
  assert.equal(res.code, 0, `${what}: code ${res.code} ${res.rawLog ?? ""}`);
  return res;
}

function gatewayLogTail(n = 4000) {
  try {
    return fs.readFileSync(gwLog, "utf8").slice(-n);
  } catch {
    return "";
  }
}

// The model: answers POST /v1/completions with a JSON echo of what it was sent.
async function startUpstream() {
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url.startsWith("/v1/completions")) {
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      res.writeHead(200, { "Content-Type": "application/json", "X-BAI-Units": "3" });
      res.end(JSON.stringify({
        echo: JSON.parse(body),
        url: req.url,
        user: req.headers["x-bai-user"],
        listing: req.headers["x-bai-listing"],
      }));
    });
  });
  await new Promise((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return srv;
}

async function startGateway() {
  const port = await freePort();
  gwUrl = `http://127.0.0.1:${port}`;
  gwLog = path.join(devnet.dir, "gateway.log");
  const log = fs.openSync(gwLog, "w");
  const args = [
    "gateway", "start",
    "--home", devnet.home,
    "--listing", String(listingId),
    "--upstream", `http://127.0.0.1:${upstream.address().port}`,
    "--from", "op",
    "--keyring-backend", "test",
    "--grpc-addr", `127.0.0.1:${devnet.grpcPort}`,
    "--listen", `127.0.0.1:${port}`,
    "--flush-interval", "1s",
  ];
  gw = spawn(devnet.bin, args, { stdio: ["ignore", log, log] });
  gw.exited = new Promise((resolve) => gw.on("exit", resolve));
  gw.onExit = () => gw.kill("SIGKILL");
  process.on("exit", gw.onExit);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (gw.exitCode !== null) throw new Error(`baid gateway start exited (${gw.exitCode}):\n${gatewayLogTail()}`);
    try {
      const r = await fetch(`${gwUrl}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the gateway is not healthy after 30 s:\n${gatewayLogTail()}`);
    await sleep(200);
  }
}

async function stopGateway() {
  if (!gw) return;
  if (gw.exitCode === null && gw.signalCode === null) {
    gw.kill("SIGTERM");
    const done = await Promise.race([gw.exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!done) {
      gw.kill("SIGKILL");
      await gw.exited;
    }
  }
  process.off("exit", gw.onExit);
}

before(async () => {
  const given = { val: generateMnemonic(), provider: generateMnemonic(), op: generateMnemonic(), alice: generateMnemonic(), bob: generateMnemonic() };
  await devnet.init(
    { val: "1000000000000ubai", provider: "100000000000ubai", op: "1000000000ubai", alice: "1000000000ubai", bob: "1000000000ubai" },
    undefined,
    given,
  );
  await devnet.start();
  upstream = await startUpstream();

  const provider = await connect(given.provider);
  const alice = await connect(given.alice);
  const [{ address: op }] = await (await DirectSecp256k1HdWallet.fromMnemonic(given.op, { prefix: "bai" })).getAccounts();
  const { validators } = await devnet.rest("/cosmos/staking/v1beta1/validators");

  await Promise.all([
    (async () => {
      const res = requireOK(
        await provider.client.signAndBroadcast(provider.address, [{
          typeUrl: "/balanceai.marketplace.v1.MsgRegisterListing",
          value: {
            owner: provider.address,
            kind: "LISTING_KIND_MODEL",
            name: "Echo model",
            description: "Answers with what it was sent",
            task: "nlp",
            tags: ["test"],
            endpoint: "https://node.example.com/v1",
            metadataCid: CID,
            version: "1.0.0",
            collateral: { denom: "ubai", amount: "1000000000" },
            access: { minStake: MIN_STAKE.toString(), requestsPerDay: REQUESTS_PER_DAY, mode: "ACCESS_MODE_PUBLIC" },
          },
        }], 1.6),
        "register listing",
      );
      const r = res.msgResponses[0];
      listingId = generatedType(root.lookupType(r.typeUrl.slice(1))).decode(r.value).id;
      requireOK(
        await provider.client.signAndBroadcast(provider.address, [{
          typeUrl: "/balanceai.access.v1.MsgSetOperators",
          value: { owner: provider.address, listingId, operators: [op] },
        }], 1.6),
        "set operators",
      );
    })(),
    (async () => {
      requireOK(
        await alice.client.delegateTokens(alice.address, validators[0].operator_address, { denom: "ubai", amount: DELEGATION.toString() }, 1.6),
        "delegate",
      );
    })(),
  ]);
  provider.client.disconnect();
  alice.client.disconnect();

  // Callers sign with amino wallets (what Keplr and Ledger offer).
  for (const name of ["alice", "bob"]) {
    const signer = await Secp256k1HdWallet.fromMnemonic(given[name], { prefix: "bai" });
    const [{ address }] = await signer.getAccounts();
    users[name] = { signer, address };
  }
  const check = await devnet.rest(`/balanceai/access/v1/check/${listingId}/${users.alice.address}`);
  assert.equal(check.allowed, true, JSON.stringify(check));

  await startGateway();
});

after(async () => {
  // Each step runs whatever failed before it.
  await stopGateway().catch(() => {});
  if (upstream) await new Promise((resolve) => upstream.close(resolve));
  await devnet.stop();
});

// signed(user, p, body): fetch options for a POST to the gateway, signed by the user.
async function signedPost(user, p, body, extra = {}) {
  const headers = await signRequest({
    signer: user.signer,
    address: user.address,
    chainId: CHAIN_ID,
    listingId,
    method: "POST",
    path: p,
    body,
    ...extra,
  });
  return { method: "POST", body, headers: { ...headers, "Content-Type": "application/json" } };
}

test("the AI node serves a call signed by signRequest and records its receipt on chain", async () => {
  const p = `/listings/${listingId}/v1/completions?stream=false`;
  const body = JSON.stringify({ prompt: "hello from CosmJS", n: 1 });
  const opts = await signedPost(users.alice, p, body);

  const res = await fetch(gwUrl + p, opts);
  const answer = await res.text();
  assert.equal(res.status, 200, `${answer}\n${gatewayLogTail()}`);
  const reqCid = res.headers.get("X-BAI-Request-CID");
  const respCid = res.headers.get("X-BAI-Response-CID");
  assert.ok(reqCid && respCid, `CID headers: ${[...res.headers].join("; ")}`);
  assert.notEqual(reqCid, respCid);
  const json = JSON.parse(answer);
  assert.deepEqual(json.echo, JSON.parse(body));
  assert.equal(json.url, "/v1/completions?stream=false");
  assert.equal(json.user, users.alice.address);
  assert.equal(json.listing, String(listingId));

  // Both bodies, byte for byte, by CID.
  for (const [cid, want] of [[reqCid, body], [respCid, answer]]) {
    const r = await fetch(`${gwUrl}/ipfs/${cid}`);
    assert.equal(r.status, 200, `/ipfs/${cid}`);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), Buffer.from(want, "utf8"), `/ipfs/${cid}`);
  }

  // The receipt, sent by the operator key.
  let receipt;
  let last;
  await devnet.waitFor("the usage receipt on chain", async () => {
    last = await devnet.rest(`/balanceai/access/v1/usage/${listingId}/${users.alice.address}`);
    receipt = last.receipts.find((r) => r.request_cid === reqCid && r.response_cid === respCid);
    return receipt !== undefined;
  }, 30_000).catch((e) => {
    throw new Error(`${e.message}\nlast answer: ${JSON.stringify(last)}\ngateway log:\n${gatewayLogTail()}`);
  });
  assert.equal(receipt.user, users.alice.address);
  assert.equal(receipt.listing_id, String(listingId));
  assert.equal(receipt.units, "3");
  const ops = await devnet.rest(`/balanceai/access/v1/operators/${listingId}`);
  assert.deepEqual([receipt.operator], ops.operators);
  assert.equal(last.today.requests, "1");

  // A signed call sent with another body: refused, not forwarded, not recorded.
  const fresh = await signedPost(users.alice, p, body);
  const tampered = await fetch(gwUrl + p, { ...fresh, body: JSON.stringify({ prompt: "hello from CosmJS", n: 2 }) });
  const refusal = await tampered.json();
  assert.equal(tampered.status, 401, JSON.stringify(refusal));
  assert.equal(refusal.reason, "bad_signature");
  assert.equal(tampered.headers.get("X-BAI-Request-CID"), null);

  // The same signed request again: the nonce was used.
  const replay = await fetch(gwUrl + p, opts);
  const replayed = await replay.json();
  assert.equal(replay.status, 401, JSON.stringify(replayed));
  assert.equal(replayed.reason, "replayed_nonce");
});

test("a caller without stake is refused with 403", async () => {
  const p = `/listings/${listingId}/v1/completions`;
  const body = JSON.stringify({ prompt: "no stake" });
  const res = await fetch(gwUrl + p, await signedPost(users.bob, p, body));
  const refusal = await res.json();
  assert.equal(res.status, 403, JSON.stringify(refusal));
  assert.equal(refusal.reason, "stake_below_minimum");
  assert.match(refusal.message, new RegExp(users.bob.address));
});

test("the daily quota (requests_per_day × stake / min_stake) is enforced, served calls counted before they are recorded", async () => {
  const quota = Number(REQUESTS_PER_DAY * (DELEGATION / MIN_STAKE));
  const p = `/listings/${listingId}/v1/completions`;
  const { today } = await devnet.rest(`/balanceai/access/v1/usage/${listingId}/${users.alice.address}`);
  const used = Number(today.requests); // the first test's call
  for (let i = used; i < quota; i++) {
    const body = JSON.stringify({ prompt: `call ${i}` });
    const res = await fetch(gwUrl + p, await signedPost(users.alice, p, body));
    assert.equal(res.status, 200, `call ${i + 1} of ${quota}: ${await res.text()}`);
    await res.arrayBuffer().catch(() => {});
  }
  const res = await fetch(gwUrl + p, await signedPost(users.alice, p, JSON.stringify({ prompt: "one too many" })));
  const refusal = await res.json();
  assert.equal(res.status, 429, JSON.stringify(refusal));
  assert.equal(refusal.reason, "quota_exhausted");
  assert.ok(Number(res.headers.get("Retry-After")) > 0, `Retry-After: ${res.headers.get("Retry-After")}`);

  // Every served call is recorded, none twice.
  let last;
  await devnet.waitFor(`${quota} receipts`, async () => {
    last = await devnet.rest(`/balanceai/access/v1/usage/${listingId}/${users.alice.address}`);
    return Number(last.today.requests) >= quota;
  }, 30_000).catch((e) => {
    throw new Error(`${e.message}\nlast answer: ${JSON.stringify(last?.today)}\ngateway log:\n${gatewayLogTail()}`);
  });
  await sleep(2500); // a flush or two more: nothing else may arrive
  last = await devnet.rest(`/balanceai/access/v1/usage/${listingId}/${users.alice.address}`);
  assert.equal(Number(last.today.requests), quota);
  assert.equal(new Set(last.receipts.map((r) => r.request_cid)).size, quota);
  const check = await devnet.rest(`/balanceai/access/v1/check/${listingId}/${users.alice.address}`);
  assert.equal(check.allowed, false);
  assert.equal(check.reason, "quota exhausted");
});
