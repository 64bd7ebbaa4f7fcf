// Loading the chain's .proto files from disk with protobufjs's parser (Node only): what
// `npm run build` turns into the bundled descriptors, and what loadRoot({ dirs }) reads.
//
// No Node built-in is imported: they are reached through process.getBuiltinModule when a
// function here is called, so a browser bundle of the package carries this file without
// pulling in fs.

// A Node built-in module, reached without an import statement so that bundlers for the browser
// see none (process.getBuiltinModule: Node >= 20.16).
function nodeBuiltin(name) {
  const get = globalThis.process?.getBuiltinModule;
  if (typeof get !== "function") {
    throw new Error(
      `reading .proto files needs Node.js >= 20.16 (${name}); elsewhere use the bundled descriptors: loadRoot()`,
    );
  }
  return get.call(globalThis.process, name);
}

export const envProtoPath = () => globalThis.process?.env?.BALANCEAI_PROTO_PATH;

/**
 * The folders .proto imports are resolved in when loading from disk (Node only):
 * $BALANCEAI_PROTO_PATH (colon-separated) or this repository's proto/ and third_party/proto/.
 * The first one holds the chain's own protos.
 */
export function protoPath() {
  const path = nodeBuiltin("node:path");
  const env = envProtoPath();
  if (env) return env.split(path.delimiter).filter(Boolean);
  const here = path.dirname(nodeBuiltin("node:url").fileURLToPath(import.meta.url));
  const repoRoot = path.resolve(here, "../../..");
  return [path.join(repoRoot, "proto"), path.join(repoRoot, "third_party/proto")];
}

// Third-party files loaded besides ours: gov v1 MsgSubmitProposal carries our MsgUpdateParams.
export const EXTRA_PROTO_FILES = ["cosmos/gov/v1/tx.proto"];

function findProtos(fs, path, dir, rel = "") {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...findProtos(fs, path, dir, r));
    else if (e.name.endsWith(".proto")) out.push(r.split(path.sep).join("/"));
  }
  return out.sort();
}

// loadProtoFiles reads every .proto under dirs[0]/balanceai (plus what they import and
// EXTRA_PROTO_FILES) with protobufjs's parser, keeping proto field names. Node only.
export function loadProtoFiles(dirs, parseOptions = {}) {
  const fs = nodeBuiltin("node:fs");
  const path = nodeBuiltin("node:path");
  const load = nodeBuiltin("node:module").createRequire(import.meta.url);
  // The full protobufjs build (with the .proto parser) shares its classes with protobufjs/light.
  const full = load("protobufjs");
  // google/protobuf/descriptor.proto (for the option extensions) ships with protobufjs.
  const pbjsDir = path.dirname(load.resolve("protobufjs/package.json"));
  const root = new full.Root();
  root.resolvePath = (_origin, target) => {
    for (const d of [...dirs, pbjsDir]) {
      const p = path.join(d, target);
      if (fs.existsSync(p)) return p;
    }
    return target; // google/protobuf/*: bundled with protobufjs
  };
  const ours = findProtos(fs, path, path.join(dirs[0], "balanceai")).map((f) => `balanceai/${f}`);
  if (ours.length === 0) throw new Error(`no .proto files under ${dirs[0]}/balanceai`);
  root.loadSync([...ours, ...EXTRA_PROTO_FILES], { ...parseOptions, keepCase: true });
  root.resolveAll();
  return root;
}

