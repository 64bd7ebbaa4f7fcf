// The package as a browser bundler sees it: esbuild bundles each entry point for the browser
// (platform=browser, the "browser"/"import"/"default" conditions) and the bundle may not import a
// Node built-in; the bundled registry and amino converters then run in a bare JavaScript context
// (no process, Buffer, require or file system; only the Web APIs a browser has) and must give
// the chain's golden amino sign bytes and the same protobuf bytes as the package in Node.
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

import * as esbuild from "esbuild";

import { fromProtoJSON, registry } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, "..");
const testdata = path.resolve(packageDir, "../../tests/amino/testdata");
const fixtureName = /^(balanceai\.[a-z0-9_]+\.v[0-9]+\.Msg[A-Za-z0-9]+)(@[a-z0-9-]+)?\.json$/;
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

async function bundle(options) {
  return esbuild.build({
    bundle: true,
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
    absWorkingDir: packageDir,
    ...options,
  });
}

// Every import esbuild resolved in the bundle, with the file that made it.
function importsOf(metafile) {
  const out = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) out.push({ file, path: imp.path, external: imp.external === true });
  }
  return out;
}

for (const entry of [".", "./gateway", "./curation", "./descriptors"]) {
  test(`"@balanceai/client${entry.slice(1)}" bundles for the browser without Node built-ins`, async () => {
    const res = await bundle({
      stdin: { contents: `export * from "@balanceai/client${entry.slice(1)}";`, resolveDir: packageDir, loader: "js" },
      format: "esm",
    });
    assert.deepEqual(res.errors, []);
    const bad = importsOf(res.metafile).filter((i) => i.external || nodeBuiltins.has(i.path) || i.path.startsWith("node:"));
    assert.deepEqual(bad, [], "the browser bundle imports Node built-ins or leaves imports unresolved");
    const ours = Object.keys(res.metafile.inputs).filter((f) => f.startsWith("src/"));
    assert.ok(ours.length > 0, "the bundle does not contain the package's own sources");
    assert.ok(!ours.some((f) => f.includes("scripts/")), "the build script is in the bundle");
    // The package's own sources use Web APIs only (protobufjs and CosmJS pick theirs at runtime).
    for (const f of ours) {
      const src = fs.readFileSync(path.join(packageDir, f), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      assert.doesNotMatch(src, /\bBuffer\b|\brequire\(|(?<!globalThis\.)\bprocess\./, `${f} uses a Node global`);
    }
    const code = res.outputFiles[0].text;
    assert.doesNotMatch(code, /\bfrom\s*["']node:|require\(["']node:|import\(["']node:/);
  });
}

test("the browser bundle converts every golden Msg in a bare JavaScript context", async () => {
  const res = await bundle({
    stdin: {
      contents: [
        `export { aminoTypes, registry, fromProtoJSON, customMsgTypeUrls, loadRoot } from "@balanceai/client";`,
        `export { makeSignDoc, serializeSignDoc } from "@cosmjs/amino";`,
        `export { toHex, toUtf8, fromUtf8 } from "@cosmjs/encoding";`,
      ].join("\n"),
      resolveDir: packageDir,
      loader: "js",
    },
    format: "iife",
    globalName: "BAI",
    logOverride: { "empty-import-meta": "silent" },
  });
  assert.deepEqual(res.errors, []);

  // What a browser page has, and nothing of Node's.
  const context = vm.createContext({
    TextEncoder,
    TextDecoder,
    URL,
    crypto: globalThis.crypto,
    atob,
    btoa,
    setTimeout,
    clearTimeout,
    console,
  });
  vm.runInContext("globalThis.window = globalThis; globalThis.self = globalThis;", context);
  vm.runInContext(`${res.outputFiles[0].text}\n;globalThis.BAI = BAI;`, context, { filename: "bundle.js" });
  for (const name of ["process", "Buffer", "require", "module"]) {
    assert.equal(vm.runInContext(`typeof ${name}`, context), "undefined", `${name} is defined in the bare context`);
  }
  // Reading .proto files is refused there with a message, not a crash on a missing global.
  assert.throws(() => vm.runInContext(`BAI.loadRoot({ dirs: ["/proto"] })`, context), /needs Node\.js/);

  const signer = JSON.parse(fs.readFileSync(path.join(testdata, "signer.json"), "utf8"));
  const fixtures = fs.readdirSync(path.join(testdata, "fixtures")).filter((f) => fixtureName.test(f) && fs.existsSync(path.join(testdata, f)));
  assert.ok(fixtures.length >= 20, `only ${fixtures.length} golden fixtures`);
  context.signer = signer;
  const convert = vm.runInContext(
    `(typeUrl, jsonText) => {
      const types = BAI.aminoTypes();
      const value = BAI.fromProtoJSON(typeUrl, JSON.parse(jsonText));
      const doc = BAI.makeSignDoc([types.toAmino({ typeUrl, value })], signer.fee, signer.chain_id, signer.memo, signer.account_number, signer.sequence);
      return { signBytes: BAI.fromUtf8(BAI.serializeSignDoc(doc)), proto: BAI.toHex(BAI.registry().encode({ typeUrl, value })) };
    }`,
    context,
  );
  const reg = registry();

  // 64-bit integers beyond 2^53 keep every digit (protobufjs has Long in the bundle).
  const big = vm.runInContext(
    `(() => {
      const typeUrl = "/balanceai.marketplace.v1.MsgRegisterListing";
      const value = { owner: "bai1", kind: 1, components: [18446744073709551615n, 9007199254740993n] };
      const msg = { typeUrl, value };
      const back = BAI.registry().decode({ typeUrl, value: BAI.registry().encode(msg) });
      return { proto: BAI.toHex(BAI.registry().encode(msg)), amino: JSON.stringify(BAI.aminoTypes().toAmino(msg)), back: back.components.map(String).join(",") };
    })()`,
    context,
  );
  const bigValue = { owner: "bai1", kind: 1, components: [18446744073709551615n, 9007199254740993n] };
  const bigMsg = { typeUrl: "/balanceai.marketplace.v1.MsgRegisterListing", value: bigValue };
  assert.equal(big.proto, Buffer.from(reg.encode(bigMsg)).toString("hex"));
  assert.match(big.amino, /"components":\["18446744073709551615","9007199254740993"\]/);
  assert.equal(big.back, "18446744073709551615,9007199254740993");

  for (const file of fixtures) {
    const typeUrl = "/" + fixtureName.exec(file)[1];
    const jsonText = fs.readFileSync(path.join(testdata, "fixtures", file), "utf8");
    const got = convert(typeUrl, jsonText);
    assert.equal(got.signBytes, fs.readFileSync(path.join(testdata, file), "utf8"), `amino sign bytes of ${file}`);
    const want = Buffer.from(reg.encode({ typeUrl, value: fromProtoJSON(typeUrl, JSON.parse(jsonText)) })).toString("hex");
    assert.equal(got.proto, want, `protobuf bytes of ${file}`);
  }
});
