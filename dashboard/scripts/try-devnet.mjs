// Opens the dashboard of a running `make devnet` in Chromium with a test wallet injected as
// window.keplr (a CosmJS amino signer holding a devnet key; see test/keplr-shim.mjs), for trying
// the dashboard as a new user would without installing Keplr.
//
//   make devnet                       # terminal 1
//   cd dashboard && npm ci && npm run try            # terminal 2: a Chromium window (needs a display)
//   npm run try -- --auto             # no display: walks through the steps headless, with screenshots
//
// Options: --url (default http://127.0.0.1:1317/dashboard/), --account NAME (a key of
// .devnet/accounts.txt, default alice) or MNEMONIC in the environment, --auto, --out DIR
// (screenshots of --auto, default test-results/try).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

import { launch } from "../test/browser.mjs";
import { injectTestWallet } from "../test/keplr-shim.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:1317/dashboard/" },
    account: { type: "string", default: "alice" },
    home: { type: "string", default: path.join(here, "..", "..", ".devnet") },
    auto: { type: "boolean", default: false },
    out: { type: "string", default: path.join(here, "..", "test-results", "try") },
  },
});

function mnemonicOf(name) {
  if (process.env.MNEMONIC) return process.env.MNEMONIC.trim();
  const file = path.join(opt.home, "accounts.txt");
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.startsWith(`${name} `));
  if (i < 0) throw new Error(`no account ${name} in ${file}`);
  return lines[i + 1].replace(/^\s*mnemonic:\s*/, "").trim();
}

const url = new URL(opt.url);
const rest = url.origin;
const auto = opt.auto || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
const browser = await launch({ headless: auto });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const address = await injectTestWallet(context, mnemonicOf(opt.account), { name: opt.account });
const page = await context.newPage();
page.on("console", (m) => m.type() === "error" && console.error(`[page] ${m.text()}`));
console.log(`Test wallet: ${opt.account} ${address}`);
console.log(`Opening ${url}`);
await page.goto(new URL("#/network", url).toString());

if (!auto) {
  console.log("The wallet answers Keplr's API in this window: open My account and press Connect wallet. Close the window to stop.");
  await new Promise((resolve) => browser.on("disconnected", resolve));
  process.exit(0);
}

// Headless: the Done-when walk-through, with a screenshot of each step.
fs.mkdirSync(opt.out, { recursive: true });
const shot = async (name) => {
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(opt.out, `${name}.png`), fullPage: true });
  console.log(`  screenshot ${path.join(opt.out, `${name}.png`)}`);
};
const ready = (id) => page.waitForSelector(`[data-page="${id}"][data-ready="true"]`, { timeout: 30_000 });
await ready("network");
console.log(`1. Network: height ${await page.getAttribute('[data-field="network.height"]', "data-raw")}, ${await page.getAttribute('[data-field="network.bonded_validators"]', "data-raw")} bonded validators`);
await shot("1-network");
await page.goto(new URL("#/supply", url).toString());
await ready("supply");
console.log(`2. Supply & emission: issued ${await page.getAttribute('[data-field="supply.issued"]', "data-raw")} ubai, ${await page.locator("[data-testid=schedule-chart] [data-era]").count()} eras in the schedule chart`);
await shot("2-supply");
await page.goto(new URL("#/account", url).toString());
await page.click("[data-testid=connect]");
await page.waitForSelector("[data-testid=stake-form] input[data-validator]");
console.log(`3. Connected ${(await page.textContent("[data-testid=address]")).trim()}`);
const vals = await page.$$eval("[data-testid=stake-form] input[data-validator]", (els) => els.map((e) => e.getAttribute("data-validator")));
if (vals.length < 2) throw new Error(`the devnet has ${vals.length} bonded validator(s); make devnet-reset creates the two-validator devnet`);
for (const v of vals.slice(0, 2)) await page.fill(`[data-testid=stake-form] input[data-validator="${v}"]`, "10");
await page.click("[data-testid=stake-submit]");
const row = await page.waitForSelector('[data-testid=tx-results] tr[data-tx]:has-text("stake to 2 validators")', { timeout: 60_000 });
console.log(`4. Staked 10 BAI to each of ${vals.slice(0, 2).join(" and ")} in one transaction: ${await row.getAttribute("data-tx")} (code ${await row.getAttribute("data-code")})`);
await page.waitForSelector(`[data-testid=delegations] tr[data-delegation="${vals[1]}"]`, { timeout: 20_000 });
await shot("3-account");
const dels = await (await fetch(`${rest}/cosmos/staking/v1beta1/delegations/${address}`)).json();
console.log("5. Delegations over REST:");
for (const d of dels.delegation_responses) console.log(`   ${d.delegation.validator_address}: ${d.balance.amount} ubai`);
await browser.close();
