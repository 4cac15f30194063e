/**
 * Training data for the Γ-convergence experiments: S samples x_s ∈ R^d with scalar targets y_s.
 * Loaded from a CSV with a header of named columns, or built in (CLAIMS.md §2.7's toy).
 */
import { firstRepeated, UserError } from '../../util/errors.ts';
import { readUserFile } from '../../util/io.ts';

export interface Dataset {
  d: number;
  S: number;
  /** Inputs, sample-major: x[s·d + i]. */
  x: Float64Array;
  y: Float64Array;
  /** Where the data came from (a path or 'built-in …'). */
  source: string;
  inputs: string[];
  target: string;
}

/**
 * Parse CSV text with a header line. Input columns default to every column except the
 * target (default 'y'), in header order.
 *
 * Throws UserError naming the line for a missing or repeated column, a wrong cell count, a non-numeric
 * or NaN/infinite cell, or no data rows.
 */
export function parseDataset(text: string, source: string, opts: { inputs?: string[]; target?: string } = {}): Dataset {
  const lines = text.split(/\r?\n/);
  const headerIdx = lines.findIndex((l) => l.trim() !== '');
  if (headerIdx < 0) throw new UserError(`${source}: empty file (expected a header line such as x1,x2,y)`);
  const header = lines[headerIdx]!.split(',').map((c) => c.trim());
  // a name looked up twice finds its first column: x,x,y trained on (x₁, x₁), y,y on one y
  const twice = firstRepeated(header);
  if (twice !== undefined) throw new UserError(`${source}:${headerIdx + 1}: column '${twice}' is named twice (header has ${header.join(', ')})`);
  const target = opts.target ?? 'y';
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new UserError(`${source}:${headerIdx + 1}: missing column '${name}' (header has ${header.join(', ')})`);
    return i;
  };
  const ti = col(target);
  const inputs = opts.inputs ?? header.filter((h) => h !== target);
  if (inputs.length === 0) throw new UserError(`${source}:${headerIdx + 1}: no input columns besides '${target}'`);
  const ii = inputs.map(col);
  const xs: number[] = [], ys: number[] = [];
  for (let L = headerIdx + 1; L < lines.length; L++) {
    const line = lines[L]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw new UserError(`${source}:${L + 1}: ${cells.length} cells, the header has ${header.length}`);
    }
    const num = (ci: number): number => {
      const raw = cells[ci]!.trim();
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) throw new UserError(`${source}:${L + 1}: column '${header[ci]}': '${raw}' is not a finite number`);
      return v;
    };
    for (const ci of ii) xs.push(num(ci));
    ys.push(num(ti));
  }
  if (ys.length === 0) throw new UserError(`${source}: no data rows after the header`);
  return { d: ii.length, S: ys.length, x: Float64Array.from(xs), y: Float64Array.from(ys), source, inputs, target };
}

/** Read and parse a CSV file (UserError when it cannot be read). */
export function loadDataset(path: string, opts: { inputs?: string[]; target?: string } = {}): Dataset {
  return parseDataset(readUserFile(path, 'data file'), path, opts);
}

/**
 * CLAIMS.md §2.7's toy: d = 1, x_s = linspace(−1, 1, S) (S = 7), y_s = tanh(3x_s).
 * Smooth and monotone, so the 1-D network can fit it and minimisers stay nontrivial.
 */
export function toyDataset(S = 7): Dataset {
  const x = new Float64Array(S), y = new Float64Array(S);
  for (let s = 0; s < S; s++) { x[s] = S === 1 ? 0 : -1 + 2 * s / (S - 1); y[s] = Math.tanh(3 * x[s]!); }
  return { d: 1, S, x, y, source: `built-in toy (d = 1, S = ${S}, y = tanh 3x)`, inputs: ['x'], target: 'y' };
}

/** S rows at an even stride through the data (the quick-mode subset of a data set). */
export function subsample(data: Dataset, S: number): Dataset {
  if (S >= data.S) return data;
  const stride = data.S / S;
  const x = new Float64Array(S * data.d), y = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const src = Math.floor(s * stride);
    for (let i = 0; i < data.d; i++) x[s * data.d + i] = data.x[src * data.d + i]!;
    y[s] = data.y[src]!;
  }
  return { ...data, S, x, y, source: `${data.source} (${S} of ${data.S} rows)` };
}
