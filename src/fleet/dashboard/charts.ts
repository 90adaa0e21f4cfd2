import { html, trusted, type SafeHtml } from './html.js';

// Charts drawn on the server as SVG: no script, no chart library, nothing to load (the dashboard
// has no bundler; ecosystem-aesthetics.md §2.8 suggests uPlot, which a few hundred points do not need).

export interface TimePoint {
  readonly at: string;
  readonly value: number;
}

export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly unit: string;
  /** A dashed horizontal line, e.g. the brown-out threshold. */
  readonly reference?: { readonly value: number; readonly label: string };
  /** Points drawn as red marks (e.g. VBAT dips). */
  readonly marks?: readonly TimePoint[];
  readonly label: string;
}

function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

function shortDate(ms: number): string {
  return new Date(ms).toISOString().slice(5, 10);
}

export function lineChart(points: readonly TimePoint[], options: LineChartOptions): SafeHtml {
  const width = options.width ?? 760;
  const height = options.height ?? 220;
  const pad = { left: 52, right: 14, top: 12, bottom: 26 };
  const all = [...points, ...(options.marks ?? [])];
  if (all.length === 0) return html`<p class="empty">No ${options.label} in this window.</p>`;
  const times = all.map((point) => Date.parse(point.at));
  const values = [...all.map((point) => point.value), ...(options.reference === undefined ? [] : [options.reference.value])];
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const step = niceStep(Math.max(1, Math.max(...values) - Math.min(...values)), 4);
  const v0 = Math.floor(Math.min(...values) / step) * step - step / 2;
  const v1 = Math.ceil(Math.max(...values) / step) * step + step / 2;
  const x = (ms: number): number => pad.left + ((ms - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (value: number): number => pad.top + (1 - (value - v0) / (v1 - v0)) * (height - pad.top - pad.bottom);
  const parts: string[] = [];
  for (let value = Math.ceil(v0 / step) * step; value <= v1; value += step) {
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#eef1f5"/>`);
    parts.push(`<text x="${pad.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${Math.round(value)}</text>`);
  }
  const days = (t1 - t0) / 86_400_000;
  const tickEvery = Math.max(1, Math.ceil(days / 7)) * 86_400_000;
  for (let ms = Math.ceil(t0 / 86_400_000) * 86_400_000; ms <= t1; ms += tickEvery) parts.push(`<text x="${x(ms).toFixed(1)}" y="${height - 8}" text-anchor="middle">${shortDate(ms)}</text>`);
  if (options.reference !== undefined) {
    const ry = y(options.reference.value).toFixed(1);
    parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${ry}" y2="${ry}" stroke="#c23a3a" stroke-dasharray="5 4" stroke-width="1"/>`);
    parts.push(`<text x="${width - pad.right}" y="${(Number(ry) - 5).toFixed(1)}" text-anchor="end" style="fill:#c23a3a">${options.reference.label}</text>`);
  }
  if (points.length > 0) {
    const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(Date.parse(point.at)).toFixed(1)},${y(point.value).toFixed(1)}`).join('');
    parts.push(`<path d="${path}" fill="none" stroke="#3b6fe0" stroke-width="1.6" stroke-linejoin="round"/>`);
  }
  for (const mark of options.marks ?? []) parts.push(`<circle cx="${x(Date.parse(mark.at)).toFixed(1)}" cy="${y(mark.value).toFixed(1)}" r="3.2" fill="#c23a3a"/>`);
  // Only numbers and fixed labels go into `parts`; the label is escaped by `html`.
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.label}">${trusted(parts.join(''))}</svg>`;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown at the end of the bar, e.g. "6 of 10". */
  readonly note: string;
  readonly tone?: 'fail' | 'ok' | 'neutral';
}

const toneColour = { fail: '#c23a3a', ok: '#16835a', neutral: '#3b6fe0' } as const;

/** Horizontal bars, values 0…max, one row per bar; labels escaped. */
export function barChart(bars: readonly Bar[], options: { readonly max: number; readonly label: string; readonly width?: number; readonly left?: number; readonly format: (value: number) => string }): SafeHtml {
  if (bars.length === 0) return html`<p class="empty">Nothing to chart yet.</p>`;
  const width = options.width ?? 560;
  const row = 30;
  const left = options.left ?? 190;
  const right = 120;
  const height = bars.length * row + 6;
  const scale = (value: number): number => (options.max <= 0 ? 0 : (Math.min(value, options.max) / options.max) * (width - left - right));
  const rows = bars.map((bar, index) => {
    const y = index * row + 4;
    const w = Math.max(2, scale(bar.value));
    return html`<text x="${left - 10}" y="${y + 17}" text-anchor="end" style="fill:#17202e">${bar.label.length > 28 ? `${bar.label.slice(0, 27)}…` : bar.label}</text>
<rect x="${left}" y="${y + 5}" width="${(width - left - right).toFixed(1)}" height="16" rx="3" fill="#f0f2f6"/>
<rect x="${left}" y="${y + 5}" width="${w.toFixed(1)}" height="16" rx="3" fill="${toneColour[bar.tone ?? 'neutral']}"/>
<text x="${(left + w + 8).toFixed(1)}" y="${y + 17}">${options.format(bar.value)} · ${bar.note}</text>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.label}">${rows}</svg>`;
}

/** Vertical columns per day (e.g. CFUN toggles); days with none are left empty. */
export function dailyColumns(days: readonly { readonly day: string; readonly value: number }[], options: { readonly label: string; readonly width?: number; readonly height?: number; readonly limit?: number }): SafeHtml {
  if (days.length === 0) return html`<p class="empty">No ${options.label} in this window.</p>`;
  const width = options.width ?? 760;
  const height = options.height ?? 160;
  const pad = { left: 40, right: 10, top: 20, bottom: 24 };
  const first = Date.parse(`${days[0]?.day ?? ''}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]?.day ?? ''}T00:00:00Z`);
  const span = Math.max(1, Math.round((last - first) / 86_400_000) + 1);
  const max = Math.max(options.limit ?? 0, ...days.map((day) => day.value), 1);
  const slot = (width - pad.left - pad.right) / span;
  const y = (value: number): number => pad.top + (1 - value / max) * (height - pad.top - pad.bottom);
  const parts: string[] = [`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(0)}" y2="${y(0)}" stroke="#e3e7ee"/>`, `<text x="${pad.left - 6}" y="${y(max) + 4}" text-anchor="end">${max}</text>`, `<text x="${pad.left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`];
  for (const day of days) {
    const index = Math.round((Date.parse(`${day.day}T00:00:00Z`) - first) / 86_400_000);
    const over = options.limit !== undefined && day.value > options.limit;
    parts.push(`<rect x="${(pad.left + index * slot + slot * 0.15).toFixed(1)}" y="${y(day.value).toFixed(1)}" width="${Math.max(1, slot * 0.7).toFixed(1)}" height="${(y(0) - y(day.value)).toFixed(1)}" rx="1.5" fill="${over ? '#c23a3a' : '#3b6fe0'}"/>`);
  }
  if (options.limit !== undefined) parts.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(options.limit).toFixed(1)}" y2="${y(options.limit).toFixed(1)}" stroke="#c23a3a" stroke-dasharray="5 4"/><text x="${width - pad.right}" y="${(y(options.limit) - 5).toFixed(1)}" text-anchor="end" style="fill:#c23a3a">${options.limit}/day</text>`);
  parts.push(`<text x="${pad.left}" y="${height - 6}">${new Date(first).toISOString().slice(5, 10)}</text><text x="${width - pad.right}" y="${height - 6}" text-anchor="end">${new Date(last).toISOString().slice(5, 10)}</text>`);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.label}">${trusted(parts.join(''))}</svg>`;
}
