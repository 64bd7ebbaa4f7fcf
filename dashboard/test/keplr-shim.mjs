// A test wallet behind the Keplr API: window.keplr in the page (enable, experimentalSuggestChain,
// getKey, getOfflineSigner, getOfflineSignerOnlyAmino, getOfflineSignerAuto) whose signer is a
// CosmJS Secp256k1HdWallet (amino JSON signing, as Keplr does for Ledger keys) held by the Node
// process: the page asks it to sign through a Playwright binding, so the key never enters the page.
// With { direct: true } the signer of getOfflineSigner/getOfflineSignerAuto signs in direct mode
// instead (a DirectSecp256k1HdWallet, as Keplr does for a software key).
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";

/**
 * Installs the wallet in every page of a Playwright browser context. Returns the account address.
 * The page records the ChainInfo it was suggested in window.__suggestedChains.
 */
export async function injectTestWallet(context, mnemonic, { name = "test wallet", direct = false } = {}) {
  const wallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "bai" });
  const directWallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "bai" });
  const [account] = await wallet.getAccounts();
  await context.exposeBinding("__testWalletSignAmino", async (_source, signerAddress, signDoc) => {
    const res = await wallet.signAmino(signerAddress, signDoc);
    return { signed: res.signed, signature: res.signature };
  });
  // Bytes cross the binding as base64 and the account number as a decimal string.
  await context.exposeBinding("__testWalletSignDirect", async (_source, signerAddress, doc) => {
    const signDoc = {
      bodyBytes: fromBase64(doc.bodyBytes),
      authInfoBytes: fromBase64(doc.authInfoBytes),
      chainId: doc.chainId,
      accountNumber: BigInt(doc.accountNumber),
    };
    const res = await directWallet.signDirect(signerAddress, signDoc);
    return {
      signed: { bodyBytes: toBase64(res.signed.bodyBytes), authInfoBytes: toBase64(res.signed.authInfoBytes), chainId: res.signed.chainId, accountNumber: res.signed.accountNumber.toString() },
      signature: res.signature,
    };
  });
  await context.addInitScript(
    ({ address, pubkey, name, direct }) => {
      const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      const toB64 = (b) => btoa(String.fromCharCode(...b));
      const enabled = new Set();
      window.__suggestedChains = [];
      const directSigner = (chainId) => ({
        getAccounts: async () => [{ address, algo: "secp256k1", pubkey: fromB64(pubkey) }],
        signDirect: async (signerAddress, signDoc) => {
          if (!enabled.has(chainId)) throw new Error(`chain ${chainId} is not enabled`);
          if (signDoc.chainId !== chainId) throw new Error(`sign doc is for ${signDoc.chainId}, not ${chainId}`);
          const res = await window.__testWalletSignDirect(signerAddress, {
            bodyBytes: toB64(signDoc.bodyBytes),
            authInfoBytes: toB64(signDoc.authInfoBytes),
            chainId: signDoc.chainId,
            accountNumber: signDoc.accountNumber.toString(),
          });
          const s = res.signed;
          return { signed: { bodyBytes: fromB64(s.bodyBytes), authInfoBytes: fromB64(s.authInfoBytes), chainId: s.chainId, accountNumber: BigInt(s.accountNumber) }, signature: res.signature };
        },
      });
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
        getOfflineSigner: (chainId) => (direct ? directSigner(chainId) : signer(chainId)),
        getOfflineSignerOnlyAmino: (chainId) => signer(chainId),
        getOfflineSignerAuto: async (chainId) => (direct ? directSigner(chainId) : signer(chainId)),
      };
    },
    { address: account.address, pubkey: toBase64(account.pubkey), name, direct },
  );
  return account.address;
}
