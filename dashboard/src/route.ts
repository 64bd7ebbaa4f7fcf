import { useEffect, useState } from "preact/hooks";

/** The hash route: "#/marketplace?task=nlp" → { path: "/marketplace", query }. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

function parse(): Route {
  const h = window.location.hash.replace(/^#/, "") || "/network";
  const [path, q = ""] = h.split("?");
  return { path, query: new URLSearchParams(q) };
}

export function useRoute(): Route {
  const [r, setR] = useState(parse());
  useEffect(() => {
    const on = () => setR(parse());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return r;
}

export function go(path: string, query?: Record<string, string>) {
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "")).toString() : "";
  window.location.hash = `#${path}${q ? "?" + q : ""}`;
}
