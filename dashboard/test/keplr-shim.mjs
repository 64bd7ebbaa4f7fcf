// A test wallet behind the Keplr API: window.keplr in the page (enable, experimentalSuggestChain,
// getKey, getOfflineSigner, getOfflineSignerOnlyAmino, getOfflineSignerAuto) whose signer is a
// CosmJS Secp256k1HdWallet (amino JSON signing, as Keplr does for Ledger keys) held by the Node
// process: the page asks it to sign through a Playwright binding, so the key never enters the page.
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { toBase64 } from "@cosmjs/encoding";

/**
 * Installs the wallet in every page of a Playwright browser context. Returns the account address.
 * The page records the ChainInfo it was suggested in window.__suggestedChains.
 */
export async function injectTestWallet(context, mnemonic, { name = "test wallet" } = {}) {
  const wallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "bai" });
  const [account] = await wallet.getAccounts();
  await context.exposeBinding("__testWalletSignAmino", async (_source, signerAddress, signDoc) => {
    const res = await wallet.signAmino(signerAddress, signDoc);
    return { signed: res.signed, signature: res.signature };
  });
  await context.addInitScript(
    ({ address, pubkey, name }) => {
      const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      const enabled = new Set();
      window.__suggestedChains = [];
      const signer = (chainId) => ({
        getAccounts: async () => [{ address, algo: "secp256k1", pubkey: fromB64(pubkey) }],
        signAmino: async (signerAddress, signDoc) => {
          if (!enabled.has(chainId)) throw new Error(`chain ${chainId} is not enabled`);
          if (signDoc.chain_id !== chainId) throw new Error(`sign doc is for ${signDoc.chain_id}, not ${chainId}`);
          return window.__testWalletSignAmino(signerAddress, signDoc);
        },
      });
      window.keplr = {
        version: "test",
        mode: "extension",
        async experimentalSuggestChain(info) {
          if (!info || !info.chainId || !info.rpc || !info.rest || !info.bech32Config) throw new Error("invalid ChainInfo");
          window.__suggestedChains.push(info);
        },
        async enable(chainIds) {
          for (const id of [].concat(chainIds)) {
            if (!window.__suggestedChains.some((c) => c.chainId === id)) throw new Error(`There is no chain info for ${id}`);
            enabled.add(id);
          }
        },
        async getKey(chainId) {
          if (!enabled.has(chainId)) throw new Error(`chain ${chainId} is not enabled`);
          return { name, algo: "secp256k1", pubKey: fromB64(pubkey), address: new Uint8Array(), bech32Address: address, isNanoLedger: false, isKeystone: false };
        },
        getOfflineSigner: (chainId) => signer(chainId),
        getOfflineSignerOnlyAmino: (chainId) => signer(chainId),
        getOfflineSignerAuto: async (chainId) => signer(chainId),
      };
    },
    { address: account.address, pubkey: toBase64(account.pubkey), name },
  );
  return account.address;
}
