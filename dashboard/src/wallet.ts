// The wallet: a Keplr-compatible extension (window.keplr) is asked to add the chain
// (experimentalSuggestChain with the repository's ChainInfo, pointed at the node that served the
// page) and gives an offline signer (getOfflineSignerAuto: amino for Ledger keys, direct
// otherwise). Transactions are simulated, signed by the wallet and broadcast through the node's
// REST API (POST /cosmos/tx/v1beta1/txs), so only the page's own origin is needed.
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { toBase64 } from "@cosmjs/encoding";
import { encodePubkey, type EncodeObject, type OfflineSigner } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, Fee, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

import chainInfoBase from "../../client/chain/keplr-chain-info.json";
import { get, post } from "./api";
import { loadConfig } from "./config";
import { signingOptions } from "./signing";

export interface KeplrLike {
  enable(chainId: string | string[]): Promise<void>;
  experimentalSuggestChain(info: unknown): Promise<void>;
  getKey(chainId: string): Promise<{ name: string; bech32Address: string; isNanoLedger?: boolean }>;
  getOfflineSignerAuto(chainId: string): Promise<OfflineSigner>;
  getOfflineSigner?(chainId: string): OfflineSigner;
  getOfflineSignerOnlyAmino?(chainId: string): OfflineSigner;
}

declare global {
  interface Window {
    keplr?: KeplrLike;
  }
}

export interface Wallet {
  address: string;
  name: string;
  signer: OfflineSigner;
  chainId: string;
}

/** The ChainInfo Keplr is given: the repository's, with this chain's id and this node's addresses. */
export async function chainInfo() {
  const cfg = await loadConfig();
  return {
    ...chainInfoBase,
    chainId: cfg.chainId,
    chainName: cfg.chainId === chainInfoBase.chainId ? chainInfoBase.chainName : `BalanceAI (${cfg.chainId})`,
    rpc: cfg.rpc,
    rest: cfg.rest,
  };
}

/** Waits briefly for an extension that injects window.keplr after the page loads. */
async function findKeplr(): Promise<KeplrLike | undefined> {
  for (let i = 0; i < 10 && !window.keplr; i++) await new Promise((r) => setTimeout(r, 100));
  return window.keplr;
}

export async function connect(): Promise<Wallet> {
  const keplr = await findKeplr();
  if (!keplr) throw new Error("No Keplr-compatible wallet found in this browser: install the Keplr extension, then reload the page.");
  const info = await chainInfo();
  await keplr.experimentalSuggestChain(info);
  await keplr.enable(info.chainId);
  const key = await keplr.getKey(info.chainId);
  const signer = await keplr.getOfflineSignerAuto(info.chainId);
  const [account] = await signer.getAccounts();
  if (!account) throw new Error("the wallet has no account for this chain");
  return { address: account.address, name: key.name, signer, chainId: info.chainId };
}

export interface TxResult {
  hash: string;
  code: number;
  height?: string;
  gasUsed?: string;
  gasWanted?: string;
  rawLog: string;
  what: string;
  fee: string;
  /** Accepted into the mempool but not (yet) found in a block: its outcome is unknown. */
  pending?: boolean;
}

async function accountOf(address: string): Promise<{ accountNumber: number; sequence: number }> {
  let acc: any;
  try {
    acc = (await get(`/cosmos/auth/v1beta1/accounts/${address}`)).account;
  } catch (e) {
    throw new Error(`account ${address} is not on chain yet (it needs to receive BAI first): ${(e as Error).message}`);
  }
  const base = acc.base_account ?? acc.base_vesting_account?.base_account ?? acc;
  return { accountNumber: Number(base.account_number ?? 0), sequence: Number(base.sequence ?? 0) };
}

async function simulate(wallet: Wallet, msgs: EncodeObject[], memo: string, sequence: number): Promise<number> {
  const { registry } = signingOptions();
  const [account] = await wallet.signer.getAccounts();
  const tx = Tx.fromPartial({
    body: TxBody.fromPartial({ messages: msgs.map((m) => registry.encodeAsAny(m)), memo }),
    authInfo: AuthInfo.fromPartial({
      fee: Fee.fromPartial({}),
      signerInfos: [{ publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)), sequence: BigInt(sequence), modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } } }],
    }),
    signatures: [new Uint8Array()],
  });
  const res = await post("/cosmos/tx/v1beta1/simulate", { tx_bytes: toBase64(Tx.encode(tx).finish()) });
  return Number(res.gas_info.gas_used);
}

/**
 * Simulates msgs for the gas, has the wallet sign them in one transaction and broadcasts it
 * through REST, then waits for it to be in a block. A transaction the chain refuses (in CheckTx or
 * in its block) comes back with its code and log.
 */
export async function signAndBroadcast(wallet: Wallet, what: string, msgs: EncodeObject[], memo = ""): Promise<TxResult> {
  const cfg = await loadConfig();
  const { accountNumber, sequence } = await accountOf(wallet.address);
  let gasUsed: number;
  try {
    gasUsed = await simulate(wallet, msgs, memo, sequence);
  } catch (e) {
    throw new Error(`the chain would refuse this transaction: ${(e as Error).message}`);
  }
  const fee: StdFee = calculateFee(Math.ceil(gasUsed * 1.4) + 20_000, GasPrice.fromString(cfg.gasPrice));
  const client = await SigningStargateClient.offline(wallet.signer, signingOptions());
  const raw = await client.sign(wallet.address, msgs, fee, memo, { accountNumber: BigInt(accountNumber), sequence, chainId: wallet.chainId });
  const bytes = TxRaw.encode(raw).finish();
  const res = await post("/cosmos/tx/v1beta1/txs", { tx_bytes: toBase64(bytes), mode: "BROADCAST_MODE_SYNC" });
  const r = res.tx_response;
  const feeText = `${fee.amount.map((c) => `${c.amount}${c.denom}`).join(",")} for ${fee.gas} gas`;
  if (r.code !== 0) return { hash: r.txhash, code: r.code, rawLog: r.raw_log, what, fee: feeText };
  for (let i = 0; i < 60; i++) {
    await new Promise((ok) => setTimeout(ok, 500));
    // A search (an empty answer until the block is indexed) rather than GET /txs/{hash} (a 404).
    const found = await get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`tx.hash='${r.txhash}'`)}`).catch(() => null);
    const tr = found?.tx_responses?.[0];
    if (tr) return { hash: tr.txhash, code: tr.code, height: tr.height, gasUsed: tr.gas_used, gasWanted: tr.gas_wanted, rawLog: tr.raw_log, what, fee: feeText };
  }
  return { hash: r.txhash, code: 0, pending: true, rawLog: "accepted, but not seen in a block within 30 s: look it up by its hash", what, fee: feeText };
}

