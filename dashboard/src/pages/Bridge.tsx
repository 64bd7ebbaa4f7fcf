import { get, getOrNull } from "../api";
import { bai, enumName, group, short, when } from "../format";
import { Card, Page, Stat, Stats, Table, usePoll } from "../ui";

/** Recent inbound claims: the claim ids of the latest attestation transactions, then each claim. */
async function recentClaims(h: number): Promise<any[]> {
  const q = encodeURIComponent("message.action='/balanceai.bridge.v1.MsgAttestInbound'");
  const txs = await getOrNull(`/cosmos/tx/v1beta1/txs?query=${q}&order_by=ORDER_BY_DESC&limit=20&page=1`);
  const ids: string[] = [];
  for (const r of txs?.tx_responses ?? []) {
    for (const ev of r.events ?? []) {
      for (const a of ev.attributes ?? []) {
        if (a.key === "claim_id") {
          const id = String(a.value).replace(/"/g, "");
          if (!ids.includes(id)) ids.push(id);
        }
      }
    }
  }
  const claims = await Promise.all(ids.slice(0, 20).map((id) => getOrNull(`/balanceai/bridge/v1/inbound/${id}`, h)));
  return claims.map((c) => c?.claim).filter(Boolean);
}

export async function loadBridge(h: number) {
  const [params, totals, outbound, claims] = await Promise.all([
    get("/balanceai/bridge/v1/params", h),
    get("/balanceai/bridge/v1/totals", h),
    get("/balanceai/bridge/v1/outbound?pagination.limit=20&pagination.reverse=true", h),
    recentClaims(h).catch(() => [] as any[]),
  ]);
  return { params: params.params, paused: !!params.paused, totals, outbound: outbound.transfers as any[], claims };
}

export function Bridge() {
  const p = usePoll(loadBridge);
  const d = p.data;
  return (
    <Page id="bridge" title="Bridge" polled={p} intro="BAI locked here and minted as wBAI on Ethereum, and wBAI burned there and released here.">
      {d ? (
        <>
          <Stats>
            <Stat label="State" field="bridge.paused" raw={String(d.paused)}>
              {d.paused ? <span class="badge bad">paused</span> : d.params.enabled ? <span class="badge ok">running</span> : <span class="badge">disabled</span>}
            </Stat>
            <Stat label="Locked (all time)" field="bridge.total_locked" raw={d.totals.totals.total_locked}>
              {bai(d.totals.totals.total_locked)}
            </Stat>
            <Stat label="Released (all time)" field="bridge.total_released" raw={d.totals.totals.total_released}>
              {bai(d.totals.totals.total_released)}
            </Stat>
            <Stat label="Refunded" field="bridge.total_refunded" raw={d.totals.totals.total_refunded}>
              {bai(d.totals.totals.total_refunded)}
            </Stat>
            <Stat label="wBAI outstanding" field="bridge.wbai_outstanding" raw={d.totals.totals.wbai_outstanding}>
              {bai(d.totals.totals.wbai_outstanding)}
            </Stat>
            <Stat label="Held by the bridge" field="bridge.locked_balance" raw={d.totals.totals.locked_balance}>
              {bai(d.totals.totals.locked_balance)}
            </Stat>
            <Stat label="Out today" raw={d.totals.outbound_today} field="bridge.outbound_today" hint={`limit ${bai(d.params.daily_outbound_limit, { decimals: 0 })}`}>
              {bai(d.totals.outbound_today)}
            </Stat>
            <Stat label="In today" raw={d.totals.inbound_today} field="bridge.inbound_today" hint={`limit ${bai(d.params.daily_inbound_limit, { decimals: 0 })}`}>
              {bai(d.totals.inbound_today)}
            </Stat>
          </Stats>
          <Card title="Settings">
            <dl class="kv">
              <dt>Ethereum chain</dt>
              <dd>{d.params.ethereum_chain_id}</dd>
              <dt>wBAI contract</dt>
              <dd class="mono">{d.params.token_contract || "—"}</dd>
              <dt>Attesters</dt>
              <dd>
                {d.params.attesters.length} (threshold {d.params.attestation_threshold})
              </dd>
              <dt>Transfer size</dt>
              <dd>
                {bai(d.params.min_transfer, { decimals: 2 })} – {bai(d.params.max_transfer, { decimals: 0 })}
              </dd>
            </dl>
          </Card>
          <Card title="Recent transfers to Ethereum" wide>
            <Table head={["Nonce", "Sender", "Recipient", "Amount", "Status", "Created"]} rows={d.outbound.length} empty="No transfer yet." testid="outbound">
              {d.outbound.map((t: any) => (
                <tr>
                  <td>{t.nonce}</td>
                  <td class="mono">{short(t.sender)}</td>
                  <td class="mono">{short(t.eth_recipient)}</td>
                  <td class="num">{bai(t.amount.amount)}</td>
                  <td>{enumName(t.status, "OUTBOUND_STATUS_")}</td>
                  <td>{when(t.created_at)}</td>
                </tr>
              ))}
            </Table>
          </Card>
          <Card title="Recent claims from Ethereum" wide>
            <Table head={["Claim", "Ethereum tx", "Recipient", "Amount", "Status", "Created"]} rows={d.claims.length} empty="No claim yet." testid="claims">
              {d.claims.map((c: any) => (
                <tr>
                  <td class="mono">{short(c.claim_id)}</td>
                  <td class="mono">{short(c.eth_tx_hash)}</td>
                  <td class="mono">{short(c.recipient)}</td>
                  <td class="num">{c.amount ? bai(c.amount.amount) : "—"}</td>
                  <td>{enumName(c.status, "CLAIM_STATUS_")}</td>
                  <td>{when(c.created_at)}</td>
                </tr>
              ))}
            </Table>
          </Card>
          <p class="muted small">Pages of {group(20)} most recent; amounts in BAI.</p>
        </>
      ) : null}
    </Page>
  );
}
