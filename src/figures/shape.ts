/**
 * The shape of a figure's data, read off its registered sample (`FigureSpec.sample()` returns
 * data "of the shape `build` expects"), and a check of saved data against it, so a bad
 * `figures --from` file gets one line naming the wrong field instead of a TypeError from deep
 * inside a figure builder. Shapes are JSON types: a number may be null (JSON writes NaN and
 * ±Infinity as null); a key present in every sample element is required, one present in only
 * some is optional; an empty sample array or a null sample value accepts anything.
 */

export type Shape =
  | { kind: 'number' | 'string' | 'boolean' | 'any' }
  | { kind: 'array'; of: Shape }
  | { kind: 'object'; keys: Map<string, { shape: Shape; optional: boolean }> };

const ANY: Shape = { kind: 'any' };

const bySample = new Map<string, Shape>();

/** The shape of a registered figure's sample data (samples are seeded, so one per process). */
export function sampleShape(spec: { name: string; sample(): unknown }): Shape {
  let s = bySample.get(spec.name);
  if (!s) bySample.set(spec.name, (s = shapeOf(spec.sample())));
  return s;
}

/** The shape of a sample value (after a JSON round trip, as a saved file holds it). */
export function shapeOf(sample: unknown): Shape {
  return shapeOfJson(JSON.parse(JSON.stringify(sample) ?? 'null'));
}

function shapeOfJson(v: unknown): Shape {
  if (v === null) return ANY;
  if (typeof v === 'number') return { kind: 'number' };
  if (typeof v === 'string') return { kind: 'string' };
  if (typeof v === 'boolean') return { kind: 'boolean' };
  if (Array.isArray(v)) return { kind: 'array', of: v.length ? v.map(shapeOfJson).reduce(merge) : ANY };
  const keys = new Map<string, { shape: Shape; optional: boolean }>();
  for (const [k, x] of Object.entries(v as object)) keys.set(k, { shape: shapeOfJson(x), optional: false });
  return { kind: 'object', keys };
}

/** The shape both a and b fit (elements of one sample array). */
function merge(a: Shape, b: Shape): Shape {
  if (a.kind === 'any' || b.kind === 'any') return a.kind === 'number' || b.kind === 'number' ? (a.kind === 'any' ? b : a) : ANY;
  if (a.kind !== b.kind) return ANY;
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', of: merge(a.of, b.of) };
  if (a.kind === 'object' && b.kind === 'object') {
    const keys = new Map<string, { shape: Shape; optional: boolean }>();
    for (const k of new Set([...a.keys.keys(), ...b.keys.keys()])) {
      const x = a.keys.get(k), y = b.keys.get(k);
      keys.set(k, x && y ? { shape: merge(x.shape, y.shape), optional: x.optional || y.optional } : { shape: (x ?? y)!.shape, optional: true });
    }
    return { kind: 'object', keys };
  }
  return a;
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v === 'string' ? 'a string' : `the ${typeof v}`} ${JSON.stringify(v)?.slice(0, 20)}`;

const NAMES = { number: 'a number', string: 'a string', boolean: 'true or false', array: 'an array', object: 'an object' } as const;

/**
 * Where `value` does not fit `shape`: a phrase such as `data.series[0].x must be an array, got
 * a string "a"`, or undefined when it fits. `at` names the root ('data'). With `requireKeys`
 * false only the keys present are checked (a sample cannot tell an optional key from a
 * required one: that is asked only after a builder failed).
 */
export function shapeMismatch(value: unknown, shape: Shape, at = 'data', requireKeys = true): string | undefined {
  switch (shape.kind) {
    case 'any': return undefined;
    case 'number': return value === null || typeof value === 'number' ? undefined : `${at} must be ${NAMES.number}, got ${describe(value)}`;
    case 'string': case 'boolean':
      return typeof value === shape.kind ? undefined : `${at} must be ${NAMES[shape.kind]}, got ${describe(value)}`;
    case 'array': {
      if (!Array.isArray(value)) return `${at} must be ${NAMES.array}, got ${describe(value)}`;
      for (let i = 0; i < value.length; i++) {
        const m = shapeMismatch(value[i], shape.of, `${at}[${i}]`, requireKeys);
        if (m) return m;
      }
      return undefined;
    }
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${at} must be ${NAMES.object}, got ${describe(value)}`;
      for (const [k, { shape: s, optional }] of shape.keys) {
        if (!Object.hasOwn(value, k)) {
          if (optional || !requireKeys) continue;
          return `${at} has no "${k}"`;
        }
        const m = shapeMismatch((value as Record<string, unknown>)[k], s, `${at}.${k}`, requireKeys);
        if (m) return m;
      }
      return undefined;
    }
  }
}
