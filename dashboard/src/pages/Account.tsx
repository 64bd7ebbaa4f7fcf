import { useState } from "preact/hooks";

import { get, getAll } from "../api";
import { bai, group, short, toUbai, uint64 } from "../format";
import type { Route } from "../route";
import { Card, ErrorBox, Stat, Stats, Table, usePoll } from "../ui";
import type { TxResult, Wallet } from "../wallet";

// The wallet code (CosmJS, the BalanceAI descriptors) is loaded when first needed.
const connect = async () => (await import("../wallet")).connect();
const signAndBroadcast: typeof import("../wallet").signAndBroadcast = async (...args) => (await import("../wallet")).signAndBroadcast(...args);

export function Account(props: { route: Route; wallet?: Wallet; setWallet: (w?: Wallet) => void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<TxResult[]>([]);
  const w = props.wallet;
  const doConnect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.setWallet(await connect());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const onResult = (r: TxResult) => setResults((rs) => [r, ...rs].slice(0, 10));
  return (
    <section class="page" data-page="account" data-ready="true">
      <header class="page-head">
        <h1>My account</h1>
      </header>
      {!w ? (
        <Card>
          <p>Connect a Keplr-compatible wallet to see your balances, delegations and rewards, stake, register a listing and claim grant rewards. The wallet signs every transaction; the dashboard never sees your keys.</p>
          <button type="button" onClick={doConnect} disabled={busy} data-testid="connect">
            {busy ? "Connecting…" : "Connect wallet"}
          </button>
          {error ? <ErrorBox title="Failed:" message={error} /> : null}
        </Card>
      ) : (
        <Connected wallet={w} route={props.route} onResult={onResult} results={results} disconnect={() => props.setWallet(undefined)} />
      )}
    </section>
  );
}

function Connected(props: { wallet: Wallet; route: Route; onResult: (r: TxResult) => void; results: TxResult[]; disconnect: () => void }) {
  const w = props.wallet;
  const p = usePoll(
    async (h) => {
      const [balances, delegations, rewards, grantRewards, validators] = await Promise.all([
        get(`/cosmos/bank/v1beta1/balances/${w.address}`, h),
        get(`/cosmos/staking/v1beta1/delegations/${w.address}`, h),
        get(`/cosmos/distribution/v1beta1/delegators/${w.address}/rewards`, h),
        get(`/balanceai/grants/v1/rewards/${w.address}`, h),
        getAll("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED", "validators", h),
      ]);
      return { balances: balances.balances as any[], delegations: delegations.delegation_responses as any[], rewards, grantRewards, validators };
    },
    [w.address],
  );
  const d = p.data;
  const ubai = d?.balances.find((b) => b.denom === "ubai")?.amount ?? "0";
  const totalRewards = d?.rewards.total?.find((c: any) => c.denom === "ubai")?.amount ?? "0";
  const done = (r: TxResult) => {
    props.onResult(r);
    p.refresh();
  };
  return (
    <div data-height={p.height ?? ""}>
      <Card>
        <div class="row">
          <div>
            <div class="label">Connected {w.name ? `(${w.name})` : ""}</div>
            <div class="mono" data-testid="address">
              {w.address}
            </div>
          </div>
          <button type="button" class="secondary" onClick={props.disconnect}>
            Disconnect
          </button>
        </div>
      </Card>
      {p.error ? <ErrorBox message={p.error} onRetry={p.refresh} /> : null}
      {d ? (
        <>
          <Stats>
            <Stat label="Balance" field="account.balance" raw={ubai}>
              {bai(ubai)}
            </Stat>
            <Stat label="Staked" field="account.staked" raw={d.delegations.reduce((a: bigint, x: any) => a + BigInt(x.balance.amount), 0n).toString()}>
              {bai(d.delegations.reduce((a: bigint, x: any) => a + BigInt(x.balance.amount), 0n))}
            </Stat>
            <Stat label="Staking rewards" field="account.rewards" raw={totalRewards.split(".")[0]}>
              {bai(totalRewards.split(".")[0])}
            </Stat>
            <Stat label="Grant rewards to claim" field="account.grant_rewards" raw={d.grantRewards.total?.amount ?? "0"}>
              {bai(d.grantRewards.total?.amount ?? "0")}
            </Stat>
          </Stats>
          <Card title="Delegations" wide>
            <Table head={["Validator", "Staked", "Rewards"]} rows={d.delegations.length} empty="No delegation yet." testid="delegations">
              {d.delegations.map((x: any) => {
                const v = d.validators.find((v: any) => v.operator_address === x.delegation.validator_address);
                const r = d.rewards.rewards?.find((r: any) => r.validator_address === x.delegation.validator_address);
                return (
                  <tr data-delegation={x.delegation.validator_address}>
                    <td>
                      <b>{v?.description?.moniker ?? ""}</b> <span class="mono small" title={x.delegation.validator_address}>{short(x.delegation.validator_address)}</span>
                    </td>
                    <td class="num" data-raw={x.balance.amount}>
                      {bai(x.balance.amount)}
                    </td>
                    <td class="num">{bai((r?.reward?.find((c: any) => c.denom === "ubai")?.amount ?? "0").split(".")[0])}</td>
                  </tr>
                );
              })}
            </Table>
          </Card>
          <Stake wallet={w} validators={d.validators} onDone={done} />
          <div class="grid2">
            <CheckAccess wallet={w} initial={props.route.query.get("check") ?? ""} />
            <ClaimRewards wallet={w} amount={d.grantRewards.total?.amount ?? "0"} onDone={done} />
          </div>
          <RegisterListing wallet={w} onDone={done} />
        </>
      ) : null}
      <Card title="Transactions" wide id="tx-results">
        <Table head={["What", "Result", "Height", "Gas", "Hash"]} rows={props.results.length} empty="No transaction sent from this page yet." testid="tx-results">
          {props.results.map((r) => (
            <tr data-tx={r.hash} data-code={r.code} data-pending={r.pending ? "true" : undefined}>
              <td>{r.what}</td>
              <td>
                {r.code !== 0 ? (
                  <span class="badge bad" title={r.rawLog}>
                    refused ({r.code}): {r.rawLog}
                  </span>
                ) : r.pending ? (
                  <span class="badge warn" title={r.rawLog}>
                    not yet in a block
                  </span>
                ) : (
                  <span class="badge ok">ok</span>
                )}
              </td>
              <td>{r.height ?? "—"}</td>
              <td class="num">{r.gasUsed ? `${group(r.gasUsed)} / ${group(r.gasWanted ?? "")}` : "—"}</td>
              <td class="mono small">
                <a href={`../cosmos/tx/v1beta1/txs/${r.hash}`} target="_blank" rel="noreferrer">
                  {short(r.hash)}
                </a>
              </td>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}

function useSubmit(onDone: (r: TxResult) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (f: () => Promise<TxResult>) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await f();
      onDone(r);
      if (r.code !== 0) setError(`refused (code ${r.code}): ${r.rawLog}`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Stake to several validators in one transaction: one MsgDelegate per amount filled in. */
function Stake(props: { wallet: Wallet; validators: any[]; onDone: (r: TxResult) => void }) {
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const s = useSubmit(props.onDone);
  // Only validators still shown: one that left the list since its amount was typed is not staked to.
  const chosen = Object.entries(amounts).filter(([val, a]) => a.trim() !== "" && props.validators.some((v) => v.operator_address === val));
  const submit = (e: Event) => {
    e.preventDefault();
    s.run(async () => {
      if (chosen.length === 0) throw new Error("enter an amount for at least one validator");
      const msgs = chosen.map(([val, a]) => ({
        typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
        value: { delegatorAddress: props.wallet.address, validatorAddress: val, amount: { denom: "ubai", amount: toUbai(a) } },
      }));
      const r = await signAndBroadcast(props.wallet, `stake to ${msgs.length} validator${msgs.length > 1 ? "s" : ""}`, msgs);
      if (r.code === 0 && !r.pending) setAmounts({});
      return r;
    });
  };
  return (
    <Card title="Stake (nominate several validators at once)" wide>
      <form onSubmit={submit} data-testid="stake-form">
        <Table head={["Validator", "Stake", "Amount (BAI)"]} rows={props.validators.length}>
          {props.validators.map((v) => (
            <tr>
              <td>
                <b>{v.description?.moniker}</b> <span class="mono small" title={v.operator_address}>{short(v.operator_address)}</span>
              </td>
              <td class="num">{bai(v.tokens, { decimals: 0 })}</td>
              <td>
                <input
                  inputMode="decimal"
                  placeholder="0"
                  aria-label={`amount to stake to ${v.description?.moniker}`}
                  data-validator={v.operator_address}
                  value={amounts[v.operator_address] ?? ""}
                  onInput={(e) => setAmounts({ ...amounts, [v.operator_address]: (e.target as HTMLInputElement).value })}
                />
              </td>
            </tr>
          ))}
        </Table>
        <button type="submit" disabled={s.busy || chosen.length === 0} data-testid="stake-submit">
          {s.busy ? "Waiting for the wallet and the chain…" : `Stake to ${chosen.length || "the chosen"} validator${chosen.length === 1 ? "" : "s"} in one transaction`}
        </button>
        {s.error ? <ErrorBox title="Not sent:" message={s.error} /> : null}
      </form>
    </Card>
  );
}

function CheckAccess(props: { wallet: Wallet; initial: string }) {
  const [id, setId] = useState(props.initial);
  const [res, setRes] = useState<any>();
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setRes(undefined);
    try {
      if (!/^\d+$/.test(id.trim())) throw new Error("enter a listing number");
      setRes(await get(`/balanceai/access/v1/check/${id.trim()}/${props.wallet.address}`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Card title="Check access to a listing">
      <form onSubmit={submit} class="inline" data-testid="check-form">
        <input value={id} placeholder="listing #" inputMode="numeric" onInput={(e) => setId((e.target as HTMLInputElement).value)} aria-label="listing number" />
        <button type="submit">Check</button>
      </form>
      {error ? <ErrorBox title="Failed:" message={error} /> : null}
      {res ? (
        <dl class="kv" data-testid="check-result" data-allowed={String(res.allowed)}>
          <dt>Allowed</dt>
          <dd>{res.allowed ? <span class="badge ok">yes</span> : <span class="badge bad">no: {res.reason}</span>}</dd>
          <dt>Your stake</dt>
          <dd>{bai(res.stake)}</dd>
          <dt>Required</dt>
          <dd>{bai(res.required_stake)}</dd>
          <dt>Quota today</dt>
          <dd>{res.unlimited ? "unlimited" : `${group(res.used_today)} of ${group(res.quota)} used`}</dd>
        </dl>
      ) : null}
    </Card>
  );
}

function ClaimRewards(props: { wallet: Wallet; amount: string; onDone: (r: TxResult) => void }) {
  const s = useSubmit(props.onDone);
  return (
    <Card title="Grant rewards">
      <p>
        Claimable: <b>{bai(props.amount)}</b>
      </p>
      <button
        type="button"
        disabled={s.busy || BigInt(props.amount) === 0n}
        data-testid="claim"
        onClick={() => s.run(() => signAndBroadcast(props.wallet, "claim grant rewards", [{ typeUrl: "/balanceai.grants.v1.MsgClaimRewards", value: { owner: props.wallet.address } }]))}
      >
        {s.busy ? "Claiming…" : "Claim grant rewards"}
      </button>
      {s.error ? <ErrorBox title="Not sent:" message={s.error} /> : null}
    </Card>
  );
}

function RegisterListing(props: { wallet: Wallet; onDone: (r: TxResult) => void }) {
  const [f, setF] = useState({
    kind: "LISTING_KIND_MODEL",
    name: "",
    description: "",
    task: "",
    tags: "",
    endpoint: "https://",
    metadataCid: "",
    version: "1.0.0",
    collateral: "1000",
    minStake: "0",
    requestsPerDay: "100",
    mode: "ACCESS_MODE_PUBLIC",
    components: "",
  });
  const params = usePoll(async (h) => (await get("/balanceai/marketplace/v1/params", h)).params, [], 60000);
  const s = useSubmit(props.onDone);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    s.run(async () => {
      const msg = {
        typeUrl: "/balanceai.marketplace.v1.MsgRegisterListing",
        value: {
          owner: props.wallet.address,
          kind: f.kind,
          name: f.name.trim(),
          description: f.description.trim(),
          task: f.task.trim(),
          tags: f.tags
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
          endpoint: f.endpoint.trim(),
          metadataCid: f.metadataCid.trim(),
          version: f.version.trim(),
          collateral: { denom: "ubai", amount: toUbai(f.collateral) },
          access: { minStake: toUbai(f.minStake || "0"), requestsPerDay: uint64(f.requestsPerDay || "0", "requests per day"), mode: f.mode },
          components: f.components
            .split(",")
            .map((c) => c.trim())
            .filter(Boolean)
            .map((c) => uint64(c, "component listing id")),
        },
      };
      return signAndBroadcast(props.wallet, `register listing "${msg.value.name}"`, [msg]);
    });
  };
  const fee = params.data?.registration_fee;
  return (
    <Card title="Register a listing" wide>
      <form class="form" onSubmit={submit} data-testid="register-form">
        <label>
          Kind
          <select name="kind" value={f.kind} onChange={set("kind")}>
            <option value="LISTING_KIND_MODEL">model</option>
            <option value="LISTING_KIND_AGENT">agent</option>
          </select>
        </label>
        <label>
          Name
          <input name="name" required maxLength={64} value={f.name} onInput={set("name")} />
        </label>
        <label>
          Task
          <input name="task" required value={f.task} onInput={set("task")} placeholder="e.g. nlp" />
        </label>
        <label>
          Tags (comma-separated)
          <input name="tags" value={f.tags} onInput={set("tags")} placeholder="llm, summarisation" />
        </label>
        <label class="full">
          Description
          <textarea name="description" maxLength={2048} value={f.description} onInput={set("description")} />
        </label>
        <label>
          Endpoint (https)
          <input name="endpoint" required value={f.endpoint} onInput={set("endpoint")} />
        </label>
        <label>
          Metadata CID
          <input name="metadataCid" required value={f.metadataCid} onInput={set("metadataCid")} placeholder="bafy…" />
        </label>
        <label>
          Version
          <input name="version" required value={f.version} onInput={set("version")} />
        </label>
        <label>
          Collateral (BAI)
          <input name="collateral" required inputMode="decimal" value={f.collateral} onInput={set("collateral")} />
        </label>
        <label>
          Minimum stake of users (BAI)
          <input name="minStake" inputMode="decimal" value={f.minStake} onInput={set("minStake")} />
        </label>
        <label>
          Requests a day (0: unlimited)
          <input name="requestsPerDay" inputMode="numeric" value={f.requestsPerDay} onInput={set("requestsPerDay")} />
        </label>
        <label>
          Access
          <select name="mode" value={f.mode} onChange={set("mode")}>
            <option value="ACCESS_MODE_PUBLIC">public</option>
            <option value="ACCESS_MODE_ALLOWLIST">allowlist</option>
          </select>
        </label>
        {f.kind === "LISTING_KIND_AGENT" ? (
          <label>
            Component listings (ids, comma-separated)
            <input name="components" value={f.components} onInput={set("components")} />
          </label>
        ) : null}
        <p class="full muted small">
          {params.data
            ? `Minimum collateral ${bai(params.data.min_model_collateral.amount, { decimals: 0 })} for a model, ${bai(params.data.min_agent_collateral.amount, { decimals: 0 })} for an agent; registration fee ${fee ? bai(fee.amount) : "—"} (burned).`
            : ""}
        </p>
        <div class="full">
          <button type="submit" disabled={s.busy} data-testid="register-submit">
            {s.busy ? "Waiting for the wallet and the chain…" : "Register"}
          </button>
        </div>
        {s.error ? <ErrorBox title="Not sent:" message={s.error} /> : null}
      </form>
    </Card>
  );
}

