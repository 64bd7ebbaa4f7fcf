// The package as a dApp gets it: `npm pack`, then `npm install <tarball>` in a fresh folder
// (its dependencies come from the npm registry), then a script there imports
// "@balanceai/client" by name, builds a registry and amino converters from the bundled
// descriptors and must give the chain's golden amino sign bytes; tsc checks a typed use of the
// installed package.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, "..");
const testdata = path.resolve(packageDir, "../../tests/amino/testdata");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "balanceai-client-pack-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd, args, cwd, env = {}) {
  const res = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, BALANCEAI_PROTO_PATH: "", ...env } });
  assert.equal(res.status, 0, `${cmd} ${args.join(" ")} failed in ${cwd}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

test("npm pack gives a tarball that installs and works in a fresh folder", { timeout: 300_000 }, () => {
  // --ignore-scripts: prepack's descriptor check is test/build.test.mjs's job; this one is about
  // what the tarball holds and does.
  const packed = JSON.parse(run(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], packageDir));
  const { filename, files } = packed[0];
  const names = files.map((f) => f.path);
  for (const want of ["package.json", "README.md", "src/index.js", "src/index.d.ts", "src/protofiles.js", "src/gateway.js", "src/curation.js", "src/generated/descriptors.js", "src/generated/messages.d.ts"]) {
    assert.ok(names.includes(want), `the tarball lacks ${want}`);
  }
  assert.deepEqual(names.filter((n) => /^(test|scripts|examples|node_modules)\//.test(n)), [], "the tarball carries files a user does not need");
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
  assert.equal(manifest.private, undefined, "a private package cannot be published");

  const app = path.join(tmp, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(tmp, filename)], app);
  assert.ok(fs.existsSync(path.join(app, "node_modules/@balanceai/client/src/generated/descriptors.js")));

  // A Msg of every module, as a dApp would sign it, against the Go golden sign bytes.
  const fixtures = fs
    .readdirSync(path.join(testdata, "fixtures"))
    .filter((f) => /^balanceai\.[a-z]+\.v1\.Msg[A-Za-z]+\.json$/.test(f) && fs.existsSync(path.join(testdata, f)));
  const oneEach = [...new Map(fixtures.map((f) => [f.split(".")[1], f])).values()];
  assert.ok(oneEach.length >= 6, `fixtures of only ${oneEach.length} modules`);
  fs.writeFileSync(
    path.join(app, "check.mjs"),
    `import fs from "node:fs";
import { makeSignDoc, serializeSignDoc } from "@cosmjs/amino";
import { aminoTypes, customMsgTypeUrls, fromProtoJSON, loadRoot, registry } from "@balanceai/client";
import { requestDigest } from "@balanceai/client/gateway";
import { scoreCommitment } from "@balanceai/client/curation";

const [testdata, ...files] = process.argv.slice(2);
const signer = JSON.parse(fs.readFileSync(testdata + "/signer.json", "utf8"));
const root = loadRoot();
const reg = registry(root);
const types = aminoTypes(root);
const out = { msgs: customMsgTypeUrls().length, results: [] };
for (const file of files) {
  const typeUrl = "/" + file.replace(/\\.json$/, "");
  const value = fromProtoJSON(typeUrl, JSON.parse(fs.readFileSync(testdata + "/fixtures/" + file, "utf8")));
  const doc = makeSignDoc([types.toAmino({ typeUrl, value })], signer.fee, signer.chain_id, signer.memo, signer.account_number, signer.sequence);
  out.results.push({ file, signBytes: new TextDecoder().decode(serializeSignDoc(doc)), protoLength: reg.encode({ typeUrl, value }).length });
}
out.digest = requestDigest({ chainId: "c", listingId: 1, method: "get", path: "/x", timestamp: 1, nonce: "0123456789abcdef" }).split("\\n")[0];
out.commitment = scoreCommitment({ curator: process.env.ADDRESS, chainId: "c", salt: "s", epoch: 1, scores: [{ listingId: 1, score: 1 }] }).length;
console.log(JSON.stringify(out));
`,
  );
  const address = /"(bai1[02-9ac-hj-np-z]{38})"/.exec(fs.readFileSync(path.join(testdata, "fixtures", oneEach[0]), "utf8"))[1];
  const out = JSON.parse(run(process.execPath, ["check.mjs", testdata, ...oneEach], app, { ADDRESS: address }));
  assert.ok(out.msgs >= 20, `only ${out.msgs} Msgs in the installed package`);
  assert.equal(out.results.length, oneEach.length);
  for (const r of out.results) {
    assert.equal(r.signBytes, fs.readFileSync(path.join(testdata, r.file), "utf8"), `amino sign bytes of ${r.file} from the installed package`);
    assert.ok(r.protoLength > 0);
  }
  assert.equal(out.digest, "BALANCEAI-GATEWAY-V1");
  assert.equal(out.commitment, 64);

  // The declarations resolve through the installed package's exports map.
  fs.writeFileSync(
    path.join(app, "use.ts"),
    `import { registry, fromProtoJSON, type balanceai, type MsgTypes } from "@balanceai/client";
import { signRequest } from "@balanceai/client/gateway";
const r = registry();
const s = fromProtoJSON("/balanceai.emission.v1.QuerySupplyResponse", {});
const denom: string | undefined = s.denom;
const lock: MsgTypes["/balanceai.bridge.v1.MsgLock"] = { sender: "bai1", amount: { denom: "ubai", amount: "1" } };
const id: balanceai.marketplace.v1.MsgUpdateListing["id"] = 1n;
export { r, denom, lock, id, signRequest };
`,
  );
  fs.writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["use.ts"] }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  run(process.execPath, [tsc, "-p", "tsconfig.json"], app);
});
