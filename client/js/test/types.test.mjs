// The TypeScript declarations: tsc --noEmit on test/types/usage.ts, a dApp's use of the package
// through its own name (the exports map's "types" conditions), with strict checks and the
// package's declaration files checked too (skipLibCheck off); and every runtime export of every
// entry point is declared.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

function runTsc(project) {
  const res = spawnSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
  assert.equal(res.status, 0, `tsc failed:\n${res.stdout}${res.stderr}`);
}

test("tsc --noEmit accepts a dApp's use of the declared Msgs, queries and functions", () => {
  runTsc(path.join(here, "types/tsconfig.json")); // Node's resolution (NodeNext)
  runTsc(path.join(here, "types/tsconfig.bundler.json")); // a web app's (Vite: bundler, DOM)
});

test("every export of every entry point has a declaration", async () => {
  const entries = { "@balanceai/client": "../src/index.js", "@balanceai/client/gateway": "../src/gateway.js", "@balanceai/client/curation": "../src/curation.js" };
  let ts = "";
  let i = 0;
  for (const [name, file] of Object.entries(entries)) {
    const names = Object.keys(await import(file));
    assert.ok(names.length > 5, `${file} exports only ${names.length} names`);
    ts += `import * as m${i} from "${name}";\nexport const all${i} = [${names.map((n) => `m${i}.${n}`).join(", ")}];\n`;
    i++;
  }
  // Inside the package (for its self-reference by name), as usage.ts.
  const dir = fs.mkdtempSync(path.join(here, "types/.exports-"));
  try {
    fs.writeFileSync(path.join(dir, "exports.ts"), ts);
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.json", files: ["exports.ts"] }),
    );
    runTsc(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
