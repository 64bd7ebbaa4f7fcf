// dist/ is committed (so `go build` embeds the dashboard without npm): it must be exactly what
// `npm run build` writes from the sources, the lockfile's packages and client/js.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

function files(dir, base = dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]))
    .sort();
}

test("npm run build reproduces the committed dist/ byte for byte", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-dist-"));
  try {
    const tsc = spawnSync("npx", ["tsc", "--noEmit"], { cwd: root, encoding: "utf8" });
    assert.equal(tsc.status, 0, `type check failed:\n${tsc.stdout}${tsc.stderr}`);
    const r = spawnSync("npx", ["vite", "build", "--outDir", out, "--emptyOutDir", "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, `vite build failed:\n${r.stdout}${r.stderr}`);
    const want = files(path.join(root, "dist"));
    const got = files(out);
    assert.deepEqual(got, want, "dist/ is stale: run `npm run build` in dashboard/ and commit dist/");
    for (const f of want) {
      assert.ok(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(root, "dist", f))), `dist/${f} differs: run \`npm run build\` and commit dist/`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
