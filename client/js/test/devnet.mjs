// A BalanceAI chain for tests, made with the standard commands (init, keys add --recover, genesis
// add-genesis-account, gentx, collect-gentxs) in a temporary folder, with 1 s blocks and every
// listener on a free 127.0.0.1 port. One validator runs the node; an optional second validator is
// in the genesis set with its own consensus key but runs no node (the dashboard tests nominate
// two validators). Keys are recovered from mnemonics generated here, so CosmJS wallets can sign
// for them. The dashboard's tests use this harness too.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { Bip39, Random } from "@cosmjs/crypto";

// Test ports come from [PORT_LOW, PORT_HIGH), below Linux's ephemeral range (32768 and up by
// default). A port the kernel picks for port 0 comes from the range it also gives outgoing
// connections: once the probe closes it, a connection can take it as its local port before the
// node binds it. Ports below the range are never given that way. No port is returned twice in
// one process, and each process starts at its own offset.
const PORT_LOW = 20000;
const PORT_HIGH = 32000;
let nextPort = PORT_LOW + ((process.pid * 97) % (PORT_HIGH - PORT_LOW));

function probe(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

export async function freePort() {
  for (let i = 0; i < PORT_HIGH - PORT_LOW; i++) {
    const port = nextPort;
    nextPort = nextPort + 1 === PORT_HIGH ? PORT_LOW : nextPort + 1;
    if (await probe(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 in [${PORT_LOW}, ${PORT_HIGH})`);
}

export function generateMnemonic() {
  return Bip39.encode(Random.getBytes(32)).toString();
}

export class Devnet {
  constructor(bin, chainId, tmpPrefix = "baid-js-") {
    if (!bin) throw new Error("set BAID to the path of a built baid (make test-js and make test-dashboard do)");
    if (!fs.existsSync(bin)) throw new Error(`baid not found at ${bin}`);
    this.bin = path.resolve(bin);
    this.chainId = chainId;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
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
   * Creates the chain: accounts maps key names to balances; the key "val" is the validator and
   * stakes stake. offline names a second key that becomes a genesis validator staking
   * offlineStake with a consensus key of its own and no node. edit(genesis) may change the parsed
   * genesis before it is validated. Keys are recovered from the given mnemonics (new ones are
   * generated for keys without). Returns the mnemonics.
   */
  async init(accounts, edit, given = {}, { stake = "100000000000ubai", offline, offlineStake = "100000000000ubai" } = {}) {
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
    set("app", "api.swagger", "true");
    set("app", "api.address", `tcp://127.0.0.1:${this.apiPort}`);
    set("app", "grpc.address", `127.0.0.1:${this.grpcPort}`);
    set("app", "grpc-web.enable", "false");

    let offlineGentx = [];
    if (offline) {
      const home2 = path.join(this.dir, offline);
      this.run(["init", offline, "--chain-id", this.chainId], undefined, home2);
      offlineGentx = [
        "--pubkey", this.run(["comet", "show-validator"], undefined, home2).trim(),
        "--node-id", this.run(["comet", "show-node-id"], undefined, home2).trim(),
        "--moniker", offline,
        "--output-document", path.join(this.home, `config/gentx/gentx-${offline}.json`),
      ];
    }

    const mnemonics = {};
    for (const [name, balance] of Object.entries(accounts)) {
      mnemonics[name] = given[name] ?? generateMnemonic();
      this.run(["keys", "add", name, "--recover", "--keyring-backend", "test", "--output", "json"], mnemonics[name] + "\n");
      this.run(["genesis", "add-genesis-account", name, balance, "--keyring-backend", "test"]);
    }
    this.run(["genesis", "gentx", "val", stake, "--chain-id", this.chainId, "--keyring-backend", "test"]);
    if (offline) {
      this.run(["genesis", "gentx", offline, offlineStake, "--chain-id", this.chainId, "--keyring-backend", "test", ...offlineGentx]);
    }
    this.run(["genesis", "collect-gentxs"]);
    set("config", "p2p.persistent_peers", ""); // the offline validator has no node to dial
    const genesisPath = path.join(this.home, "config/genesis.json");
    if (edit) {
      const genesis = JSON.parse(fs.readFileSync(genesisPath, "utf8"));
      edit(genesis);
      fs.writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
    }
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
