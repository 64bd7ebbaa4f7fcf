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
  return body as T;
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

/** The latest block height the REST server knows. */
export async function latestHeight(): Promise<number> {
  const b = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
  return Number(b.block.header.height);
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
