// The TypeScript declarations: tsc --noEmit on test/types/usage.ts, a dApp's use of the package
// through its own name (the exports map's "types" conditions), with strict checks and the
// package's declaration files checked too (skipLibCheck off).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

test("tsc --noEmit accepts a dApp's use of the declared Msgs, queries and functions", () => {
  const res = spawnSync(process.execPath, [tsc, "-p", path.join(here, "types/tsconfig.json")], { encoding: "utf8" });
  assert.equal(res.status, 0, `tsc failed:\n${res.stdout}${res.stderr}`);
});
