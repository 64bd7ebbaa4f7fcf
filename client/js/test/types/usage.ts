// Compiled by test/types.test.mjs (tsc --noEmit): the package's declarations as a dApp uses them,
// through the package's own name (the "types" conditions of its exports map).
import {
  aminoTypes,
  BalanceAIEncodeObject,
  BASE_DENOM,
  customMsgTypeUrls,
  decToAtomics,
  fromProtoJSON,
  loadRoot,
  MsgTypes,
  QueryTypes,
  registry,
  signingClientOptions,
  toAminoMsg,
  type balanceai,
} from "@balanceai/client";
import { signRequest } from "@balanceai/client/gateway";
import { commitScoresMsg } from "@balanceai/client/curation";
import descriptors from "@balanceai/client/descriptors";

const owner = "bai1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";

// A Msg value with its interface: bigint ids, string amounts, enum numbers or names.
const register: balanceai.marketplace.v1.MsgRegisterListing = {
  owner,
  kind: "LISTING_KIND_MODEL",
  name: "m",
  task: "text-generation",
  tags: ["llm"],
  collateral: { denom: BASE_DENOM, amount: "1000000" },
  access: { mode: 1, minStake: "5" },
  components: [1n, 2n],
};
const msg: BalanceAIEncodeObject = { typeUrl: "/balanceai.marketplace.v1.MsgRegisterListing", value: register };
const reg = registry(loadRoot());
const bytes: Uint8Array = reg.encode(msg);
const amino = aminoTypes().toAmino(msg);
const direct = toAminoMsg("/balanceai.marketplace.v1.MsgRegisterListing", register);
const t: string = direct.type + amino.type + bytes.length;

// @ts-expect-error: 64-bit integers are bigint
const wrong: balanceai.marketplace.v1.MsgRegisterListing = { components: ["1"] };

// Query responses from REST JSON, typed by type URL.
const state = fromProtoJSON("/balanceai.emission.v1.QueryStateResponse", { });
type StatePath = QueryTypes["balanceai.emission.v1.Query/State"]["path"];
const path: StatePath = "/balanceai/emission/v1/state";
const params: balanceai.emission.v1.QueryParamsResponse = fromProtoJSON("/balanceai.emission.v1.QueryParamsResponse", {});
const typeUrls: Array<keyof MsgTypes> = customMsgTypeUrls();
const opts = signingClientOptions();
const rate: string = decToAtomics("0.5");
const lock: MsgTypes["/balanceai.bridge.v1.MsgLock"] = { sender: owner, amount: { denom: "ubai", amount: "1" } };

async function headers() {
  return signRequest({
    signer: { signArbitrary: async () => ({ pub_key: { type: "tendermint/PubKeySecp256k1", value: "" }, signature: "" }) },
    address: owner,
    chainId: "balanceai-devnet",
    listingId: 7,
    method: "POST",
    path: "/listings/7/v1/completions",
    body: "{}",
  });
}
const commit = commitScoresMsg({ curator: owner, chainId: "balanceai-devnet", epoch: 3n, scores: [{ listingId: 1, score: 80 }] });
const epoch: bigint = commit.msg.value.epoch;

export { t, wrong, state, path, params, typeUrls, opts, rate, lock, headers, epoch, descriptors };

// Query responses are typed by their type URL.
const issued: string | undefined = state.state?.issued;
// @ts-expect-error: cosmos.Int amounts are strings
const issuedNumber: number | undefined = state.state?.issued;
const era: number | undefined = state.state?.era;
const next: bigint | undefined = state.estimatedNextHalvingTime?.seconds;
export { issued, issuedNumber, era, next };
