import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

import { latestHeight } from "./api";

/** How often pages refresh their figures (ms). */
export const POLL_MS = 5000;

export interface Polled<T> {
  data?: T;
  height?: number;
  error?: string;
  loading: boolean;
  refresh: () => void;
}

/**
 * Loads a page's data at the latest height, then again every POLL_MS (while the tab is visible).
 * Every query of one load is made at the same height, so the figures a page shows are from one
 * block. A failed refresh keeps the last data and reports the error.
 */
export function usePoll<T>(load: (height: number) => Promise<T>, deps: unknown[] = [], ms = POLL_MS): Polled<T> {
  const [state, setState] = useState<{ data?: T; height?: number; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState((s) => ({ ...s, loading: true, ...(tick === 0 ? { data: undefined, height: undefined } : {}) }));
    const run = async () => {
      const mine = ++seq.current;
      try {
        const height = await latestHeight();
        const data = await load(height);
        if (!stopped && mine === seq.current) setState({ data, height, loading: false });
      } catch (e) {
        if (!stopped && mine === seq.current) setState((s) => ({ ...s, loading: false, error: (e as Error).message || String(e) }));
      }
      if (!stopped) timer = setTimeout(() => (document.hidden ? (timer = setTimeout(run, ms)) : run()), ms);
    };
    run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { ...state, refresh: () => setTick((t) => t + 1) };
}

/** A page: title, the height its figures come from, loading and error states. */
export function Page(props: { id: string; title: string; polled?: Polled<unknown>; children?: ComponentChildren; intro?: ComponentChildren }) {
  const p = props.polled;
  return (
    <section class="page" data-page={props.id} data-height={p?.height ?? ""} data-ready={p ? String(!!p.data) : "true"}>
      <header class="page-head">
        <h1>{props.title}</h1>
        {p && (
          <span class="height" title="every figure on this page is from this block">
            {p.height ? <>block <b data-testid="height">{p.height.toLocaleString("en-US")}</b></> : null}
            {p.loading ? <span class="spinner" aria-label="loading" /> : null}
          </span>
        )}
      </header>
      {props.intro ? <p class="intro">{props.intro}</p> : null}
      {p?.error ? <ErrorBox message={p.error} onRetry={p.refresh} /> : null}
      {p && !p.data && !p.error ? <Loading /> : null}
      {p && !p.data ? null : props.children}
    </section>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" /> Loading{props.what ? ` ${props.what}` : ""}…
    </div>
  );
}

export function ErrorBox(props: { message: string; onRetry?: () => void; title?: string }) {
  return (
    <div class="error" role="alert">
      <b>{props.title ?? "Could not load:"}</b> {props.message}
      {props.onRetry ? (
        <button type="button" class="link" onClick={props.onRetry}>
          retry
        </button>
      ) : null}
    </div>
  );
}

export function Card(props: { title?: ComponentChildren; children?: ComponentChildren; wide?: boolean; id?: string }) {
  return (
    <div class={`card${props.wide ? " wide" : ""}`} id={props.id}>
      {props.title ? <h2>{props.title}</h2> : null}
      {props.children}
    </div>
  );
}

/**
 * A figure: label and formatted value. field names it for tests and scripts; raw is the exact
 * value the REST API answered (data-raw), shown formatted.
 */
export function Stat(props: { label: ComponentChildren; field?: string; raw?: string | number | bigint; children: ComponentChildren; hint?: ComponentChildren }) {
  return (
    <div class="stat">
      <div class="label">{props.label}</div>
      <div class="value" data-field={props.field} data-raw={props.raw === undefined ? undefined : String(props.raw)}>
        {props.children}
      </div>
      {props.hint ? <div class="hint">{props.hint}</div> : null}
    </div>
  );
}

export function Stats(props: { children: ComponentChildren }) {
  return <div class="stats">{props.children}</div>;
}

/** A table that scrolls sideways on a phone. */
export function Table(props: { head: ComponentChildren[]; children: ComponentChildren; empty?: string; rows: number; testid?: string }) {
  return (
    <div class="table-wrap">
      <table data-testid={props.testid}>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows === 0 ? (
            <tr>
              <td class="empty" colSpan={props.head.length}>
                {props.empty ?? "None."}
              </td>
            </tr>
          ) : (
            props.children
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Seconds left until iso, updated every second. */
export function Countdown(props: { to: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.floor((new Date(props.to).getTime() - now) / 1000));
  const d = Math.floor(left / 86400);
  const h = Math.floor((left % 86400) / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return (
    <span class="countdown" data-field="countdown" data-raw={String(left)}>
      {d > 0 ? `${d} d ` : ""}
      {String(h).padStart(2, "0")}:{String(m).padStart(2, "0")}:{String(s).padStart(2, "0")}
    </span>
  );
}
