import { get, getAll } from "../api";
import { bai, group, mulDec, percent, ratio, short, when } from "../format";
import { Card, Page, Stat, Stats, Table, usePoll } from "../ui";

export async function loadNetwork(h: number) {
  const [block, info, validators, pool, supply, params] = await Promise.all([
    get(`/cosmos/base/tendermint/v1beta1/blocks/${h}`),
    get("/cosmos/base/tendermint/v1beta1/node_info"),
    getAll("/cosmos/staking/v1beta1/validators", "validators", h),
    get("/cosmos/staking/v1beta1/pool", h),
    get("/cosmos/bank/v1beta1/supply/by_denom?denom=ubai", h),
    get("/balanceai/emission/v1/params", h),
  ]);
  const state = await get("/balanceai/emission/v1/state", h);
  // Average block time over the last (up to) 20 blocks; block 1 carries the genesis time, so
  // it is left out.
  const back = Math.max(2, h - 20);
  let avgBlockSeconds: number | undefined;
  if (back < h) {
    try {
      const old = await get(`/cosmos/base/tendermint/v1beta1/blocks/${back}`);
      avgBlockSeconds = (new Date(block.block.header.time).getTime() - new Date(old.block.header.time).getTime()) / 1000 / (h - back);
    } catch {
      avgBlockSeconds = undefined; // pruned
    }
  }
  return { block, info, validators, pool: pool.pool, supply: supply.amount, params: params.params, state: state.state, avgBlockSeconds };
}

export function Network() {
  const p = usePoll(loadNetwork);
  const d = p.data;
  return (
    <Page id="network" title="Network" polled={p}>
      {d ? <NetworkBody d={d} /> : null}
    </Page>
  );
}

function NetworkBody({ d }: { d: Awaited<ReturnType<typeof loadNetwork>> }) {
  const bonded = d.validators.filter((v: any) => v.status === "BOND_STATUS_BONDED" && !v.jailed);
  const bondedTokens = BigInt(d.pool.bonded_tokens);
  const supply = BigInt(d.supply.amount);
  const stakingPerDay = mulDec(d.state.current_daily_emission, d.params.staking_share);
  const equal = d.params.validator_reward_mode === "VALIDATOR_REWARD_MODE_EQUAL";
  const perValidator = bonded.length ? stakingPerDay / BigInt(bonded.length) : 0n;
  const sorted = [...d.validators].sort((a: any, b: any) => (BigInt(b.tokens) > BigInt(a.tokens) ? 1 : BigInt(b.tokens) < BigInt(a.tokens) ? -1 : 0));
  return (
    <>
      <Stats>
        <Stat label="Chain" field="network.chain_id" raw={d.block.block.header.chain_id}>
          {d.block.block.header.chain_id}
        </Stat>
        <Stat label="Height" field="network.height" raw={d.block.block.header.height}>
          {group(d.block.block.header.height)}
        </Stat>
        <Stat label="Block time" field="network.block_time" raw={d.block.block.header.time} hint={d.avgBlockSeconds ? `${d.avgBlockSeconds.toFixed(2)} s average over the last blocks` : undefined}>
          {when(d.block.block.header.time)}
        </Stat>
        <Stat label="Validators (bonded)" field="network.bonded_validators" raw={bonded.length}>
          {bonded.length} <span class="muted">of {d.validators.length}</span>
        </Stat>
        <Stat label="Total staked" field="network.bonded_tokens" raw={d.pool.bonded_tokens}>
          {bai(d.pool.bonded_tokens, { decimals: 0 })}
        </Stat>
        <Stat label="Bonded ratio" field="network.bonded_ratio" raw={`${d.pool.bonded_tokens}/${d.supply.amount}`} hint={`of the ${bai(d.supply.amount, { decimals: 0 })} supply`}>
          {ratio(bondedTokens, supply)}
        </Stat>
      </Stats>
      <Card title="Validators" wide>
        <p class="muted">
          {equal ? (
            <>
              Rewards are paid equally: each validator that signed the previous block gets the same part of the staking share ({percent(d.params.staking_share)} of the
              emission, {bai(stakingPerDay, { decimals: 2 })} a day at the current rate), whatever its stake.
            </>
          ) : (
            <>Rewards are paid in proportion to voting power.</>
          )}
        </p>
        <Table head={["Validator", "Status", "Stake", "Power", "Commission", "Reward share"]} rows={sorted.length} testid="validators">
          {sorted.map((v: any) => {
            const active = v.status === "BOND_STATUS_BONDED" && !v.jailed;
            const power = BigInt(v.tokens);
            return (
              <tr data-validator={v.operator_address}>
                <td>
                  <b>{v.description?.moniker || "—"}</b>
                  <div class="mono small" title={v.operator_address}>
                    {short(v.operator_address)}
                  </div>
                </td>
                <td>{v.jailed ? <span class="badge bad">jailed</span> : <span class={`badge ${active ? "ok" : ""}`}>{v.status.replace("BOND_STATUS_", "").toLowerCase()}</span>}</td>
                <td class="num">{bai(v.tokens, { decimals: 0 })}</td>
                <td class="num">{active ? ratio(power, bondedTokens) : "—"}</td>
                <td class="num">{percent(v.commission.commission_rates.rate)}</td>
                <td class="num" data-field="network.equal_share">
                  {active && equal ? (
                    <>
                      1/{bonded.length} · {bai(perValidator, { decimals: 2 })}/day
                    </>
                  ) : active ? (
                    ratio(power, bondedTokens)
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
      </Card>
      <Card title="Node">
        <dl class="kv">
          <dt>Moniker</dt>
          <dd>{d.info.default_node_info?.moniker}</dd>
          <dt>Software</dt>
          <dd>
            {d.info.application_version?.app_name} {d.info.application_version?.version}
          </dd>
          <dt>CometBFT</dt>
          <dd>{d.info.default_node_info?.version}</dd>
        </dl>
      </Card>
    </>
  );
}
