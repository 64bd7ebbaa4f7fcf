// Registers a model on BalanceAI from CosmJS and reads it back over REST.
//
//   make devnet                               # in another terminal: a local chain
//   cd client/js && npm ci
//   MNEMONIC="$(sed -n 's/^  mnemonic: //p' ../../.devnet/accounts.txt | sed -n 2p)" \
//     node examples/register-listing.mjs      # alice's mnemonic
//
// SIGN_MODE=amino signs in SIGN_MODE_LEGACY_AMINO_JSON (what Keplr and Ledger use) with a
// Secp256k1HdWallet; the default is SIGN_MODE_DIRECT. RPC and REST default to the devnet's.
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";

import { generatedType, loadRoot, signingClientOptions } from "../src/index.js";

const rpc = process.env.RPC ?? "http://127.0.0.1:26657";
const rest = process.env.REST ?? "http://127.0.0.1:1317";
const mnemonic = process.env.MNEMONIC;
if (!mnemonic) throw new Error("set MNEMONIC to a funded account's mnemonic");

const amino = process.env.SIGN_MODE === "amino";
const wallet = amino
  ? await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "bai" })
  : await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "bai" });
const [{ address }] = await wallet.getAccounts();

// registry + aminoTypes for every BalanceAI Msg; the chain's minimum gas price.
const client = await SigningStargateClient.connectWithSigner(rpc, wallet, {
  ...signingClientOptions(),
  gasPrice: GasPrice.fromString("0.0025ubai"),
});

const msg = {
  typeUrl: "/balanceai.marketplace.v1.MsgRegisterListing",
  value: {
    owner: address,
    kind: "LISTING_KIND_MODEL",
    name: "Llama Summariser",
    description: "Summarises long documents",
    task: "nlp",
    tags: ["llm", "summarisation"],
    endpoint: "https://node.example.com/v1",
    metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    version: "1.0.0",
    collateral: { denom: "ubai", amount: "1000000000" }, // 1,000 BAI
    access: { minStake: "5000000", requestsPerDay: 100n, mode: "ACCESS_MODE_PUBLIC" },
  },
};

const res = await client.signAndBroadcast(address, [msg], "auto", "registered from CosmJS");
if (res.code !== 0) throw new Error(`refused (${res.code}): ${res.rawLog}`);

const { id } = generatedType(loadRoot().lookupType("balanceai.marketplace.v1.MsgRegisterListingResponse")).decode(
  res.msgResponses[0].value,
);
console.log(`listing ${id} registered by ${address} in ${amino ? "amino-JSON" : "direct"} mode, tx ${res.transactionHash}`);

const { listing } = await (await fetch(`${rest}/balanceai/marketplace/v1/listings/${id}`)).json();
console.log(JSON.stringify(listing, null, 2));
client.disconnect();
