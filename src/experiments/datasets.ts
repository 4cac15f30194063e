/**
 * Seeded 2-D classification data sets generated in code (no files), after Meganet's
 * setupCircle / setupPeaks / setupSwissRoll and Dupont et al.'s disk-inside-annulus:
 *
 *  - ellipses: class 0 inside the ellipse r ≤ 1, class 1 on the ring 1 < r ≤ 2, where
 *    r = |(x₁, x₂/0.4)| (second coordinate scaled by 0.4);
 *  - peaks: MATLAB's peaks(x₁, x₂) on [−3, 3]², binned into `classes` level classes with
 *    equally many points per class (thresholds at the empirical quantiles);
 *  - spirals: two interleaved spirals x = ±(θ cos θ, θ sin θ)/(3π) + noise;
 *  - disk-annulus: class 0 on the disk |x| ≤ r₁, class 1 on the annulus r₂ ≤ |x| ≤ r₃
 *    (defaults 0.5, 1, 1.5; nothing in the gap r₁ < |x| < r₂).
 *
 * Points are stored row-major n×2 (point i at x[2i], x[2i+1]); labels are 0 … classes−1.
 */
import { UserError } from '../util/errors.ts';
import { makeRng, type Rng } from '../util/prng.ts';

export type DatasetName = 'ellipses' | 'peaks' | 'spirals' | 'disk-annulus';
export const DATASET_NAMES: readonly DatasetName[] = ['ellipses', 'peaks', 'spirals', 'disk-annulus'];

export interface Dataset {
  name: DatasetName;
  /** n×2 row-major. */
  x: Float64Array;
  labels: Int32Array;
  n: number;
  classes: number;
  /** The axis-aligned region the points come from: [x₁min, x₁max, x₂min, x₂max]. */
  box: [number, number, number, number];
}

export interface DatasetOptions {
  n: number;
  seed: number;
  /** peaks: number of level classes (default 5). */
  classes?: number;
  /** disk-annulus radii r₁ < r₂ < r₃ (default [0.5, 1, 1.5]). */
  radii?: [number, number, number];
  /** spirals: noise standard deviation (default 0.02). */
  noise?: number;
}

/** MATLAB's peaks function. */
export function peaks(x: number, y: number): number {
  return 3 * (1 - x) ** 2 * Math.exp(-(x * x) - (y + 1) ** 2)
    - 10 * (x / 5 - x ** 3 - y ** 5) * Math.exp(-x * x - y * y)
    - Math.exp(-((x + 1) ** 2) - y * y) / 3;
}

/** The label of the disk-annulus target at a point, or −1 in the gap / outside the annulus. */
export function diskAnnulusLabel(x: number, y: number, radii: readonly [number, number, number] = [0.5, 1, 1.5]): number {
  const r = Math.hypot(x, y);
  if (r <= radii[0]) return 0;
  if (r >= radii[1] && r <= radii[2]) return 1;
  return -1;
}

/** A seeded data set; the same (name, options) always gives the same points. */
export function makeDataset(name: string, opts: DatasetOptions): Dataset {
  const { n, seed } = opts;
  if (!Number.isInteger(n) || n < 2) throw new UserError(`dataset: n must be an integer ≥ 2, got ${n}`);
  const rng = makeRng(seed);
  switch (name) {
    case 'ellipses': return ellipses(n, rng);
    case 'peaks': return peaksLevels(n, rng, opts.classes ?? 5);
    case 'spirals': return spirals(n, rng, opts.noise ?? 0.02);
    case 'disk-annulus': return diskAnnulus(n, rng, opts.radii ?? [0.5, 1, 1.5]);
    default: throw new UserError(`unknown dataset '${name}' (known: ${DATASET_NAMES.join(', ')})`);
  }
}

function ellipses(n: number, rng: Rng): Dataset {
  const x = new Float64Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    // Uniform in area: r² uniform on [0,1] (inner) or [1,4] (ring).
    const r = Math.sqrt(c === 0 ? rng.next() : 1 + 3 * rng.next());
    const th = rng.uniform(0, 2 * Math.PI);
    x[2 * i] = r * Math.cos(th);
    x[2 * i + 1] = 0.4 * r * Math.sin(th);
    labels[i] = c;
  }
  return { name: 'ellipses', x, labels, n, classes: 2, box: [-2, 2, -0.8, 0.8] };
}

function peaksLevels(n: number, rng: Rng, classes: number): Dataset {
  if (!Number.isInteger(classes) || classes < 2 || classes > n) throw new UserError(`peaks: classes must be an integer in [2, n], got ${classes}`);
  const x = new Float64Array(2 * n), v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = rng.uniform(-3, 3);
    x[2 * i + 1] = rng.uniform(-3, 3);
    v[i] = peaks(x[2 * i]!, x[2 * i + 1]!);
  }
  // Equal class sizes: rank the values and cut the ranks into `classes` blocks.
  const order = Array.from(v, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const labels = new Int32Array(n);
  order.forEach((idx, rank) => { labels[idx] = Math.min(classes - 1, Math.floor((rank * classes) / n)); });
  return { name: 'peaks', x, labels, n, classes, box: [-3, 3, -3, 3] };
}

function spirals(n: number, rng: Rng, noise: number): Dataset {
  const x = new Float64Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2, s = c === 0 ? 1 : -1;
    const th = Math.sqrt(rng.next()) * 3 * Math.PI;
    x[2 * i] = (s * th * Math.cos(th)) / (3 * Math.PI) + noise * rng.normal();
    x[2 * i + 1] = (s * th * Math.sin(th)) / (3 * Math.PI) + noise * rng.normal();
    labels[i] = c;
  }
  return { name: 'spirals', x, labels, n, classes: 2, box: [-1.1, 1.1, -1.1, 1.1] };
}

function diskAnnulus(n: number, rng: Rng, radii: [number, number, number]): Dataset {
  const [r1, r2, r3] = radii;
  if (!(r1 > 0 && r1 < r2 && r2 < r3)) throw new UserError(`disk-annulus: radii must satisfy 0 < r₁ < r₂ < r₃, got ${radii.join(', ')}`);
  const x = new Float64Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const r = c === 0 ? r1 * Math.sqrt(rng.next()) : Math.sqrt(r2 * r2 + (r3 * r3 - r2 * r2) * rng.next());
    const th = rng.uniform(0, 2 * Math.PI);
    x[2 * i] = r * Math.cos(th);
    x[2 * i + 1] = r * Math.sin(th);
    labels[i] = c;
  }
  return { name: 'disk-annulus', x, labels, n, classes: 2, box: [-r3, r3, -r3, r3] };
}
