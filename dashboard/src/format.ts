// Exact formatting of on-chain amounts: integers are BigInt, decimals are the chain's
// 18-decimal fixed point strings. Nothing goes through floating point except chart positions.

export const DECIMALS = 6;
const DEC_PRECISION = 18n;

/** ubai (an integer string) as BAI with up to 6 decimals and thousands separators. */
export function bai(ubai: string | bigint | undefined | null, opts: { decimals?: number } = {}): string {
  if (ubai === undefined || ubai === null || ubai === "") return "—";
  let v = typeof ubai === "bigint" ? ubai : BigInt(String(ubai).split(".")[0]);
  const neg = v < 0n;
  if (neg) v = -v;
  const whole = v / 10n ** BigInt(DECIMALS);
  let frac = (v % 10n ** BigInt(DECIMALS)).toString().padStart(DECIMALS, "0");
  const keep = opts.decimals ?? DECIMALS;
  frac = frac.slice(0, keep).replace(/0+$/, "");
  return `${neg ? "-" : ""}${group(whole.toString())}${frac ? "." + frac : ""} BAI`;
}

/** A number with thousands separators. */
export function group(s: string | number | bigint): string {
  const str = String(s);
  const [i, f] = str.split(".");
  const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return f !== undefined ? `${g}.${f}` : g;
}

/** Parses a cosmos.Dec string ("0.440000000000000000") to its 18-decimal atomics. */
export function decAtomics(dec: string): bigint {
  const [i, f = ""] = dec.split(".");
  const neg = i.startsWith("-");
  const v = BigInt(i.replace("-", "") || "0") * 10n ** DEC_PRECISION + BigInt((f + "0".repeat(18)).slice(0, 18) || "0");
  return neg ? -v : v;
}

/** floor(amount × dec) for an integer amount and a cosmos.Dec. */
export function mulDec(amount: string | bigint, dec: string): bigint {
  return (BigInt(amount) * decAtomics(dec)) / 10n ** DEC_PRECISION;
}

/** A cosmos.Dec as a percentage with up to 2 decimals. */
export function percent(dec: string): string {
  const a = decAtomics(dec) * 100n;
  const hundredths = a / 10n ** 16n;
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${whole}${frac ? "." + frac : ""} %`;
}

/** num / den as a percentage with 2 decimals (integers). */
export function ratio(num: bigint, den: bigint): string {
  if (den === 0n) return "—";
  const bp = (num * 10000n) / den;
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, "0")} %`;
}

/** A Dec string rounded to the given decimals ("1411.289975576…" → "1,411.29"). */
export function decRound(dec: string, decimals = 2): string {
  const a = decAtomics(dec);
  const scale = 10n ** (DEC_PRECISION - BigInt(decimals));
  const r = (a + scale / 2n) / scale;
  const s = r.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals);
  return decimals ? `${group(whole)}.${frac}` : group(whole);
}

/** A duration string from a count of seconds: "3 d 4 h 5 min" (at most 3 units). */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds <= 0) return "now";
  const parts: string[] = [];
  const units: [number, string][] = [
    [365 * 86400, "y"],
    [86400, "d"],
    [3600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  let s = Math.floor(seconds);
  for (const [n, u] of units) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)} ${u}`);
      s %= n;
    }
    if (parts.length === 3) break;
  }
  return parts.join(" ");
}

/** A date in the user's locale with the UTC time. */
export function when(iso: string | undefined | null): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971) return "—";
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/**
 * Short form of an address or hash. A bech32 address keeps its prefix and the first 6 characters
 * of its data as well as the last 6 (bai1qypq7d…x8hm2k, baivaloper1xy3k9w…4gq7mh): the last 6 are
 * its checksum alone, which anyone can grind keys to match, so they cannot tell two validators
 * apart. Anything else: the first 10 and last 6 characters.
 */
export function short(addr: string | undefined): string {
  if (!addr) return "—";
  const bech32 = /^([a-z]+1)([02-9ac-hj-np-z]{20,})$/.exec(addr);
  if (bech32) return `${bech32[1]}${bech32[2].slice(0, 6)}…${addr.slice(-6)}`;
  return addr.length > 20 ? `${addr.slice(0, 10)}…${addr.slice(-6)}` : addr;
}

/** An enum name without its prefix: LISTING_STATUS_ACTIVE → active. */
export function enumName(v: string | undefined, prefix: string): string {
  if (!v) return "—";
  return v.replace(prefix, "").toLowerCase().replace(/_/g, " ");
}

/** ubai of a decimal BAI string ("1.5" → "1500000"); throws on a malformed or non-positive amount. */
export function toUbai(baiAmount: string): string {
  const s = baiAmount.trim();
  if (!/^\d+(\.\d{1,6})?$/.test(s)) throw new Error(`"${baiAmount}" is not an amount of BAI (up to 6 decimals)`);
  const [w, f = ""] = s.split(".");
  const v = BigInt(w) * 1_000_000n + BigInt((f + "000000").slice(0, 6));
  return v.toString();
}


/** The unsigned 64-bit integer a decimal string names; throws for anything else (a sign, hex, 2^64 or more). */
export function uint64(text: string, what: string): bigint {
  const s = text.trim();
  if (!/^\d{1,20}$/.test(s) || BigInt(s) >= 1n << 64n) throw new Error(`${what}: "${text}" is not a whole number below 2^64`);
  return BigInt(s);
}
