// End to end with CosmJS against a real node (BAID=<path of a built baid>): a one-validator
// chain is created here, then @cosmjs/stargate's SigningStargateClient signs and broadcasts at
// least one Msg of every custom module, once with a DirectSecp256k1HdWallet (SIGN_MODE_DIRECT)
// and once with a Secp256k1HdWallet (SIGN_MODE_LEGACY_AMINO_JSON, as Keplr and Ledger sign), and
// reads every result back over REST:
//   marketplace MsgRegisterListing, access MsgSetOperators, bridge MsgLock, curation
//   MsgBondCurator, grants MsgSubmitGrant and MsgClaimRewards, and emission MsgUpdateParams,
//   which only governance may send, inside a gov v1 MsgSubmitProposal that then passes.
// The node is stopped at the end, whatever happens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";

import { customMsgTypeUrls, decToAtomics, fromProtoJSON, generatedType, loadRoot, signingClientOptions } from "../src/index.js";
import { Devnet, generateMnemonic } from "./devnet.mjs";

const CHAIN_ID = "balanceai-js-e2e";
const CID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const WBAI = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
const ETH_RECIPIENT = "0x52908400098527886E0F7030069857D2E4169EE7";
const VOTING_PERIOD_S = 6;

const devnet = new Devnet(process.env.BAID, CHAIN_ID);
const root = loadRoot();
let mnemonics;
let val;
const modes = {};

function editGenesis(addrs) {
  return (g) => {
    const s = g.app_state;
    // Short governance so a proposal passes within the test.
    s.gov.params.voting_period = `${VOTING_PERIOD_S}s`;
    s.gov.params.expedited_voting_period = "3s";
    s.gov.params.min_deposit = [{ denom: "ubai", amount: "1000000" }];
    s.gov.params.expedited_min_deposit = [{ denom: "ubai", amount: "2000000" }];
    // The bridge enabled, the validator its only attester.
    s.bridge.params = {
      ...s.bridge.params,
      enabled: true,
      ethereum_chain_id: "1",
      token_contract: WBAI,
      attesters: [addrs.val],
      attestation_threshold: 1,
      min_transfer: "1000000",
      max_transfer: "1000000000",
      daily_outbound_limit: "10000000000",
      daily_inbound_limit: "10000000000",
    };
  };
}

async function connect(wallet) {
  const [{ address }] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(devnet.rpcUrl, wallet, {
    ...signingClientOptions(),
    gasPrice: GasPrice.fromString("0.0025ubai"),
    broadcastPollIntervalMs: 250,
    broadcastTimeoutMs: 30_000,
  });
  return { address, client };
}

// The addresses of the test keys, which the mnemonics (generated here) determine.
async function addressesOf(ms) {
  const out = {};
  for (const [name, m] of Object.entries(ms)) {
    const [{ address }] = await (await DirectSecp256k1HdWallet.fromMnemonic(m, { prefix: "bai" })).getAccounts();
    out[name] = address;
  }
  return out;
}

function decodeResponse(res, i = 0) {
  const r = res.msgResponses[i];
  return generatedType(root.lookupType(r.typeUrl.slice(1))).decode(r.value);
}

function requireOK(res, what) {
  assert.equal(res.code, 0, `${what}: code ${res.code} ${res.rawLog ?? ""}`);
  return res;
}

before(async () => {
  // Keys are created by the chain's own CLI (keys add --recover) from mnemonics made here, so
  // the CosmJS wallets sign for them.
  const given = { val: generateMnemonic(), alice: generateMnemonic(), bob: generateMnemonic(), carol: generateMnemonic() };
  const addrs = await addressesOf(given);
  mnemonics = await devnet.init(
    { val: "1000000000000ubai", alice: "100000000000ubai", bob: "100000000000ubai", carol: "1000000ubai" },
    editGenesis(addrs),
    given,
  );
  for (const [name, m] of Object.entries(mnemonics)) assert.equal(m, given[name]);
  assert.equal(devnet.run(["keys", "show", "alice", "-a", "--keyring-backend", "test"]).trim(), addrs.alice);
  await devnet.start();
  val = await connect(await DirectSecp256k1HdWallet.fromMnemonic(mnemonics.val, { prefix: "bai" }));
  modes.direct = await connect(await DirectSecp256k1HdWallet.fromMnemonic(mnemonics.alice, { prefix: "bai" }));
  modes.amino = await connect(await Secp256k1HdWallet.fromMnemonic(mnemonics.bob, { prefix: "bai" }));
  modes.carol = addrs.carol;
});

after(async () => {
  await devnet.stop();
});

test("the client knows a Msg of every custom module", () => {
  const modules = new Set(customMsgTypeUrls().map((u) => u.split(".")[1]));
  for (const m of ["emission", "marketplace", "bridge", "access", "curation", "grants"]) assert.ok(modules.has(m), m);
});

// Everything a user of each module does, in one sign mode; returns what to read back.
async function userFlow(mode) {
  const { address, client } = modes[mode];
  const send = async (what, typeUrl, value) => {
    const res = await client.signAndBroadcast(address, [{ typeUrl, value }], 1.6, `${mode}: ${what}`);
    return requireOK(res, `${mode} ${what}`);
  };

  // marketplace: register a model (enum names and numbers both accepted).
  let res = await send("register", "/balanceai.marketplace.v1.MsgRegisterListing", {
    owner: address,
    kind: "LISTING_KIND_MODEL",
    name: `CosmJS ${mode} model`,
    description: "Registered from CosmJS & signed <" + mode + ">",
    task: "nlp",
    tags: ["cosmjs", mode],
    endpoint: "https://node.example.com/v1",
    metadataCid: CID,
    version: "1.0.0",
    collateral: { denom: "ubai", amount: "1000000000" },
    access: { minStake: "5000000", requestsPerDay: 100n, mode: 1 },
  });
  const listingId = decodeResponse(res).id;
  // The chain verified the signature in the intended sign mode.
  const { tx } = await devnet.rest(`/cosmos/tx/v1beta1/txs/${res.transactionHash}`);
  assert.equal(
    tx.auth_info.signer_infos[0].mode_info.single.mode,
    mode === "amino" ? "SIGN_MODE_LEGACY_AMINO_JSON" : "SIGN_MODE_DIRECT",
  );
  assert.ok(listingId > 0n);

  // access: set the listing's operators.
  await send("set operators", "/balanceai.access.v1.MsgSetOperators", {
    owner: address,
    listingId,
    operators: [modes.carol],
  });

  // bridge: lock 2 BAI for Ethereum.
  res = await send("lock", "/balanceai.bridge.v1.MsgLock", {
    sender: address,
    ethRecipient: ETH_RECIPIENT,
    amount: { denom: "ubai", amount: "2000000" },
  });
  const nonce = decodeResponse(res).nonce;

  // curation: bond as a curator (10,000 BAI, the minimum).
  await send("bond", "/balanceai.curation.v1.MsgBondCurator", {
    curator: address,
    amount: { denom: "ubai", amount: "10000000000" },
  });

  // grants: a grant for the model (milestones without review_end: the zero time is sent, as gogo
  // sends it for a non-nullable timestamp).
  res = await send("submit grant", "/balanceai.grants.v1.MsgSubmitGrant", {
    applicant: address,
    fund: "GRANT_FUND_MODELS",
    listingId,
    title: `A ${mode} grant`,
    detailsCid: CID,
    milestones: [{ amount: { denom: "ubai", amount: "1000" }, description: "first milestone" }],
  });
  const grantId = decodeResponse(res).grantId;

  // grants: claiming with no epoch rewards is refused by x/grants itself — the tx is included,
  // so its signature was accepted (a bad signature never reaches the module).
  const claim = await client.signAndBroadcast(
    address,
    [{ typeUrl: "/balanceai.grants.v1.MsgClaimRewards", value: { owner: address } }],
    { amount: [{ denom: "ubai", amount: "1000" }], gas: "400000" },
  );
  assert.equal(claim.code !== 0 && claim.rawLog?.includes("no claimable rewards"), true, `claim: ${claim.code} ${claim.rawLog}`);
  const claimTx = await devnet.rest(`/cosmos/tx/v1beta1/txs/${claim.transactionHash}`);
  assert.equal(claimTx.tx_response.codespace, "grants");

  return { address, listingId, nonce, grantId };
}

async function propose(mode, params, gov) {
  const { address, client } = modes[mode];
  const inner = { typeUrl: "/balanceai.emission.v1.MsgUpdateParams", value: { authority: gov, params } };
  const res = await client.signAndBroadcast(
    address,
    [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [client.registry.encodeAsAny(inner)],
          initialDeposit: [{ denom: "ubai", amount: "250000000" }], // gov min_initial_deposit_ratio: 25 % of 1,000 BAI
          proposer: address,
          metadata: "",
          title: `Emission params (${mode})`,
          summary: `Signed in ${mode} mode from CosmJS`,
          expedited: false,
        },
      },
    ],
    1.6,
  );
  requireOK(res, `${mode} proposal`);
  return decodeResponse(res).proposalId;
}

test("every custom module, in direct and amino-JSON sign modes, read back over REST", async () => {
  // x/grants caps a grant at a share of the fund's free balance, which x/emission fills each block.
  await devnet.waitFor("the models fund", async () => {
    const { funds } = await devnet.rest("/balanceai/grants/v1/funds");
    return funds.some((f) => f.fund === "GRANT_FUND_MODELS" && BigInt(f.free ?? "0") > 100_000n);
  }, 30_000);

  const results = {};
  for (const mode of ["direct", "amino"]) results[mode] = await userFlow(mode);

  for (const [mode, r] of Object.entries(results)) {
    const { listing } = await devnet.rest(`/balanceai/marketplace/v1/listings/${r.listingId}`);
    assert.equal(listing.owner, r.address, mode);
    assert.equal(listing.kind, "LISTING_KIND_MODEL");
    assert.equal(listing.name, `CosmJS ${mode} model`);
    assert.equal(listing.description, "Registered from CosmJS & signed <" + mode + ">");
    assert.deepEqual(listing.tags, ["cosmjs", mode]);
    assert.equal(listing.access.min_stake, "5000000");
    assert.equal(listing.access.requests_per_day, "100");

    const ops = await devnet.rest(`/balanceai/access/v1/operators/${r.listingId}`);
    assert.deepEqual(ops.operators, [modes.carol], mode);

    const out = await devnet.rest(`/balanceai/bridge/v1/outbound/${r.nonce}`);
    const transfer = out.transfer ?? out.outbound ?? Object.values(out)[0];
    assert.equal(transfer.sender, r.address, mode);
    assert.equal(transfer.eth_recipient.toLowerCase(), ETH_RECIPIENT.toLowerCase());

    const { curator } = await devnet.rest(`/balanceai/curation/v1/curators/${r.address}`);
    assert.match(JSON.stringify(curator), /10000000000/, `${mode} curator bond: ${JSON.stringify(curator)}`);

    const { grant } = await devnet.rest(`/balanceai/grants/v1/grants/${r.grantId}`);
    assert.equal(grant.applicant, r.address, mode);
    assert.equal(grant.title, `A ${mode} grant`);
    assert.equal(grant.fund, "GRANT_FUND_MODELS");
    assert.equal(grant.milestones[0].amount.amount, "1000");
  }
});

test("x/emission MsgUpdateParams through gov proposals signed in both modes", async () => {
  const govAcc = await devnet.rest("/cosmos/auth/v1beta1/module_accounts/gov");
  const gov = govAcc.account.base_account?.address ?? govAcc.account.value?.address;
  assert.match(gov, /^bai1/);
  const { params: current } = await devnet.rest("/balanceai/emission/v1/params");

  const wanted = {};
  const ids = {};
  for (const [mode, share] of [["direct", "0.250000000000000000"], ["amino", "0.300000000000000000"]]) {
    const { params } = fromProtoJSON("/balanceai.emission.v1.MsgUpdateParams", { params: current });
    params.feeBurnShare = decToAtomics(share);
    wanted[mode] = share;
    ids[mode] = await propose(mode, params, gov);
    // (each proposal is signed in its mode; see userFlow for the sign-mode check)
    const vote = await val.client.signAndBroadcast(
      val.address,
      [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId: ids[mode], voter: val.address, option: 1, metadata: "" } }],
      1.6,
    );
    requireOK(vote, `vote on ${mode} proposal`);
  }

  for (const mode of ["direct", "amino"]) {
    let proposal;
    await devnet.waitFor(`proposal ${ids[mode]}`, async () => {
      ({ proposal } = await devnet.rest(`/cosmos/gov/v1/proposals/${ids[mode]}`));
      return proposal.status !== "PROPOSAL_STATUS_VOTING_PERIOD";
    }, (VOTING_PERIOD_S + 20) * 1000);
    assert.equal(proposal.status, "PROPOSAL_STATUS_PASSED", `${mode}: ${JSON.stringify(proposal)}`);
    assert.equal(proposal.messages[0]["@type"], "/balanceai.emission.v1.MsgUpdateParams");
  }
  // The later proposal's params are in force.
  const { params } = await devnet.rest("/balanceai/emission/v1/params");
  assert.equal(params.fee_burn_share, wanted.amino);
  assert.equal(params.daily_emission, current.daily_emission);
});

test("the node serves the OpenAPI document of every custom query route", async () => {
  const doc = await devnet.rest("/swagger/openapi.json");
  const modules = new Set(Object.keys(doc.paths).filter((p) => p.startsWith("/balanceai/")).map((p) => p.split("/")[2]));
  for (const m of ["emission", "marketplace", "bridge", "access", "curation", "grants"]) assert.ok(modules.has(m), m);
});

