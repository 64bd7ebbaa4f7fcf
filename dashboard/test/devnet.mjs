// A two-validator BalanceAI chain for the dashboard tests, made with the standard commands (init,
// keys add --recover, genesis add-genesis-account, gentx, collect-gentxs) in a temporary folder,
// with 1 s blocks and every listener on a free 127.0.0.1 port. Only the first validator runs a
// node; the second is in the genesis validator set with its own consensus key and a small stake
// (well under 1/3 of the power), so the chain keeps producing blocks, and the downtime rule is
// relaxed (slashing min_signed_per_window 0) so it is never jailed. Keys are recovered from
// mnemonics generated here, so CosmJS wallets can sign for them.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { Bip39, Random } from "@cosmjs/crypto";

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function generateMnemonic() {
  return Bip39.encode(Random.getBytes(32)).toString();
}

export class Devnet {
  constructor(bin, chainId = "balanceai-dashboard") {
    if (!bin) throw new Error("set BAID to the path of a built baid (make test-dashboard does)");
    if (!fs.existsSync(bin)) throw new Error(`baid not found at ${bin}`);
    this.bin = path.resolve(bin);
    this.chainId = chainId;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "baid-dashboard-"));
    this.home = path.join(this.dir, "val");
    this.proc = null;
  }

  run(args, input, home = this.home) {
    const r = spawnSync(this.bin, [...args, "--home", home], { input, encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0) {
      throw new Error(`baid ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    return r.stdout;
  }

  /**
   * Creates the chain: accounts maps key names to balances; "val" (the running validator) and
   * "val2" (the second, offline validator) are added. Returns the mnemonics by key name.
   */
  async init(accounts) {
    [this.rpcPort, this.p2pPort, this.apiPort, this.grpcPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    this.run(["init", "val", "--chain-id", this.chainId]);
    const set = (file, key, value) => this.run(["config", "set", file, "-s", key, value]);
    this.run(["config", "set", "client", "chain-id", this.chainId]);
    this.run(["config", "set", "client", "keyring-backend", "test"]);
    this.run(["config", "set", "client", "node", this.rpcUrl.replace("http", "tcp")]);
    set("config", "consensus.timeout_commit", "1s");
    set("config", "rpc.laddr", `tcp://127.0.0.1:${this.rpcPort}`);
    set("config", "p2p.laddr", `tcp://127.0.0.1:${this.p2pPort}`);
    set("config", "rpc.pprof_laddr", "");
    set("config", "p2p.pex", "false");
    set("app", "api.enable", "true");
    set("app", "api.address", `tcp://127.0.0.1:${this.apiPort}`);
    set("app", "grpc.address", `127.0.0.1:${this.grpcPort}`);
    set("app", "grpc-web.enable", "false");

    // The second validator's consensus key comes from a node home of its own.
    const home2 = path.join(this.dir, "val2");
    this.run(["init", "val2", "--chain-id", this.chainId], undefined, home2);
    const pubkey2 = this.run(["comet", "show-validator"], undefined, home2).trim();
    const nodeId2 = this.run(["comet", "show-node-id"], undefined, home2).trim();

    const all = { val: "5000000000000ubai", val2: "1000000000000ubai", ...accounts };
    const mnemonics = {};
    for (const [name, balance] of Object.entries(all)) {
      mnemonics[name] = generateMnemonic();
      this.run(["keys", "add", name, "--recover", "--keyring-backend", "test", "--output", "json"], mnemonics[name] + "\n");
      this.run(["genesis", "add-genesis-account", name, balance, "--keyring-backend", "test"]);
    }
    this.run(["genesis", "gentx", "val", "1000000000000ubai", "--chain-id", this.chainId, "--keyring-backend", "test"]);
    this.run(["genesis", "gentx", "val2", "100000000000ubai", "--chain-id", this.chainId, "--keyring-backend", "test",
      "--pubkey", pubkey2, "--moniker", "val2", "--node-id", nodeId2,
      "--output-document", path.join(this.home, "config/gentx/gentx-val2.json")]);
    this.run(["genesis", "collect-gentxs"]);
    set("config", "p2p.persistent_peers", "");
    const genesisPath = path.join(this.home, "config/genesis.json");
    const genesis = JSON.parse(fs.readFileSync(genesisPath, "utf8"));
    genesis.app_state.slashing.params.min_signed_per_window = "0.000000000000000000";
    fs.writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
    this.run(["genesis", "validate"]);
    return mnemonics;
  }

  get rpcUrl() {
    return `http://127.0.0.1:${this.rpcPort}`;
  }

  get restUrl() {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start() {
    this.logPath = path.join(this.dir, "node.log");
    const log = fs.openSync(this.logPath, "w");
    this.proc = spawn(this.bin, ["start", "--home", this.home], { stdio: ["ignore", log, log] });
    this.exited = new Promise((resolve) => this.proc.on("exit", resolve));
    // A test process that dies still takes its node down.
    this.onExit = () => this.proc?.kill("SIGKILL");
    process.on("exit", this.onExit);
    await this.waitFor("height 2", async () => (await this.height()) >= 2, 180_000);
    await this.waitFor("the REST server", async () => (await fetch(`${this.restUrl}/cosmos/base/tendermint/v1beta1/node_info`)).ok, 30_000);
  }

  async height() {
    try {
      const r = await fetch(`${this.rpcUrl}/status`);
      const j = await r.json();
      return Number(j.result.sync_info.latest_block_height);
    } catch {
      return -1;
    }
  }

  async waitFor(what, cond, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.proc && this.proc.exitCode !== null) throw new Error(`baid exited early:\n${this.logTail()}`);
      try {
        if (await cond()) return;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.logTail()}`);
      await sleep(250);
    }
  }

  logTail(n = 3000) {
    try {
      return fs.readFileSync(this.logPath, "utf8").slice(-n);
    } catch {
      return "";
    }
  }

  /** GET p from the REST server, at a given height when height is set. */
  async rest(p, height) {
    const headers = height ? { "x-cosmos-block-height": String(height) } : {};
    const r = await fetch(this.restUrl + p, { headers });
    const body = await r.text();
    if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${body}`);
    return JSON.parse(body);
  }

  /** Stops the node (SIGTERM, then SIGKILL after 20 s) and deletes its folder. */
  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill("SIGTERM");
      const killed = await Promise.race([this.exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!killed) {
        this.proc.kill("SIGKILL");
        await this.exited;
      }
    }
    if (this.onExit) process.off("exit", this.onExit);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
