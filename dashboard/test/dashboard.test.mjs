// The dashboard in headless Chromium against a two-validator chain started here with build/baid,
// served by the node itself at /dashboard/: every page loads without a console error, the
// figures shown equal the REST answers at the height the page shows, the schedule chart has one
// segment per era, a test wallet injected as window.keplr stakes to both validators in one
// transaction and registers a listing (both confirmed over REST), and the listing is found by
// task and by tag. Screenshots of every page go to test-results/screenshots/.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { launch } from "./browser.mjs";
import { Devnet } from "./devnet.mjs";
import { injectTestWallet } from "./keplr-shim.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = path.join(here, "..", "test-results", "screenshots");
const BAID = process.env.BAID ?? path.join(here, "..", "..", "build", "baid");
const PAGES = ["network", "supply", "marketplace", "curation", "bridge", "account"];

let devnet;
let browser;
let context;
let alice;
let mnemonics;
let modelListing;
const consoleErrors = [];

// A REST 404 the page expects and handles: a listing without a curation score yet.
const expected404 = (url) => /\/balanceai\/curation\/v1\/scores\/\d+$/.test(url);

function watch(page) {
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const url = msg.location()?.url ?? "";
    if (/status of 404/.test(msg.text()) && expected404(url)) return;
    consoleErrors.push(`${page.url()}: ${msg.text()} (${url})`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: uncaught ${err.message}`));
  return page;
}

async function openPage(page, route) {
  await page.goto(`${devnet.restUrl}/dashboard/#/${route}`);
  const id = route.split(/[/?]/)[0] === "listing" ? "listing" : route.split(/[/?]/)[0];
  await page.waitForSelector(`[data-page="${id}"][data-ready="true"]`, { timeout: 60_000 });
  return id;
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Waits for the result row of a transaction sent from the account page; a refusal shown in an
 * error box instead fails at once with its message.
 */
async function txResult(page, what) {
  const row = page.locator(`[data-testid=tx-results] tr[data-tx]:has-text("${what}")`).first();
  const error = page.locator('[data-page="account"] form .error').first();
  await Promise.race([row.waitFor({ timeout: 90_000 }), error.waitFor({ timeout: 90_000 })]);
  if ((await row.count()) === 0) assert.fail(`${what}: ${await error.textContent()}`);
  assert.equal(await row.getAttribute("data-code"), "0", await row.textContent());
  return row.getAttribute("data-tx");
}

/** The height a page shows and every data-field's data-raw, read in one go. */
async function figures(page, id) {
  return page.evaluate((id) => {
    const root = document.querySelector(`[data-page="${id}"]`);
    const out = {};
    for (const el of root.querySelectorAll("[data-field][data-raw]")) out[el.getAttribute("data-field")] = el.getAttribute("data-raw");
    return { height: root.getAttribute("data-height"), fields: out, eras: root.querySelectorAll("[data-testid=schedule-chart] [data-era]").length };
  }, id);
}

before(async () => {
  devnet = new Devnet(BAID);
  mnemonics = await devnet.init({ alice: "2000000000000ubai", bob: "2000000000000ubai" });
  await devnet.start();
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  alice = await injectTestWallet(context, mnemonics.alice, { name: "alice" });
});

after(async () => {
  await browser?.close();
  await devnet?.stop();
});

// onlyListing waits until the results table holds exactly the listing id (the page may show the
// unfiltered list, or a loading state while a poll refreshes it, before the filtered answer).
async function onlyListing(page, id) {
  await page.waitForFunction((want) => {
    const rows = [...document.querySelectorAll("[data-testid=listings] tr[data-listing]")];
    return rows.length === 1 && rows[0].getAttribute("data-listing") === want;
  }, String(id), { timeout: 40_000 });
}

describe("the dashboard served by baid", () => {
  test("the node serves index.html, assets and config.json at /dashboard/", async () => {
    const r = await fetch(`${devnet.restUrl}/dashboard/`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type"), /text\/html/);
    const cfg = await (await fetch(`${devnet.restUrl}/dashboard/config.json`)).json();
    assert.equal(cfg.chainId, devnet.chainId);
    assert.equal(cfg.rest, devnet.restUrl);
    assert.equal(cfg.rpc, devnet.rpcUrl);
    // Behind another host name the addresses follow it.
    const other = await (await fetch(`${devnet.restUrl}/dashboard/config.json`, { headers: { "X-Forwarded-Host": "bai.example.org", "X-Forwarded-Proto": "https" } })).json();
    assert.equal(other.rest, "https://bai.example.org");
    assert.equal(other.rpc, `https://bai.example.org:${devnet.rpcPort}`);
    assert.equal((await fetch(`${devnet.restUrl}/dashboard/missing.js`)).status, 404);
  });

  test("every page loads without a console error, on a desktop and a phone", async () => {
    const page = watch(await context.newPage());
    for (const p of PAGES) {
      await openPage(page, p);
      await page.waitForTimeout(300);
      await shot(page, p);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const p of PAGES) {
      await openPage(page, p);
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${p} is wider than a phone screen by ${overflow}px`);
      await shot(page, `${p}-phone`);
    }
    await page.close();
    assert.deepEqual(consoleErrors, []);
  });

  test("a failed query shows an error state with the node's message", async () => {
    // Not watched: the 404 of the unknown listing is the point of this test.
    const page = await context.newPage();
    await page.goto(`${devnet.restUrl}/dashboard/#/listing/999999`);
    const alert = await page.waitForSelector('[data-page="listing"] [role=alert]', { timeout: 60_000 });
    assert.match(await alert.textContent(), /999999/);
    assert.ok(await page.$('[data-page="listing"] button.link'), "the error offers a retry");
    await shot(page, "error-state");
    // A listing address that is not a number is not looked up (it would go into REST paths).
    const asked = [];
    page.on("request", (r) => asked.push(r.url()));
    await page.goto(`${devnet.restUrl}/dashboard/#/listing/..%2F..%2Fcosmos%2Fbank%2Fv1beta1%2Fparams`);
    const bad = await page.waitForSelector('[data-page="listing"] [role=alert]', { timeout: 60_000 });
    assert.match(await bad.textContent(), /not a listing id/);
    assert.deepEqual(asked.filter((u) => /marketplace\/v1\/listings|bank/.test(u)), []);
    await page.close();
  });

  test("a page whose data it cannot show says so instead of going blank, and the others still work", async () => {
    // Not watched: the broken answer is the point of this test.
    const page = await context.newPage();
    await page.route("**/balanceai/emission/v1/supply", (route) => route.fulfill({ status: 200, contentType: "application/json", body: "{}" }));
    await page.goto(`${devnet.restUrl}/dashboard/#/supply`);
    const alert = await page.waitForSelector("[data-testid=page-error]", { timeout: 60_000 });
    assert.match(await alert.textContent(), /could not be shown/);
    await openPage(page, "network");
    await page.close();
  });

  test("the dashboard may not be framed and allows only its own scripts and this node's REST and RPC", async () => {
    const r = await fetch(`${devnet.restUrl}/dashboard/`);
    assert.equal(r.headers.get("x-frame-options"), "DENY");
    const csp = r.headers.get("content-security-policy");
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, new RegExp(`connect-src 'self' ${devnet.rpcUrl.replace(/[.]/g, "\\.")};`));
    assert.doesNotMatch(csp, /unsafe-inline/);
  });

  test("a page's height is a committed state while the latest block is one ahead of it", async () => {
    // CometBFT stores a block before the application has executed and committed it; until then a
    // query at the latest block's height is refused ("cannot query with height in the future",
    // HTTP 500). Here every blocks/latest answer is one block ahead of the state the node answered it from.
    // The second time round the answer also lacks the header naming that state's height, as
    // from a REST server on another origin that does not expose it.
    for (const withHeader of [true, false]) {
      const page = watch(await context.newPage());
      const states = [];
      await page.route("**/cosmos/base/tendermint/v1beta1/blocks/latest", async (route) => {
        const r = await route.fetch();
        const body = await r.json();
        const headers = r.headers();
        const state = Number(headers["x-cosmos-block-height"]);
        states.push(state);
        body.block.header.height = String(state + 1);
        if (!withHeader) {
          delete headers["x-cosmos-block-height"];
          delete headers["grpc-metadata-x-cosmos-block-height"];
        }
        await route.fulfill({ response: r, headers, json: body });
      });
      for (const id of ["supply", "network", "marketplace"]) {
        await page.goto(`${devnet.restUrl}/dashboard/#/${id}`);
        const shown = await page.waitForSelector(`[data-page="${id}"][data-ready="true"], [data-page="${id}"] [role=alert]`, { timeout: 60_000 });
        assert.equal(await shown.getAttribute("role"), null, `${id}: ${await shown.textContent()}`);
        const { height } = await figures(page, id);
        assert.ok(states.includes(Number(height)), `${id} shows block ${height}, not a committed state (${states})`);
      }
      await page.close();
    }
    assert.deepEqual(consoleErrors, []);
  });

  test("supply, era, rate and split figures equal the REST answers at the page's height; one chart segment per era", async () => {
    const page = watch(await context.newPage());
    await openPage(page, "supply");
    const { height, fields, eras } = await figures(page, "supply");
    assert.ok(Number(height) > 0);
    const [supply, state, schedule, params] = await Promise.all([
      devnet.rest("/balanceai/emission/v1/supply", height),
      devnet.rest("/balanceai/emission/v1/state", height),
      devnet.rest("/balanceai/emission/v1/schedule", height),
      devnet.rest("/balanceai/emission/v1/params", height),
    ]);
    for (const k of ["issued", "circulating", "burned", "max_supply", "genesis_supply", "minted", "remaining"]) {
      assert.equal(fields[`supply.${k}`], supply[k], `supply.${k}`);
    }
    for (const b of supply.burned_by_source) assert.equal(fields[`burned.${b.source}`], b.amount, `burned.${b.source}`);
    assert.equal(fields["emission.era"], String(state.state.era));
    assert.equal(fields["emission.daily"], state.state.current_daily_emission);
    assert.equal(fields["emission.next_halving_at"], state.state.next_halving_at);
    assert.equal(fields["emission.estimated_next_halving_time"], state.estimated_next_halving_time ?? "");
    for (const k of ["staking", "models_fund", "agents_fund", "development"]) {
      assert.equal(fields[`split.${k}.share`], params.params[`${k}_share`], `split.${k}.share`);
    }
    const daily = BigInt(state.state.current_daily_emission);
    const dec = (s) => BigInt(s.replace(".", ""));
    const parts = ["staking", "models_fund", "agents_fund"].map((k) => (daily * dec(params.params[`${k}_share`])) / 10n ** 18n);
    parts.forEach((v, i) => assert.equal(fields[`split.${["staking", "models_fund", "agents_fund"][i]}.daily`], v.toString()));
    assert.equal(BigInt(fields["split.development.daily"]) + parts.reduce((a, b) => a + b, 0n), daily, "the four parts add up to the daily rate");
    assert.ok(schedule.eras.length > 1);
    assert.equal(eras, schedule.eras.length, "one chart segment per era");
    await page.close();
    assert.deepEqual(consoleErrors, []);
  });

  test("fund and network figures equal the REST answers at the page's height", async () => {
    const page = watch(await context.newPage());
    await openPage(page, "curation");
    let { height, fields } = await figures(page, "curation");
    const { funds } = await devnet.rest("/balanceai/grants/v1/funds", height);
    assert.equal(funds.length, 2);
    for (const f of funds) {
      const k = f.fund.replace("GRANT_FUND_", "").toLowerCase();
      assert.equal(fields[`fund.${k}.balance`], f.balance.amount);
      for (const x of ["free", "reserved", "unclaimed", "total_rewarded", "total_granted"]) assert.equal(fields[`fund.${k}.${x}`], f[x], `fund.${k}.${x}`);
    }
    const epoch = await devnet.rest("/balanceai/curation/v1/epoch", height);
    assert.equal(fields["curation.epoch"], epoch.number);
    assert.equal(fields["curation.phase"], epoch.phase);

    await openPage(page, "network");
    ({ height, fields } = await figures(page, "network"));
    const pool = await devnet.rest("/cosmos/staking/v1beta1/pool", height);
    assert.equal(fields["network.height"], height);
    assert.equal(fields["network.bonded_tokens"], pool.pool.bonded_tokens);
    assert.equal(fields["network.bonded_validators"], "2");
    await page.close();
    assert.deepEqual(consoleErrors, []);
  });

  test("a test wallet connects, stakes to two validators in one transaction and registers a listing found by task and tag", async () => {
    const page = watch(await context.newPage());
    await openPage(page, "account");
    await page.click("[data-testid=connect]");
    await page.waitForSelector("[data-testid=address]");
    assert.equal((await page.textContent("[data-testid=address]")).trim(), alice);
    const suggested = await page.evaluate(() => window.__suggestedChains);
    assert.equal(suggested[0].chainId, devnet.chainId);
    assert.equal(suggested[0].rest, devnet.restUrl);
    assert.equal(suggested[0].rpc, devnet.rpcUrl);
    assert.equal(suggested[0].bech32Config.bech32PrefixAccAddr, "bai");

    // Nominate both validators in one transaction.
    const { validators } = await devnet.rest("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED");
    assert.equal(validators.length, 2);
    await page.waitForSelector("[data-testid=stake-form] input[data-validator]");
    // Each row names its validator by the start of the address's data, not by its checksum
    // alone (which anyone can grind a key to match), and gives the whole address on hover.
    for (const v of validators) {
      const shown = await page.$(`[data-testid=stake-form] span[title="${v.operator_address}"]`);
      assert.ok(shown, v.operator_address);
      const text = (await shown.textContent()).trim();
      assert.equal(text, `${v.operator_address.slice(0, "baivaloper1".length + 6)}…${v.operator_address.slice(-6)}`);
    }
    const amounts = { [validators[0].operator_address]: "1234.5", [validators[1].operator_address]: "678" };
    for (const [val, a] of Object.entries(amounts)) await page.fill(`[data-testid=stake-form] input[data-validator="${val}"]`, a);
    await shot(page, "account-stake");
    await page.click("[data-testid=stake-submit]");
    const stakeHash = await txResult(page, "stake to 2 validators");
    const stakeTx = await devnet.rest(`/cosmos/tx/v1beta1/txs/${stakeHash}`);
    assert.equal(stakeTx.tx.body.messages.length, 2);
    assert.ok(stakeTx.tx.body.messages.every((m) => m["@type"] === "/cosmos.staking.v1beta1.MsgDelegate"));
    assert.equal(stakeTx.tx.auth_info.signer_infos[0].mode_info.single.mode, "SIGN_MODE_LEGACY_AMINO_JSON");
    const { delegation_responses: dels } = await devnet.rest(`/cosmos/staking/v1beta1/delegations/${alice}`);
    const byVal = Object.fromEntries(dels.map((d) => [d.delegation.validator_address, d.balance.amount]));
    assert.equal(byVal[validators[0].operator_address], "1234500000");
    assert.equal(byVal[validators[1].operator_address], "678000000");
    // The page shows the new delegations.
    await page.waitForSelector(`[data-testid=delegations] tr[data-delegation="${validators[1].operator_address}"]`, { timeout: 40_000 });

    // Register a listing through the form.
    const task = `dash-task-${Date.now().toString(36)}`;
    const tag = `tag${Date.now().toString(36)}`;
    const form = "[data-testid=register-form]";
    await page.fill(`${form} input[name=name]`, "Dashboard Test Model");
    await page.fill(`${form} input[name=task]`, task);
    await page.fill(`${form} input[name=tags]`, `${tag}, llm`);
    await page.fill(`${form} textarea[name=description]`, "Registered from the dashboard in a browser test");
    await page.fill(`${form} input[name=endpoint]`, "https://node.example.com/v1");
    await page.fill(`${form} input[name=metadataCid]`, "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    await page.fill(`${form} input[name=collateral]`, "1500");
    await page.fill(`${form} input[name=minStake]`, "5");
    await page.click("[data-testid=register-submit]");
    await txResult(page, "register listing");
    await shot(page, "account-done");
    const { listings } = await devnet.rest(`/balanceai/marketplace/v1/listings?owner=${alice}`);
    const listing = listings.find((l) => l.task === task);
    assert.ok(listing, "the listing is on chain");
    assert.equal(listing.collateral.amount, "1500000000");
    assert.deepEqual(listing.tags, [tag, "llm"]);
    assert.equal(listing.access.min_stake, "5000000");
    modelListing = listing;

    // Check access to it (alice now stakes 1,912.5 BAI, above the 5 BAI minimum).
    await page.fill("[data-testid=check-form] input", listing.id);
    await page.click("[data-testid=check-form] button");
    const check = await page.waitForSelector("[data-testid=check-result]");
    assert.equal(await check.getAttribute("data-allowed"), "true");

    // Found by task (through the search form) and by tag (through the link a listing's tag is).
    await openPage(page, "marketplace");
    await page.fill("form.search input[name=task]", task);
    await page.click("form.search button[type=submit]");
    await onlyListing(page, listing.id);
    await shot(page, "marketplace-by-task");
    await openPage(page, `marketplace?tag=${tag}`);
    await onlyListing(page, listing.id);
    await shot(page, "marketplace-by-tag");

    // Its detail page.
    await openPage(page, `listing/${listing.id}`);
    await page.waitForSelector('[data-field="listing.collateral"]');
    assert.equal(await page.getAttribute('[data-field="listing.collateral"]', "data-raw"), "1500000000");
    await shot(page, "listing");
    await page.close();
    assert.deepEqual(consoleErrors, []);
  });

  test("a wallet signing in direct mode (Keplr with a software key) registers an agent, shown with its component model", async () => {
    assert.ok(modelListing, "the previous test registered a model");
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const bob = await injectTestWallet(ctx, mnemonics.bob, { name: "bob", direct: true });
    try {
      const page = watch(await ctx.newPage());
      await openPage(page, "account");
      await page.click("[data-testid=connect]");
      await page.waitForSelector("[data-testid=register-form]");
      const form = "[data-testid=register-form]";
      await page.selectOption(`${form} select[name=kind]`, "LISTING_KIND_AGENT");
      await page.fill(`${form} input[name=name]`, "Dashboard Test Agent");
      await page.fill(`${form} input[name=task]`, modelListing.task);
      await page.fill(`${form} input[name=tags]`, "agent");
      await page.fill(`${form} input[name=endpoint]`, "https://agent.example.com/v1");
      await page.fill(`${form} input[name=metadataCid]`, "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
      await page.fill(`${form} input[name=collateral]`, "500");
      await page.fill(`${form} input[name=components]`, modelListing.id);
      await page.click("[data-testid=register-submit]");
      const tx = await devnet.rest(`/cosmos/tx/v1beta1/txs/${await txResult(page, "register listing")}`);
      assert.equal(tx.tx.auth_info.signer_infos[0].mode_info.single.mode, "SIGN_MODE_DIRECT");
      const { listings } = await devnet.rest(`/balanceai/marketplace/v1/listings?owner=${bob}`);
      assert.equal(listings.length, 1);
      const agent = listings[0];
      assert.equal(agent.kind, "LISTING_KIND_AGENT");
      assert.deepEqual(agent.components, [modelListing.id]);

      await openPage(page, `listing/${agent.id}`);
      await page.waitForSelector(`[data-testid=components] a[href="#/listing/${modelListing.id}"]`);
      await shot(page, "listing-agent");
      // Both are found by their shared task.
      await openPage(page, `marketplace?task=${modelListing.task}`);
      await page.waitForSelector(`[data-testid=listings] tr[data-listing="${agent.id}"]`, { timeout: 40_000 });
      assert.equal(await page.locator("[data-testid=listings] tr[data-listing]").count(), 2);
      await page.close();
    } finally {
      await ctx.close();
    }
    assert.deepEqual(consoleErrors, []);
  });
});
