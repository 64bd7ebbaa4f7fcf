// The bundled descriptors and declarations are what the .proto files give, byte for byte (as
// `make proto-check` checks the Go code): regenerate in memory and compare with the committed
// files. And the bundle means the same as the .proto files: a root read from disk gives the same
// protobuf and amino bytes for every golden fixture.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { OUTPUTS, PROTO_DIRS, build, packageDir } from "../scripts/build.mjs";
import { aminoTypes, customMsgTypeUrls, descriptors, fromProtoJSON, loadRoot, protoPath, registry } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const testdata = path.resolve(here, "../../../tests/amino/testdata");
const fixtureName = /^(balanceai\.[a-z0-9_]+\.v[0-9]+\.Msg[A-Za-z0-9]+)(@[a-z0-9-]+)?\.json$/;

test("the committed generated files are what npm run build writes from proto/", () => {
  const built = build();
  for (const [k, file] of Object.entries(OUTPUTS)) {
    const rel = path.relative(packageDir, file);
    assert.ok(fs.existsSync(file), `${rel} is missing: run npm run build in client/js`);
    // Not assert.equal: a 200 KB diff is no help; say what to run.
    assert.ok(fs.readFileSync(file, "utf8") === built[k], `${rel} is not what the .proto files give: run npm run build in client/js and commit it`);
  }
  // Twice the same: nothing depends on time, order of the file system or the machine.
  assert.deepEqual(build(), built);
});

test("the bundled descriptors are the default root; .proto files still load in Node", () => {
  assert.deepEqual(protoPath(), PROTO_DIRS);
  const bundled = loadRoot({ descriptors, reload: true });
  const disk = loadRoot({ dirs: protoPath() });
  assert.notEqual(bundled, disk);
  assert.equal(loadRoot(), disk, "a root loaded explicitly becomes the default");
  assert.deepEqual(customMsgTypeUrls(bundled), customMsgTypeUrls(disk));

  const fixtures = fs.readdirSync(path.join(testdata, "fixtures")).filter((f) => fixtureName.test(f));
  assert.ok(fixtures.length >= 20);
  const [regB, regD, aminoB, aminoD] = [registry(bundled), registry(disk), aminoTypes(bundled), aminoTypes(disk)];
  for (const file of fixtures) {
    const typeUrl = "/" + fixtureName.exec(file)[1];
    const json = JSON.parse(fs.readFileSync(path.join(testdata, "fixtures", file), "utf8"));
    const vb = fromProtoJSON(typeUrl, json, bundled);
    assert.deepEqual(vb, fromProtoJSON(typeUrl, json, disk), file);
    assert.deepEqual(regB.encode({ typeUrl, value: vb }), regD.encode({ typeUrl, value: vb }), file);
    assert.deepEqual(aminoB.toAmino({ typeUrl, value: vb }), aminoD.toAmino({ typeUrl, value: vb }), file);
  }
  // Back to the bundle for whatever runs next in this process.
  assert.notEqual(loadRoot({ reload: true }), disk);
});
