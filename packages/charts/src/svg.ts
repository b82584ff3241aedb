import { formatTick, linearTicks, logTicks } from "./ticks.js";

/** One line of a chart. */
export interface Series {
  name: string;
  /** Points (x, y); non-finite values (and non-positive ones on a log axis) are skipped. */
  points: readonly (readonly [number, number])[];
  /** Draw markers at the points. */
  markers?: boolean;
  /** Draw as steps: each value holds until the next point's x (period averages, tariffs). */
  step?: boolean;
}

/** A shaded band between a lower and an upper line (e.g. the range of prices in each period). */
export interface Band {
  name: string;
  /** Points (x, lower, upper); points with a non-finite value (or a non-positive one on a log axis) are skipped. */
  points: readonly (readonly [number, number, number])[];
  /** Draw as steps (each range holds until the next point's x). */
  step?: boolean;
}

/** A line chart. */
export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Shaded bands, drawn under the series, listed first in the legend. */
  bands?: readonly Band[];
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  /** Linear y axis: start at 0 (or below) whatever the data. */
  yFromZero?: boolean;
  /** Tick values of the x axis (e.g. every 3 hours of a day), instead of the automatic ones. */
  xTicks?: readonly number[];
  /** Linear y axis: room above the highest value (and below a negative lowest), as a fraction of the data's span. */
  headroom?: number;
  /** A horizontal reference line (e.g. a tolerance), drawn dashed. */
  hLine?: { y: number; label: string };
}

const COLORS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22",
];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Smallest and largest of `v` (a loop: a spread of a long series overflows the stack). */
function extent(v: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** A self-contained SVG line chart (axes, ticks, grid, legend); linear or logarithmic axes. */
export function lineChart(c: LineChart): string {
  const bands = c.bands ?? [];
  const longest = Math.max(0, ...c.series.map((s) => s.name.length), ...bands.map((b) => b.name.length));
  const legend = 52 + Math.ceil(6.6 * longest);
  const W = c.width ?? 540 + legend;
  const H = c.height ?? 440;
  const m = { left: 72, right: legend, top: 40, bottom: 56 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const ok = (v: number, log?: boolean) => Number.isFinite(v) && (!log || v > 0);
  const pts = c.series.map((s) => s.points.filter(([x, y]) => ok(x, c.logX) && ok(y, c.logY)));
  const bandPts = bands.map((b) => b.points.filter(([x, lo, hi]) => ok(x, c.logX) && ok(lo, c.logY) && ok(hi, c.logY)));
  const xs = pts
    .flat()
    .map((p) => p[0])
    .concat(bandPts.flat().map((p) => p[0]));
  const ys = pts
    .flat()
    .map((p) => p[1])
    .concat(bandPts.flat().flatMap((p) => [p[1], p[2]]));
  if (c.hLine && ok(c.hLine.y, c.logY)) ys.push(c.hLine.y);
  let [x0, x1] = xs.length ? extent(xs) : [0, 1];
  let [y0, y1] = ys.length ? extent(ys) : [0, 1];
  if (!c.logY && y0 > 0 && (y0 < 0.5 * y1 || c.yFromZero)) y0 = 0;
  if (x1 === x0) [x0, x1] = c.logX ? [x0 / 2, x1 * 2] : [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = c.logY ? [y0 / 2, y1 * 2] : [y0 - 1, y1 + 1];
  if (!c.logY && c.headroom && c.headroom > 0) {
    const span = y1 - y0;
    if (y1 > 0) y1 += c.headroom * span;
    if (y0 < 0) y0 -= c.headroom * span;
  }
  const xt = c.xTicks && c.xTicks.length >= 2 ? [...c.xTicks] : c.logX ? logTicks(x0, x1) : linearTicks(x0, x1);
  const yt = c.logY ? logTicks(y0, y1) : linearTicks(y0, y1);
  if (!c.logX) [x0, x1] = [Math.min(x0, xt[0]), Math.max(x1, xt[xt.length - 1])];
  if (!c.logY) [y0, y1] = [Math.min(y0, yt[0]), Math.max(y1, yt[yt.length - 1])];
  const tx = (v: number) => (c.logX ? Math.log10(v / x0) / Math.log10(x1 / x0) : (v - x0) / (x1 - x0));
  const ty = (v: number) => (c.logY ? Math.log10(v / y0) / Math.log10(y1 / y0) : (v - y0) / (y1 - y0));
  const X = (v: number) => (m.left + tx(v) * pw).toFixed(2);
  const Y = (v: number) => (m.top + (1 - ty(v)) * ph).toFixed(2);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="22" text-anchor="middle" font-size="15">${esc(c.title)}</text>`);
  for (const v of xt) {
    out.push(`<line x1="${X(v)}" y1="${m.top}" x2="${X(v)}" y2="${m.top + ph}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${X(v)}" y="${m.top + ph + 16}" text-anchor="middle">${formatTick(v)}</text>`);
  }
  for (const v of yt) {
    out.push(`<line x1="${m.left}" y1="${Y(v)}" x2="${m.left + pw}" y2="${Y(v)}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${m.left - 6}" y="${Y(v)}" text-anchor="end" dominant-baseline="middle">${formatTick(v)}</text>`,
    );
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(
    `<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`,
  );
  if (c.hLine && ok(c.hLine.y, c.logY)) {
    out.push(
      `<line x1="${m.left}" y1="${Y(c.hLine.y)}" x2="${m.left + pw}" y2="${Y(c.hLine.y)}" stroke="#555" stroke-dasharray="6 4"/>`,
    );
    out.push(
      `<text x="${m.left + pw - 4}" y="${Number(Y(c.hLine.y)) - 4}" text-anchor="end" fill="#555">${esc(c.hLine.label)}</text>`,
    );
  }
  bandPts.forEach((p, i) => {
    const color = COLORS[i % COLORS.length];
    if (p.length > 0) {
      const q = bands[i].step
        ? p.flatMap(([x, lo, hi], j) =>
            j > 0 ? [[x, p[j - 1][1], p[j - 1][2]] as const, [x, lo, hi] as const] : [[x, lo, hi] as const],
          )
        : p;
      const outline = [
        ...q.map(([x, , hi]) => `${X(x)},${Y(hi)}`),
        ...[...q].reverse().map(([x, lo]) => `${X(x)},${Y(lo)}`),
      ];
      out.push(
        `<polygon fill="${color}" fill-opacity="0.25" stroke="${color}" stroke-opacity="0.5" stroke-width="0.8" points="${outline.join(" ")}"/>`,
      );
    }
    const ly = m.top + 10 + i * 18;
    out.push(
      `<rect x="${m.left + pw + 14}" y="${ly - 6}" width="22" height="12" fill="${color}" fill-opacity="0.25" stroke="${color}" stroke-opacity="0.5"/>`,
    );
    out.push(`<text x="${m.left + pw + 42}" y="${ly}" dominant-baseline="middle">${esc(bands[i].name)}</text>`);
  });
  pts.forEach((p, i) => {
    const k = i + bands.length;
    const color = COLORS[k % COLORS.length];
    const drawn = c.series[i].step
      ? p.flatMap(([x, y], j) => (j > 0 ? [[x, p[j - 1][1]] as const, [x, y] as const] : [[x, y] as const]))
      : p;
    if (p.length > 1)
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${drawn.map(([x, y]) => `${X(x)},${Y(y)}`).join(" ")}"/>`,
      );
    if (c.series[i].markers || p.length === 1)
      for (const [x, y] of p) out.push(`<circle cx="${X(x)}" cy="${Y(y)}" r="3" fill="${color}"/>`);
    const ly = m.top + 10 + k * 18;
    out.push(
      `<line x1="${m.left + pw + 14}" y1="${ly}" x2="${m.left + pw + 36}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${m.left + pw + 42}" y="${ly}" dominant-baseline="middle">${esc(c.series[i].name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
