/** CSV beside each figure: helpers for specs' `csv(data)` and the generic fallback from traces. */
import type { PlotSpec } from './registry.ts';

/** RFC 4180 field: quoted when it holds a comma, quote or newline. Numbers at full precision. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : String(v)) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV table: header line, then one line per row. */
export function csvTable(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Long-format CSV of labelled series: `series,<x>,<y>` one line per point. */
export function csvSeries(series: { label: string; x: ArrayLike<number>; y: ArrayLike<number> }[], xName = 'x', yName = 'y'): string {
  const rows: unknown[][] = [];
  for (const s of series) for (let i = 0; i < s.x.length; i++) rows.push([s.label, s.x[i], s.y[i]]);
  return csvTable(['series', xName, yName], rows);
}

/** Fallback when a spec has no `csv`: the x/y (and z) arrays of every trace, long format. */
export function tracesCsv(spec: PlotSpec): string {
  const rows: unknown[][] = [];
  let hasZ = false;
  spec.data.forEach((t, i) => {
    const tr = t as Record<string, unknown>;
    const x = Array.isArray(tr['x']) ? (tr['x'] as unknown[]) : [];
    const y = Array.isArray(tr['y']) ? (tr['y'] as unknown[]) : [];
    const z = Array.isArray(tr['z']) ? (tr['z'] as unknown[]) : undefined;
    if (z) hasZ = true;
    const n = Math.max(x.length, y.length);
    const name = typeof tr['name'] === 'string' ? tr['name'] : `trace ${i}`;
    for (let j = 0; j < n; j++) rows.push([name, x[j], y[j], ...(z ? [Array.isArray(z[j]) ? JSON.stringify(z[j]) : z[j]] : [])]);
  });
  return csvTable(hasZ ? ['trace', 'x', 'y', 'z'] : ['trace', 'x', 'y'], rows);
}
