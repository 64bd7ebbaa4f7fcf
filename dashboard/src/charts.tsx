// Hand-drawn SVG charts: the emission schedule and a listing's scores over epochs.
import { decAtomics } from "./format";

export interface Era {
  era: number;
  start_issued: string;
  end_issued: string;
  daily_emission: string;
  duration_days: string;
  daily_emission_exact?: string;
}

const W = 720;
const H = 300;
const PAD = { l: 64, r: 16, t: 16, b: 36 };

function toNumber(units: string): number {
  return Number(BigInt(units)) / 1e6; // BAI, for positions only
}

function decToNumber(dec: string): number {
  return Number(decAtomics(dec) / 10n ** 12n) / 1e6;
}

/**
 * The whole schedule from the current era to the cap: issued (BAI) over time (years from now),
 * one segment per era (data-era), with a dashed boundary at each halving.
 */
export function ScheduleChart(props: { eras: Era[]; maxSupply: string }) {
  const eras = props.eras;
  let t = 0;
  const segs = eras.map((e) => {
    const days = decToNumber(e.duration_days);
    const s = { era: e, t0: t, t1: t + days / 365.25, y0: toNumber(e.start_issued), y1: toNumber(e.end_issued) };
    t = s.t1;
    return s;
  });
  const tMax = Math.max(t, 1);
  const yMax = toNumber(props.maxSupply);
  const yMin = segs.length ? Math.min(segs[0].y0, yMax) : 0;
  const x = (v: number) => PAD.l + (v / tMax) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - ((v - yMin) / Math.max(yMax - yMin, 1)) * (H - PAD.t - PAD.b);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => yMin + f * (yMax - yMin));
  const xTicks = niceTicks(tMax, 6);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Emission schedule: issued BAI over time, one segment per era" data-testid="schedule-chart">
        {yTicks.map((v) => (
          <g class="grid">
            <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} />
            <text x={PAD.l - 6} y={y(v) + 4} text-anchor="end">
              {(v / 1e6).toFixed(2)} M
            </text>
          </g>
        ))}
        {xTicks.map((v) => (
          <text class="axis" x={x(v)} y={H - PAD.b + 16} text-anchor="middle">
            +{v} y
          </text>
        ))}
        <text class="axis" x={W - PAD.r} y={H - 4} text-anchor="end">
          years from now
        </text>
        {segs.map((s, i) =>
          i === 0 ? null : <line class="boundary" x1={x(s.t0)} x2={x(s.t0)} y1={PAD.t} y2={H - PAD.b} data-boundary={s.era.era} />,
        )}
        {segs.map((s) => (
          <line
            class={`era era-${s.era.era % 2}`}
            data-era={s.era.era}
            x1={x(s.t0)}
            x2={x(s.t1)}
            y1={y(s.y0)}
            y2={y(s.y1)}
          >
            <title>
              era {s.era.era}: {s.era.start_issued} → {s.era.end_issued} ubai at {s.era.daily_emission} ubai/day, {s.era.duration_days} days
            </title>
          </line>
        ))}
        <line class="cap" x1={PAD.l} x2={W - PAD.r} y1={y(yMax)} y2={y(yMax)} />
      </svg>
      <figcaption>
        Issued BAI from now to the 21 M cap: {eras.length} eras, each a segment at its own daily rate; dashed lines are the halvings.
      </figcaption>
    </figure>
  );
}

function niceTicks(max: number, n: number): number[] {
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

/** A listing's scores (0-100) over epochs: the epoch score and the curation score (EMA). */
export function ScoreChart(props: { points: { epoch: number; epochScore: number; curationScore: number }[] }) {
  const pts = props.points;
  if (pts.length === 0) return <p class="muted">No scored epochs yet.</p>;
  const w = 480;
  const h = 200;
  const e0 = pts[0].epoch;
  const e1 = Math.max(pts[pts.length - 1].epoch, e0 + 1);
  const x = (e: number) => 40 + ((e - e0) / (e1 - e0)) * (w - 56);
  const y = (v: number) => h - 28 - (v / 100) * (h - 44);
  const path = (f: (p: (typeof pts)[0]) => number) => pts.map((p, i) => `${i ? "L" : "M"}${x(p.epoch).toFixed(1)},${y(f(p)).toFixed(1)}`).join(" ");
  return (
    <figure class="chart small">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label="Scores over epochs" data-testid="score-chart">
        {[0, 50, 100].map((v) => (
          <g class="grid">
            <line x1={40} x2={w - 16} y1={y(v)} y2={y(v)} />
            <text x={34} y={y(v) + 4} text-anchor="end">
              {v}
            </text>
          </g>
        ))}
        <path class="series epoch" d={path((p) => p.epochScore)} />
        <path class="series ema" d={path((p) => p.curationScore)} />
        {pts.map((p) => (
          <circle class="pt" cx={x(p.epoch)} cy={y(p.epochScore)} r={3} data-epoch={p.epoch}>
            <title>
              epoch {p.epoch}: score {p.epochScore}, curation score {p.curationScore.toFixed(2)}
            </title>
          </circle>
        ))}
        <text class="axis" x={w - 16} y={h - 6} text-anchor="end">
          epoch {e0} – {e1}
        </text>
      </svg>
      <figcaption>
        <span class="key epoch" /> epoch score <span class="key ema" /> curation score (EMA)
      </figcaption>
    </figure>
  );
}

/** A horizontal bar split in parts (shares of a whole). */
export function SplitBar(props: { parts: { label: string; value: bigint; cls: string }[] }) {
  const total = props.parts.reduce((a, p) => a + p.value, 0n);
  return (
    <div class="splitbar" role="img" aria-label="split">
      {props.parts.map((p) => (
        <span class={`part ${p.cls}`} style={{ width: total > 0n ? `${Number((p.value * 10000n) / total) / 100}%` : "0" }} title={p.label} />
      ))}
    </div>
  );
}
