// Where the dashboard finds its chain. The node that serves the dashboard answers
// ./config.json with the chain id and the RPC address as the browser reaches it; REST is the
// origin the page was served from. Without config.json (a static copy, `npm run dev`) the
// chain id comes from the node's REST node_info.
export interface DashboardConfig {
  chainId: string;
  rest: string;
  rpc: string;
  denom: string;
  gasPrice: string;
}

let cached: Promise<DashboardConfig> | undefined;

export function loadConfig(): Promise<DashboardConfig> {
  cached ??= (async () => {
    const origin = window.location.origin;
    let json: Partial<DashboardConfig> = {};
    try {
      const r = await fetch(new URL("config.json", window.location.href).toString(), { cache: "no-store" });
      if (r.ok && (r.headers.get("content-type") ?? "").includes("json")) json = await r.json();
    } catch {
      // no config.json: fall back to the origin
    }
    const rest = (json.rest || origin).replace(/\/$/, "");
    let chainId = json.chainId ?? "";
    if (!chainId) {
      const r = await fetch(`${rest}/cosmos/base/tendermint/v1beta1/node_info`);
      if (r.ok) chainId = (await r.json()).default_node_info?.network ?? "";
    }
    return {
      chainId,
      rest,
      rpc: (json.rpc || `${window.location.protocol}//${window.location.hostname}:26657`).replace(/\/$/, ""),
      denom: json.denom || "ubai",
      gasPrice: json.gasPrice || "0.0025ubai",
    };
  })();
  return cached;
}
