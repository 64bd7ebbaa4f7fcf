import { Component, render, type ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

import { loadConfig, type DashboardConfig } from "./config";
import { Account } from "./pages/Account";
import { Bridge } from "./pages/Bridge";
import { Curation } from "./pages/Curation";
import { ListingDetail, Marketplace } from "./pages/Marketplace";
import { Network } from "./pages/Network";
import { Supply } from "./pages/Supply";
import { useRoute } from "./route";
import { short } from "./format";
import type { Wallet } from "./wallet";
import "./style.css";

const NAV: [string, string][] = [
  ["/network", "Network"],
  ["/supply", "Supply & emission"],
  ["/marketplace", "Marketplace"],
  ["/curation", "Curation & grants"],
  ["/bridge", "Bridge"],
  ["/account", "My account"],
];

function App() {
  const route = useRoute();
  const [wallet, setWallet] = useState<Wallet>();
  const [cfg, setCfg] = useState<DashboardConfig>();
  const [menu, setMenu] = useState(false);
  useEffect(() => {
    loadConfig().then(setCfg, () => undefined);
  }, []);
  useEffect(() => {
    // A wallet that switches accounts asks the page to connect again.
    const on = () => setWallet(undefined);
    window.addEventListener("keplr_keystorechange", on);
    return () => window.removeEventListener("keplr_keystorechange", on);
  }, []);
  useEffect(() => setMenu(false), [route.path]);
  const section = "/" + (route.path.split("/")[1] ?? "");
  let page;
  if (route.path.startsWith("/listing/")) page = <ListingDetail id={route.path.split("/")[2]} />;
  else if (section === "/supply") page = <Supply />;
  else if (section === "/marketplace") page = <Marketplace route={route} />;
  else if (section === "/curation") page = <Curation />;
  else if (section === "/bridge") page = <Bridge />;
  else if (section === "/account") page = <Account route={route} wallet={wallet} setWallet={setWallet} />;
  else page = <Network />;
  const active = route.path.startsWith("/listing/") ? "/marketplace" : section;
  return (
    <div class="app">
      <header class="top">
        <a class="brand" href="#/network">
          <span class="logo">◆</span> BAI Dashboard
        </a>
        <span class="chain" data-testid="chain-id">
          {cfg?.chainId ?? ""}
        </span>
        <button type="button" class="menu-button" aria-label="menu" aria-expanded={menu} onClick={() => setMenu(!menu)}>
          ☰
        </button>
        <nav class={menu ? "open" : ""}>
          {NAV.map(([path, label]) => (
            <a href={`#${path}`} class={active === path ? "active" : ""} data-nav={path.slice(1)}>
              {label}
            </a>
          ))}
        </nav>
        {wallet ? (
          <a class="wallet" href="#/account" title={wallet.address}>
            {short(wallet.address)}
          </a>
        ) : null}
      </header>
      <main>
        <PageBoundary key={route.path}>{page}</PageBoundary>
      </main>
      <footer>
        Figures from the node's REST API{cfg ? ` (${cfg.rest})` : ""}, refreshed every few seconds. Amounts in BAI (1 BAI = 1,000,000 ubai).
      </footer>
    </div>
  );
}

render(<App />, document.getElementById("app")!);

/**
 * A page that throws while rendering (chain data of a shape it does not expect) shows what went
 * wrong in place of the page, not a blank screen; the header and the other pages keep working.
 */
class PageBoundary extends Component<{ children: ComponentChildren }, { error?: Error }> {
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section class="page">
        <div class="card error" role="alert" data-testid="page-error">
          This page could not be shown: {error.message}. <a href="#/network">Network</a>
        </div>
      </section>
    );
  }
}
