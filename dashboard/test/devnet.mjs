// A two-validator BalanceAI chain for the dashboard tests: client/js's test chain (the standard
// commands in a temporary folder, 1 s blocks, every listener on a free 127.0.0.1 port) with a
// second genesis validator that runs no node. It has its own consensus key and a small stake (well
// under 1/3 of the power), so the chain keeps producing blocks, and the downtime rule is relaxed
// (slashing min_signed_per_window 0) so it is never jailed.
import { Devnet as ChainDevnet, freePort, generateMnemonic } from "../../client/js/test/devnet.mjs";

export { freePort, generateMnemonic };

export class Devnet extends ChainDevnet {
  constructor(bin, chainId = "balanceai-dashboard") {
    super(bin, chainId, "baid-dashboard-");
  }

  /**
   * Creates the chain: accounts maps key names to balances; "val" (the running validator) and
   * "val2" (the second, offline validator) are added. Returns the mnemonics by key name.
   */
  async init(accounts) {
    const all = { val: "5000000000000ubai", val2: "1000000000000ubai", ...accounts };
    const noDowntimeJailing = (genesis) => {
      genesis.app_state.slashing.params.min_signed_per_window = "0.000000000000000000";
    };
    return super.init(all, noDowntimeJailing, {}, { stake: "1000000000000ubai", offline: "val2" });
  }
}
