import { get, getAll } from "../api";
import { bai, enumName, group, short, when } from "../format";
import { Card, Countdown, Page, Stat, Stats, Table, usePoll } from "../ui";

export async function loadCuration(h: number) {
  const [epoch, params, curators, flags, grants, funds, gparams] = await Promise.all([
    get("/balanceai/curation/v1/epoch", h),
    get("/balanceai/curation/v1/params", h),
    getAll("/balanceai/curation/v1/curators", "curators", h, 200),
    getAll("/balanceai/curation/v1/flags?status=FLAG_STATUS_OPEN", "flags", h, 200),
    get("/balanceai/grants/v1/grants?pagination.limit=50&pagination.reverse=true", h),
    get("/balanceai/grants/v1/funds", h),
    get("/balanceai/grants/v1/params", h),
  ]);
  return { epoch, params: params.params, curators, flags, grants: grants.grants as any[], funds: funds.funds as any[], gparams: gparams.params };
}

export function Curation() {
  const p = usePoll(loadCuration);
  const d = p.data;
  return (
    <Page id="curation" title="Curation & grants" polled={p}>
      {d ? <Body d={d} /> : null}
    </Page>
  );
}

function Body({ d }: { d: Awaited<ReturnType<typeof loadCuration>> }) {
  const e = d.epoch;
  const commit = e.phase === "EPOCH_PHASE_COMMIT";
  const totalBond = d.curators.reduce((a: bigint, c: any) => a + BigInt(c.bond), 0n);
  return (
    <>
      <Stats>
        <Stat label="Epoch" field="curation.epoch" raw={e.number}>
          {group(e.number)}
        </Stat>
        <Stat label="Phase" field="curation.phase" raw={e.phase}>
          <span class="badge ok">{enumName(e.phase, "EPOCH_PHASE_")}</span>
        </Stat>
        <Stat label={commit ? "Reveal opens in" : "Epoch ends in"} hint={when(commit ? e.reveal_start : e.end)}>
          <Countdown to={commit ? e.reveal_start : e.end} />
        </Stat>
        <Stat label="Curators" field="curation.curators" raw={d.curators.length}>
          {d.curators.length}
        </Stat>
        <Stat label="Bonded by curators" field="curation.total_bond" raw={totalBond.toString()} hint={`minimum bond ${bai(d.params.min_curator_bond.amount, { decimals: 0 })}`}>
          {bai(totalBond, { decimals: 0 })}
        </Stat>
        <Stat label="Open flags" field="curation.open_flags" raw={d.flags.length}>
          {d.flags.length}
        </Stat>
      </Stats>

      <Card title="Grant funds" wide>
        <Table head={["Fund", "Balance", "Free", "Reserved for grants", "Unclaimed rewards", "Rewarded (all time)", "Granted (all time)"]} rows={d.funds.length} testid="funds">
          {d.funds.map((f: any) => {
            const k = enumName(f.fund, "GRANT_FUND_");
            return (
              <tr data-fund={f.fund}>
                <td>
                  <b>{k}</b>
                  <div class="mono small">{short(f.address)}</div>
                </td>
                <td class="num" data-field={`fund.${k}.balance`} data-raw={f.balance.amount}>
                  {bai(f.balance.amount)}
                </td>
                <td class="num" data-field={`fund.${k}.free`} data-raw={f.free}>
                  {bai(f.free)}
                </td>
                <td class="num" data-field={`fund.${k}.reserved`} data-raw={f.reserved}>
                  {bai(f.reserved)}
                </td>
                <td class="num" data-field={`fund.${k}.unclaimed`} data-raw={f.unclaimed}>
                  {bai(f.unclaimed)}
                </td>
                <td class="num" data-field={`fund.${k}.total_rewarded`} data-raw={f.total_rewarded}>
                  {bai(f.total_rewarded)}
                </td>
                <td class="num" data-field={`fund.${k}.total_granted`} data-raw={f.total_granted}>
                  {bai(f.total_granted)}
                </td>
              </tr>
            );
          })}
        </Table>
      </Card>

      <Card title="Curators" wide>
        <Table head={["Curator", "Bond", "Unbonding", "Reputation", "Epochs revealed", "Missed", "Slashed"]} rows={d.curators.length} empty="No curator has bonded yet." testid="curators">
          {d.curators.map((c: any) => (
            <tr>
              <td class="mono" title={c.address}>
                {short(c.address)}
              </td>
              <td class="num">{bai(c.bond, { decimals: 2 })}</td>
              <td class="num">{bai(c.unbonding, { decimals: 2 })}</td>
              <td class="num">{Number(c.reputation).toFixed(3)}</td>
              <td class="num">{c.epochs_revealed}</td>
              <td class="num">{c.epochs_missed}</td>
              <td class="num">{bai(c.slashed, { decimals: 2 })}</td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card title="Open flags" wide>
        <Table head={["Flag", "Listing", "Flagger", "Reason", "Deposit", "Voting ends", "Uphold / reject weight"]} rows={d.flags.length} empty="No open flag." testid="flags">
          {d.flags.map((f: any) => (
            <tr>
              <td>{f.id}</td>
              <td>
                <a href={`#/listing/${f.listing_id}`}>#{f.listing_id}</a>
              </td>
              <td class="mono">{short(f.flagger)}</td>
              <td>{f.reason}</td>
              <td class="num">{bai(f.deposit.amount, { decimals: 2 })}</td>
              <td>{when(f.voting_end)}</td>
              <td class="num">
                {group(f.uphold_weight)} / {group(f.reject_weight)}
              </td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card title="Grant proposals" wide>
        {d.grants.length === 0 ? <p class="muted">No grant proposal yet.</p> : null}
        {d.grants.map((g: any) => (
          <details class="grant" data-grant={g.id}>
            <summary>
              <b>#{g.id}</b> {g.title} <span class="badge">{enumName(g.status, "GRANT_STATUS_")}</span> <span class="muted">{enumName(g.fund, "GRANT_FUND_")} fund</span>
            </summary>
            <dl class="kv">
              <dt>Applicant</dt>
              <dd class="mono">{g.applicant}</dd>
              <dt>Listing</dt>
              <dd>{g.listing_id && g.listing_id !== "0" ? <a href={`#/listing/${g.listing_id}`}>#{g.listing_id}</a> : "—"}</dd>
              <dt>Paid</dt>
              <dd>{bai(g.paid)}</dd>
              <dt>Voting ends</dt>
              <dd>{when(g.voting_end)}</dd>
              <dt>Tally (yes / no / abstain / veto)</dt>
              <dd>
                {group(g.tally?.yes ?? "0")} / {group(g.tally?.no ?? "0")} / {group(g.tally?.abstain ?? "0")} / {group(g.tally?.no_with_veto ?? "0")}
              </dd>
            </dl>
            <Table head={["Milestone", "Amount", "Status", "Review ends"]} rows={(g.milestones ?? []).length}>
              {(g.milestones ?? []).map((m: any, i: number) => (
                <tr>
                  <td>
                    {i + 1}. {m.description}
                  </td>
                  <td class="num">{bai(m.amount.amount, { decimals: 2 })}</td>
                  <td>{enumName(m.status, "MILESTONE_STATUS_")}</td>
                  <td>{when(m.review_end)}</td>
                </tr>
              ))}
            </Table>
          </details>
        ))}
      </Card>
    </>
  );
}
