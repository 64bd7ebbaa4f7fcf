// Validates the committed chain metadata (client/chain): the Keplr ChainInfo with Keplr's own
// validator, and the chain-registry chain.json / assetlist.json against the chain's constants.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { validateBasicChainInfoType } from "@keplr-wallet/chain-validator";

import { BASE_DENOM, BECH32_PREFIX, COIN_TYPE, DISPLAY_DENOM, MIN_GAS_PRICE } from "../src/index.js";

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../chain");
const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));

const PREFIXES = {
  bech32PrefixAccAddr: "bai",
  bech32PrefixAccPub: "baipub",
  bech32PrefixValAddr: "baivaloper",
  bech32PrefixValPub: "baivaloperpub",
  bech32PrefixConsAddr: "baivalcons",
  bech32PrefixConsPub: "baivalconspub",
};

test("Keplr accepts the ChainInfo (validateBasicChainInfoType)", async () => {
  const info = read("keplr-chain-info.json");
  const validated = await validateBasicChainInfoType(info);
  assert.equal(validated.chainId, "balanceai-1");
  assert.equal(validated.bip44.coinType, COIN_TYPE);
  assert.deepEqual(validated.bech32Config, PREFIXES);
  assert.equal(validated.stakeCurrency.coinMinimalDenom, BASE_DENOM);
  assert.equal(validated.currencies[0].coinMinimalDenom, BASE_DENOM);
  assert.equal(validated.currencies[0].coinDecimals, 6);
  assert.deepEqual(validated.feeCurrencies[0].gasPriceStep, { low: 0.0025, average: 0.005, high: 0.01 });
  // The lowest step pays the node's default minimum gas price.
  assert.equal(`${validated.feeCurrencies[0].gasPriceStep.low}${BASE_DENOM}`, MIN_GAS_PRICE);
});

test("Keplr's validator refuses a broken ChainInfo (the check is real)", async () => {
  const info = read("keplr-chain-info.json");
  await assert.rejects(validateBasicChainInfoType({ ...info, bip44: { coinType: "x" } }));
  await assert.rejects(validateBasicChainInfoType({ ...info, currencies: [] }));
});

test("chain-registry chain.json has the chain's constants", () => {
  const c = read("chain.json");
  for (const k of ["chain_name", "chain_id", "bech32_prefix", "slip44", "fees", "staking", "codebase", "apis", "daemon_name", "pretty_name", "status", "network_type"]) {
    assert.ok(k in c, `chain.json lacks ${k}`);
  }
  assert.equal(c.chain_name, "balanceai");
  assert.equal(c.chain_id, "balanceai-1");
  assert.equal(c.bech32_prefix, BECH32_PREFIX);
  assert.equal(c.slip44, COIN_TYPE);
  assert.deepEqual(c.bech32_config, PREFIXES);
  const fee = c.fees.fee_tokens[0];
  assert.equal(fee.denom, BASE_DENOM);
  assert.ok(fee.low_gas_price <= fee.average_gas_price && fee.average_gas_price <= fee.high_gas_price);
  assert.equal(`${fee.fixed_min_gas_price}${BASE_DENOM}`, MIN_GAS_PRICE);
  assert.deepEqual(c.staking.staking_tokens, [{ denom: BASE_DENOM }]);
  for (const kind of ["rpc", "rest", "grpc"]) assert.ok(c.apis[kind].length > 0, `no ${kind} endpoint`);
});

test("chain-registry assetlist.json describes BAI", () => {
  const a = read("assetlist.json");
  assert.equal(a.chain_name, read("chain.json").chain_name);
  const [bai] = a.assets;
  assert.equal(bai.base, BASE_DENOM);
  assert.equal(bai.display, DISPLAY_DENOM);
  assert.equal(bai.symbol, "BAI");
  assert.equal(bai.name, "BalanceAI");
  assert.equal(bai.type_asset, "sdk.coin");
  assert.deepEqual(bai.denom_units, [
    { denom: "ubai", exponent: 0 },
    { denom: "bai", exponent: 6 },
  ]);
});
