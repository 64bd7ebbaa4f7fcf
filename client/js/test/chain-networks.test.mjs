// Validates the chain metadata of each public network: mainnet (client/chain) and the Galileo
// testnet (client/chain/testnets/balanceaitestnet, chain-registry's layout for testnets). Keplr's
// own validator checks each ChainInfo; chain.json / assetlist.json are checked against the chain's
// constants and against the chain ids of `baid genesis preset` (cmd/baid/cmd/genesis_preset.go).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { validateBasicChainInfoType } from "@keplr-wallet/chain-validator";

import { BASE_DENOM, BECH32_PREFIX, COIN_TYPE, DISPLAY_DENOM, MIN_GAS_PRICE } from "../src/index.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const read = (...p) => JSON.parse(fs.readFileSync(path.join(repo, ...p), "utf8"));

const NETWORKS = [
  { preset: "mainnet", dir: "client/chain", chainId: "balanceai-1", chainName: "balanceai", type: "mainnet" },
  { preset: "galileo", dir: "client/chain/testnets/balanceaitestnet", chainId: "galileo-1", chainName: "balanceaitestnet", type: "testnet" },
];

const PREFIXES = {
  bech32PrefixAccAddr: "bai",
  bech32PrefixAccPub: "baipub",
  bech32PrefixValAddr: "baivaloper",
  bech32PrefixValPub: "baivaloperpub",
  bech32PrefixConsAddr: "baivalcons",
  bech32PrefixConsPub: "baivalconspub",
};

test("the chain ids are those of baid genesis preset", () => {
  const src = fs.readFileSync(path.join(repo, "cmd/baid/cmd/genesis_preset.go"), "utf8");
  for (const n of NETWORKS) {
    const m = src.match(new RegExp(`"${n.preset}": \\{\\s*Name:\\s*"${n.preset}",\\s*ChainID:\\s*"([^"]+)"`));
    assert.ok(m, `no ${n.preset} preset in genesis_preset.go`);
    assert.equal(m[1], n.chainId);
  }
});

for (const n of NETWORKS) {
  test(`${n.chainId}: Keplr accepts the ChainInfo and refuses a broken one`, async () => {
    const info = read(n.dir, "keplr-chain-info.json");
    const v = await validateBasicChainInfoType(info);
    assert.equal(v.chainId, n.chainId);
    assert.equal(v.bip44.coinType, COIN_TYPE);
    assert.deepEqual(v.bech32Config, PREFIXES);
    for (const c of [v.stakeCurrency, v.currencies[0], v.feeCurrencies[0]]) {
      assert.equal(c.coinMinimalDenom, BASE_DENOM);
      assert.equal(c.coinDecimals, 6);
      assert.equal(c.coinDenom, "BAI");
    }
    assert.equal(`${v.feeCurrencies[0].gasPriceStep.low}${BASE_DENOM}`, MIN_GAS_PRICE);
    await assert.rejects(validateBasicChainInfoType({ ...info, bip44: { coinType: "x" } }));
    await assert.rejects(validateBasicChainInfoType({ ...info, currencies: [] }));
    await assert.rejects(validateBasicChainInfoType({ ...info, bech32Config: { ...info.bech32Config, bech32PrefixAccAddr: undefined } }));
  });

  test(`${n.chainId}: chain-registry chain.json and assetlist.json`, () => {
    const c = read(n.dir, "chain.json");
    for (const k of ["chain_name", "chain_id", "bech32_prefix", "slip44", "fees", "staking", "codebase", "apis", "daemon_name", "pretty_name", "status", "network_type"]) {
      assert.ok(k in c, `chain.json lacks ${k}`);
    }
    assert.equal(c.chain_name, n.chainName);
    assert.equal(c.chain_id, n.chainId);
    assert.equal(c.network_type, n.type);
    assert.equal(c.bech32_prefix, BECH32_PREFIX);
    assert.deepEqual(c.bech32_config, PREFIXES);
    assert.equal(c.slip44, COIN_TYPE);
    assert.equal(c.daemon_name, "baid");
    const fee = c.fees.fee_tokens[0];
    assert.equal(fee.denom, BASE_DENOM);
    assert.equal(`${fee.fixed_min_gas_price}${BASE_DENOM}`, MIN_GAS_PRICE);
    assert.ok(fee.low_gas_price <= fee.average_gas_price && fee.average_gas_price <= fee.high_gas_price);
    assert.deepEqual(c.staking.staking_tokens, [{ denom: BASE_DENOM }]);
    assert.ok(
      c.codebase.genesis.genesis_url.endsWith(`/networks/${n.chainId}/genesis.json`),
      `genesis_url ${c.codebase.genesis.genesis_url} is not networks/${n.chainId}/genesis.json`,
    );
    for (const kind of ["rpc", "rest", "grpc"]) assert.ok(c.apis[kind].length > 0, `no ${kind} endpoint`);

    const a = read(n.dir, "assetlist.json");
    assert.equal(a.chain_name, c.chain_name);
    const [bai] = a.assets;
    assert.equal(bai.base, BASE_DENOM);
    assert.equal(bai.display, DISPLAY_DENOM);
    assert.equal(bai.symbol, "BAI");
    assert.deepEqual(bai.denom_units, [
      { denom: "ubai", exponent: 0 },
      { denom: "bai", exponent: 6 },
    ]);
  });
}

test("every network's metadata differs only where the networks do", () => {
  const strip = (c) => {
    const { chain_name, chain_id, network_type, pretty_name, description, codebase, ...rest } = c;
    return { ...rest, codebase: { ...codebase, genesis: undefined } };
  };
  const [main, galileo] = NETWORKS.map((n) => read(n.dir, "chain.json"));
  assert.deepEqual(strip(galileo), strip(main));
  const [mk, gk] = NETWORKS.map((n) => read(n.dir, "keplr-chain-info.json"));
  const stripK = ({ chainId, chainName, beta, ...rest }) => rest;
  assert.deepEqual(stripK(gk), stripK(mk));
});
