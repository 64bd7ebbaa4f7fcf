import { useState } from "preact/hooks";

import { get, getOrNull } from "../api";
import { ScoreChart } from "../charts";
import { bai, enumName, group, short, when } from "../format";
import { go, type Route } from "../route";
import { Card, Page, Stat, Stats, Table, usePoll } from "../ui";

const STATUSES = ["", "LISTING_STATUS_ACTIVE", "LISTING_STATUS_PAUSED", "LISTING_STATUS_RETIRING", "LISTING_STATUS_RETIRED", "LISTING_STATUS_SUSPENDED"];
const KINDS = ["", "LISTING_KIND_MODEL", "LISTING_KIND_AGENT"];
const FILTERS = ["task", "tag", "owner", "status", "kind"] as const;

export function Marketplace({ route }: { route: Route }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, route.query.get(f) ?? ""])) as Record<(typeof FILTERS)[number], string>;
  const key = FILTERS.map((f) => filters[f]).join("|");
  const p = usePoll(
    async (h) => {
      const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
      q.set("pagination.limit", "100");
      const [listings, totals] = await Promise.all([get(`/balanceai/marketplace/v1/listings?${q}`, h), get("/balanceai/marketplace/v1/totals", h)]);
      return { listings: listings.listings as any[], totals };
    },
    [key],
  );
  return (
    <Page id="marketplace" title="Marketplace" polled={p} intro="Models and agents registered on chain, with their collateral and access terms. Search by task, tag, owner, status or kind.">
      <SearchForm filters={filters} />
      {p.data ? (
        <>
          <Stats>
            <Stat label="Listings" field="marketplace.total_listings" raw={p.data.totals.total_listings}>
              {group(p.data.totals.total_listings)}
            </Stat>
            {p.data.totals.by_kind.map((k: any) => (
              <Stat label={enumName(k.kind, "LISTING_KIND_") + "s"} field={`marketplace.${k.kind}`} raw={k.count}>
                {group(k.count)}
              </Stat>
            ))}
            <Stat label="Collateral locked" field="marketplace.collateral_locked" raw={p.data.totals.collateral_locked.amount}>
              {bai(p.data.totals.collateral_locked.amount, { decimals: 0 })}
            </Stat>
          </Stats>
          <Card wide title={`Results (${p.data.listings.length})`}>
            <Table head={["#", "Name", "Kind", "Task", "Tags", "Status", "Collateral", "Access"]} rows={p.data.listings.length} empty="No listing matches." testid="listings">
              {p.data.listings.map((l) => (
                <tr data-listing={l.id}>
                  <td>
                    <a href={`#/listing/${l.id}`}>{l.id}</a>
                  </td>
                  <td>
                    <a href={`#/listing/${l.id}`}>
                      <b>{l.name}</b>
                    </a>
                    <div class="mono small">{short(l.owner)}</div>
                  </td>
                  <td>{enumName(l.kind, "LISTING_KIND_")}</td>
                  <td>
                    <a href={`#/marketplace?task=${encodeURIComponent(l.task)}`}>{l.task}</a>
                  </td>
                  <td>
                    {(l.tags ?? []).map((t: string) => (
                      <a class="tag" href={`#/marketplace?tag=${encodeURIComponent(t)}`}>
                        {t}
                      </a>
                    ))}
                  </td>
                  <td>
                    <StatusBadge status={l.status} />
                  </td>
                  <td class="num">{bai(l.collateral.amount, { decimals: 0 })}</td>
                  <td>{accessText(l.access)}</td>
                </tr>
              ))}
            </Table>
          </Card>
        </>
      ) : null}
    </Page>
  );
}

function SearchForm({ filters }: { filters: Record<string, string> }) {
  const [f, setF] = useState(filters);
  const submit = (e: Event) => {
    e.preventDefault();
    go("/marketplace", f);
  };
  const input = (name: string, label: string, placeholder: string) => (
    <label>
      {label}
      <input name={name} value={f[name]} placeholder={placeholder} onInput={(e) => setF({ ...f, [name]: (e.target as HTMLInputElement).value.trim() })} />
    </label>
  );
  return (
    <form class="search" onSubmit={submit} role="search">
      {input("task", "Task", "e.g. nlp")}
      {input("tag", "Tag", "e.g. llm")}
      {input("owner", "Owner", "bai1…")}
      <label>
        Status
        <select name="status" value={f.status} onChange={(e) => setF({ ...f, status: (e.target as HTMLSelectElement).value })}>
          {STATUSES.map((s) => (
            <option value={s}>{s ? enumName(s, "LISTING_STATUS_") : "any"}</option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select name="kind" value={f.kind} onChange={(e) => setF({ ...f, kind: (e.target as HTMLSelectElement).value })}>
          {KINDS.map((s) => (
            <option value={s}>{s ? enumName(s, "LISTING_KIND_") : "any"}</option>
          ))}
        </select>
      </label>
      <div class="buttons">
        <button type="submit">Search</button>
        <button type="button" class="secondary" onClick={() => (setF({ task: "", tag: "", owner: "", status: "", kind: "" }), go("/marketplace"))}>
          Clear
        </button>
      </div>
    </form>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const cls = status === "LISTING_STATUS_ACTIVE" ? "ok" : status === "LISTING_STATUS_SUSPENDED" ? "bad" : "";
  return <span class={`badge ${cls}`}>{enumName(status, "LISTING_STATUS_")}</span>;
}

function accessText(a: any): string {
  if (!a) return "—";
  const mode = enumName(a.mode, "ACCESS_MODE_");
  const stake = BigInt(a.min_stake ?? "0") > 0n ? `stake ≥ ${bai(a.min_stake, { decimals: 2 })}` : "no stake needed";
  const perStake = BigInt(a.min_stake ?? "0") > 0n ? ` per ${bai(a.min_stake, { decimals: 2 })} staked` : "";
  const quota = a.requests_per_day && a.requests_per_day !== "0" ? `${group(a.requests_per_day)} req/day${perStake}` : "unlimited requests";
  return `${mode}, ${stake}, ${quota}`;
}

/**
 * A listing's score over past epochs. The chain keeps only the current score, so the history is
 * read from the state at earlier heights (one sample per epoch length back, as far as the node
 * keeps state), deduplicated by epoch.
 */
async function scoreHistory(id: string, h: number, current: any): Promise<{ epoch: number; epochScore: number; curationScore: number }[]> {
  const points = new Map<number, { epoch: number; epochScore: number; curationScore: number }>();
  const add = (s: any) => {
    if (!s || !Number(s.epochs_scored ?? 0)) return;
    const e = Number(s.last_epoch);
    if (!points.has(e)) points.set(e, { epoch: e, epochScore: Number(s.last_epoch_score), curationScore: Number(s.curation_score) });
  };
  add(current);
  try {
    const [params, b0, b1] = await Promise.all([
      get("/balanceai/curation/v1/params", h),
      get(`/cosmos/base/tendermint/v1beta1/blocks/${h}`),
      get(`/cosmos/base/tendermint/v1beta1/blocks/${Math.max(1, h - 50)}`),
    ]);
    const epochSeconds = parseFloat(params.params.epoch_duration);
    const blockSeconds = Math.max(0.1, (new Date(b0.block.header.time).getTime() - new Date(b1.block.header.time).getTime()) / 1000 / Math.max(1, Math.min(50, h - 1)));
    const step = Math.max(1, Math.round(epochSeconds / blockSeconds));
    const heights: number[] = [];
    for (let k = 1; k <= 12 && h - k * step > 1; k++) heights.push(h - k * step);
    const old = await Promise.all(heights.map((x) => getOrNull(`/balanceai/curation/v1/scores/${id}`, x).catch(() => null)));
    old.forEach((o) => add(o?.score));
  } catch {
    // history is best effort (pruned nodes keep little state)
  }
  return [...points.values()].sort((a, b) => a.epoch - b.epoch);
}

export function ListingDetail({ id }: { id: string }) {
  // The id comes from the address bar: only a number is looked up (it is put into REST paths).
  const valid = /^\d{1,20}$/.test(id);
  const p = usePoll(
    async (h) => {
      if (!valid) throw new Error("not a listing id: a listing's address is #/listing/<number>");
      const { listing } = await get(`/balanceai/marketplace/v1/listings/${id}`, h);
      const [scores, usage, operators, components] = await Promise.all([
        getOrNull(`/balanceai/curation/v1/scores/${id}`, h),
        getOrNull(`/balanceai/access/v1/usage/${id}?pagination.limit=10&pagination.reverse=true`, h),
        getOrNull(`/balanceai/access/v1/operators/${id}`, h),
        Promise.all((listing.components ?? []).map((c: string) => getOrNull(`/balanceai/marketplace/v1/listings/${c}`, h))),
      ]);
      const history = await scoreHistory(id, h, scores?.score);
      return { listing, scores: scores?.score, usage, operators: operators?.operators ?? [], components: components.map((c: any) => c?.listing).filter(Boolean), history };
    },
    [id],
    15000,
  );
  const d = p.data;
  const l = d?.listing;
  return (
    <Page id="listing" title={l ? `${l.name} (#${l.id})` : valid ? `Listing #${id}` : "Listing"} polled={p}>
      {d && l ? (
        <>
          <p>
            <a href="#/marketplace">← all listings</a>
          </p>
          <Stats>
            <Stat label="Status" field="listing.status" raw={l.status}>
              <StatusBadge status={l.status} />
            </Stat>
            <Stat label="Kind" field="listing.kind" raw={l.kind}>
              {enumName(l.kind, "LISTING_KIND_")}
            </Stat>
            <Stat label="Collateral" field="listing.collateral" raw={l.collateral.amount}>
              {bai(l.collateral.amount)}
            </Stat>
            <Stat label="Curation score" field="listing.curation_score" raw={d.scores?.curation_score ?? ""}>
              {d.scores && Number(d.scores.epochs_scored) > 0 ? Number(d.scores.curation_score).toFixed(2) : "not scored yet"}
            </Stat>
            <Stat label="Requests served" field="listing.requests" raw={d.usage?.totals?.requests ?? "0"} hint={`${group(d.usage?.totals?.units ?? "0")} units`}>
              {group(d.usage?.totals?.requests ?? "0")}
            </Stat>
          </Stats>
          <div class="grid2">
            <Card title="Listing">
              <dl class="kv">
                <dt>Owner</dt>
                <dd class="mono">
                  <a href={`#/marketplace?owner=${l.owner}`}>{l.owner}</a>
                </dd>
                <dt>Task</dt>
                <dd>
                  <a href={`#/marketplace?task=${encodeURIComponent(l.task)}`}>{l.task}</a>
                </dd>
                <dt>Tags</dt>
                <dd>
                  {(l.tags ?? []).map((t: string) => (
                    <a class="tag" href={`#/marketplace?tag=${encodeURIComponent(t)}`}>
                      {t}
                    </a>
                  ))}
                </dd>
                <dt>Description</dt>
                <dd>{l.description || "—"}</dd>
                <dt>Endpoint</dt>
                <dd class="mono">{l.endpoint}</dd>
                <dt>Version</dt>
                <dd>{l.version}</dd>
                <dt>Metadata</dt>
                <dd class="mono">{l.metadata_cid || "—"}</dd>
                <dt>Registered</dt>
                <dd>{when(l.created_at)}</dd>
                <dt>Updated</dt>
                <dd>{when(l.updated_at)}</dd>
              </dl>
            </Card>
            <Card title="Access terms">
              <dl class="kv">
                <dt>Mode</dt>
                <dd>{enumName(l.access?.mode, "ACCESS_MODE_")}</dd>
                <dt>Minimum stake</dt>
                <dd data-field="listing.min_stake" data-raw={l.access?.min_stake}>
                  {bai(l.access?.min_stake ?? "0")}
                </dd>
                <dt>Requests a day</dt>
                <dd>
                  {!l.access?.requests_per_day || l.access.requests_per_day === "0"
                    ? "unlimited"
                    : BigInt(l.access?.min_stake ?? "0") > 0n
                      ? `${group(l.access.requests_per_day)} per ${bai(l.access.min_stake, { decimals: 2 })} staked`
                      : `${group(l.access.requests_per_day)} per account`}
                </dd>
                <dt>Operators</dt>
                <dd class="mono">{d.operators.length ? d.operators.join(", ") : "the owner"}</dd>
              </dl>
              <p>
                <a href={`#/account?check=${l.id}`}>Check my access →</a>
              </p>
            </Card>
          </div>
          <Card title="Scores over epochs" wide>
            <ScoreChart points={d.history} />
          </Card>
          {l.kind === "LISTING_KIND_AGENT" ? (
            <Card title="Component models" wide>
              <Table head={["#", "Name", "Task", "Status"]} rows={d.components.length} empty="This agent composes no listing." testid="components">
                {d.components.map((c: any) => (
                  <tr>
                    <td>
                      <a href={`#/listing/${c.id}`}>{c.id}</a>
                    </td>
                    <td>{c.name}</td>
                    <td>{c.task}</td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                  </tr>
                ))}
              </Table>
            </Card>
          ) : null}
          <Card title="Recent usage receipts" wide>
            <Table head={["Receipt", "User", "Operator", "Units", "Time"]} rows={(d.usage?.receipts ?? []).length} empty="No usage recorded." testid="receipts">
              {(d.usage?.receipts ?? []).map((r: any) => (
                <tr>
                  <td>{r.id}</td>
                  <td class="mono">{short(r.user)}</td>
                  <td class="mono">{short(r.operator)}</td>
                  <td class="num">{group(r.units)}</td>
                  <td>{when(r.time)}</td>
                </tr>
              ))}
            </Table>
          </Card>
        </>
      ) : null}
    </Page>
  );
}
