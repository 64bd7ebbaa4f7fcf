import { loadConfig } from "./config";

/** An error answered by the REST server, with its message. */
export class RestError extends Error {
  constructor(
    public readonly path: string,
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * GET a REST path (from the node that served the page). With height set, the answer is the
 * state at that height (the x-cosmos-block-height header), so that every figure of a page comes
 * from one block.
 */
export async function get<T = any>(path: string, height?: number | string): Promise<T> {
  return (await request<T>(path, height)).body;
}

/** GET a REST path: the answer's JSON body and its headers. */
async function request<T>(path: string, height?: number | string): Promise<{ body: T; headers: Headers }> {
  const { rest } = await loadConfig();
  const headers: Record<string, string> = {};
  if (height !== undefined && height !== "" && Number(height) > 0) headers["x-cosmos-block-height"] = String(height);
  let r: Response;
  try {
    r = await fetch(rest + path, { headers });
  } catch (e) {
    throw new RestError(path, 0, `the node's REST API is unreachable (${(e as Error).message})`);
  }
  const text = await r.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RestError(path, r.status, `${path}: ${r.status} ${text.slice(0, 200)}`);
  }
  if (!r.ok) throw new RestError(path, r.status, body?.message ? `${body.message}` : `${path}: HTTP ${r.status}`);
  return { body: body as T, headers: r.headers };
}

/** Like get, but a 404 / NotFound (code 5) is null instead of an error. */
export async function getOrNull<T = any>(path: string, height?: number | string): Promise<T | null> {
  try {
    return await get<T>(path, height);
  } catch (e) {
    if (e instanceof RestError && (e.status === 404 || /not found/i.test(e.message))) return null;
    throw e;
  }
}

/** POST JSON to a REST path. */
export async function post<T = any>(path: string, body: unknown): Promise<T> {
  const { rest } = await loadConfig();
  const r = await fetch(rest + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RestError(path, r.status, `${path}: ${r.status} ${text.slice(0, 200)}`);
  }
  if (!r.ok) throw new RestError(path, r.status, json?.message ?? `${path}: HTTP ${r.status}`);
  return json as T;
}

/**
 * The latest height whose state the node answers. CometBFT stores a block before the application
 * has executed and committed it, so for a moment the latest block is one ahead of the state, and
 * a query at its height is refused ("cannot query with height in the future"). The node names
 * the height of the state it answered from in the x-cosmos-block-height header; where that header
 * cannot be read (a REST server on another origin that does not expose it), the block before the
 * latest, whose state the application has always committed.
 */
export async function latestHeight(): Promise<number> {
  const { body, headers } = await request<any>("/cosmos/base/tendermint/v1beta1/blocks/latest");
  const block = Number(body.block.header.height);
  const state = Number(headers.get("x-cosmos-block-height"));
  if (Number.isSafeInteger(state) && state > 0 && state <= block) return state;
  return block > 1 ? block - 1 : block;
}

/** Every page of a paginated list (at most max items). */
export async function getAll<T = any>(path: string, field: string, height?: number, max = 1000): Promise<T[]> {
  const out: T[] = [];
  let key = "";
  for (;;) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await get(`${path}${sep}pagination.limit=200${key ? `&pagination.key=${encodeURIComponent(key)}` : ""}`, height);
    out.push(...(page[field] ?? []));
    key = page.pagination?.next_key ?? "";
    if (!key || out.length >= max) return out;
  }
}
