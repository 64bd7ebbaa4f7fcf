import { get } from "../api";
import { ScheduleChart, SplitBar } from "../charts";
import { bai, decRound, duration, enumName, mulDec, percent, ratio, when } from "../format";
import { Card, Page, Stat, Stats, Table, usePoll } from "../ui";

export async function loadSupply(h: number) {
  const [supply, state, schedule, params] = await Promise.all([
    get("/balanceai/emission/v1/supply", h),
    get("/balanceai/emission/v1/state", h),
    get("/balanceai/emission/v1/schedule", h),
    get("/balanceai/emission/v1/params", h),
  ]);
  return { supply, state, schedule: schedule.eras as any[], params: params.params };
}

const SOURCES: Record<string, string> = {
  fees: "Transaction fees",
  listing_registration_fees: "Listing registration fees",
  listing_slashes: "Listing slashes",
  validator_slashes: "Validator slashes",
  governance_deposits: "Governance deposits",
};

export function Supply() {
  const p = usePoll(loadSupply);
  const d = p.data;
  return (
    <Page id="supply" title="Supply & emission" polled={p}>
      {d ? <SupplyBody d={d} /> : null}
    </Page>
  );
}

function SupplyBody({ d }: { d: Awaited<ReturnType<typeof loadSupply>> }) {
  const s = d.supply;
  const st = d.state.state;
  const daily = st.current_daily_emission as string;
  const parts = [
    { key: "staking", label: "Validators & delegators", share: d.params.staking_share, cls: "c1" },
    { key: "models_fund", label: "Models grants fund", share: d.params.models_fund_share, cls: "c2" },
    { key: "agents_fund", label: "Agents grants fund", share: d.params.agents_fund_share, cls: "c3" },
    { key: "development", label: "Network development fund (community pool)", share: d.params.development_share, cls: "c4" },
  ].map((x) => ({ ...x, value: mulDec(daily, x.share) }));
  // The development part takes the rounding dust, as on chain.
  const rounded = parts.slice(0, 3).reduce((a, x) => a + x.value, 0n);
  parts[3].value = BigInt(daily) - rounded;
  const toHalving = BigInt(st.next_halving_at) - BigInt(s.issued);
  return (
    <>
      <Stats>
        <Stat label="Issued" field="supply.issued" raw={s.issued} hint={`${ratio(BigInt(s.issued), BigInt(s.max_supply))} of the cap`}>
          {bai(s.issued)}
        </Stat>
        <Stat label="Circulating" field="supply.circulating" raw={s.circulating}>
          {bai(s.circulating)}
        </Stat>
        <Stat label="Burned" field="supply.burned" raw={s.burned}>
          {bai(s.burned)}
        </Stat>
        <Stat label="Max supply (cap)" field="supply.max_supply" raw={s.max_supply}>
          {bai(s.max_supply, { decimals: 0 })}
        </Stat>
        <Stat label="Genesis supply" field="supply.genesis_supply" raw={s.genesis_supply}>
          {bai(s.genesis_supply)}
        </Stat>
        <Stat label="Minted by emission" field="supply.minted" raw={s.minted}>
          {bai(s.minted)}
        </Stat>
        <Stat label="Remaining to mint" field="supply.remaining" raw={s.remaining}>
          {bai(s.remaining)}
        </Stat>
      </Stats>
      <div class="meter" role="img" aria-label="issued against the cap">
        <span class="fill" style={{ width: percentOf(s.issued, s.max_supply) }} />
        <span class="burn" style={{ width: percentOf(s.burned, s.max_supply) }} />
      </div>

      <Card title="Emission">
        <Stats>
          <Stat label="Era" field="emission.era" raw={st.era}>
            {st.era}
          </Stat>
          <Stat label="Daily rate" field="emission.daily" raw={daily} hint={`${ratio(BigInt(daily), BigInt(d.params.daily_emission))} of the base rate`}>
            {bai(daily, { decimals: 2 })}/day
          </Stat>
          <Stat label="Next halving at issued" field="emission.next_halving_at" raw={st.next_halving_at} hint={`${bai(toHalving > 0n ? toHalving : 0n, { decimals: 0 })} to go`}>
            {bai(st.next_halving_at, { decimals: 0 })}
          </Stat>
          <Stat label="Estimated halving date" field="emission.estimated_next_halving_time" raw={d.state.estimated_next_halving_time ?? ""} hint={`in about ${duration(Number(d.state.seconds_to_next_halving))}`}>
            {when(d.state.estimated_next_halving_time)}
          </Stat>
        </Stats>
      </Card>

      <Card title="Each day's emission, split">
        <SplitBar parts={parts.map((x) => ({ label: x.label, value: x.value, cls: x.cls }))} />
        <Table head={["Recipient", "Share", "Per day"]} rows={parts.length} testid="split">
          {parts.map((x) => (
            <tr>
              <td>
                <span class={`key ${x.cls}`} /> {x.label}
              </td>
              <td class="num" data-field={`split.${x.key}.share`} data-raw={x.share}>
                {percent(x.share)}
              </td>
              <td class="num" data-field={`split.${x.key}.daily`} data-raw={x.value.toString()}>
                {bai(x.value)}
              </td>
            </tr>
          ))}
        </Table>
        <p class="muted small">
          Of the fees paid, {percent(d.params.fee_burn_share)} are burned; validators are paid in {enumName(d.params.validator_reward_mode, "VALIDATOR_REWARD_MODE_")} mode.
        </p>
      </Card>

      <Card title="Burned, by source">
        <Table head={["Source", "Burned"]} rows={(s.burned_by_source ?? []).length} testid="burns">
          {(s.burned_by_source ?? []).map((b: any) => (
            <tr>
              <td>{SOURCES[b.source] ?? b.source}</td>
              <td class="num" data-field={`burned.${b.source}`} data-raw={b.amount}>
                {bai(b.amount)}
              </td>
            </tr>
          ))}
        </Table>
      </Card>

      <Card title="Emission schedule" wide>
        <ScheduleChart eras={d.schedule} maxSupply={s.max_supply} />
        <details>
          <summary>Every era ({d.schedule.length})</summary>
          <Table head={["Era", "From issued", "To issued", "Daily rate", "Lasts"]} rows={d.schedule.length} testid="eras">
            {d.schedule.map((e: any) => (
              <tr data-era-row={e.era}>
                <td>{e.era}</td>
                <td class="num">{bai(e.start_issued, { decimals: 0 })}</td>
                <td class="num">{bai(e.end_issued, { decimals: 0 })}</td>
                <td class="num">{bai(e.daily_emission, { decimals: 2 })}</td>
                <td class="num">{decRound(e.duration_days, 1)} days</td>
              </tr>
            ))}
          </Table>
        </details>
      </Card>
    </>
  );
}

/** part / whole as a CSS percentage with two decimals ("0%" when whole is 0). */
function percentOf(part: string, whole: string): string {
  const w = BigInt(whole);
  return w > 0n ? `${Number((BigInt(part) * 10000n) / w) / 100}%` : "0%";
}
