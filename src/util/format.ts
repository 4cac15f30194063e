/** Number formatting for tables and logs: 4 significant digits, exponent when small/large. */
export function fmt(v: number | string, digits = 4): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(digits))) : v.toExponential(digits - 1);
}

/** Text on one line: each line break (with the blanks around it) becomes one space. */
export const oneLine = (s: string): string => s.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ');

/** A plain-text table with left-aligned columns; a cell with line breaks (a user's measured text, a title) stays on its row. */
export function table(header: string[], rows: string[][]): string {
  const cells = rows.map((r) => r.map(oneLine));
  const w = header.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((c, j) => c.padEnd(w[j]!)).join('  ').trimEnd();
  return [line(header), line(w.map((n) => '-'.repeat(n))), ...cells.map(line)].join('\n');
}
