/**
 * The claim vocabulary. A claim is a statement (built-in: from CLAIMS.md, ids C1…C39; a
 * researcher's own: made by `defineClaim`) with a check that returns evidence, and a negative
 * control: a deliberately broken variant (a wrong formula, rough weights, a mis-scaled
 * residual) that must make the same check fail, so no claim passes vacuously.
 */
/** What a check concludes from the evidence it computed. */
export type Verdict = 'holds' | 'fails' | 'inconclusive';

export type Mode = 'quick' | 'full';

export interface ClaimContext {
  /** quick: small sizes for the test suite; full: figure-quality sweeps. */
  mode: Mode;
  seed: number;
}

/**
 * How a claim's numbers (or a figure's data) were made, so a caption can be written from it:
 * which claim, the source paper with its reference, the scheme, the solver and its tolerance,
 * the depths, every other parameter, the seed. Optional on evidence (`methods`) and carried
 * as `methods` inside a figure's data, so it lands in the figure's `.data.json` sidecar and in
 * report.json.
 */
export interface Methods {
  /** The claim this supports: 'C36', 'C15/ball'. */
  claim: string;
  /** The source paper with its reference (authors, year, venue or arXiv id, where in it). */
  source: string;
  /** The network or scheme, e.g. 'Heun ResNet, weights on the layer nodes'. */
  scheme?: string;
  /** The solver or optimiser and its tolerance, e.g. 'DOPRI5, rtol 1e-12, atol 1e-14'. */
  solver?: string;
  /** The depths (layers N, grid sizes n) of a ladder. */
  depths?: number[];
  /** Every other number or choice the result depends on (dimension, T, γ, data set, …). */
  parameters: Record<string, number | string | boolean | number[]>;
  /** The PRNG seed, or null when nothing random is drawn. */
  seed: number | null;
}

/** One line of a methods block: `scheme; solver; depths …; d = 3, T = 1; seed 7; source`. */
export function describeMethods(m: Methods): string {
  const params = Object.entries(m.parameters).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(', ') : String(v)}`).join(', ');
  return [m.scheme, m.solver, m.depths?.length ? `depths ${m.depths.join(', ')}` : undefined, params || undefined,
    m.seed === null ? 'no random draws' : `seed ${m.seed}`, m.source].filter((x) => x !== undefined).join('; ');
}

export interface Evidence {
  verdict: Verdict;
  /** What was measured (a number, an order, an expression). */
  measured: number | string;
  /** What theory says it should be. */
  expected: number | string;
  /** The acceptance threshold, if numeric, and its one-line reason from the mathematics. */
  tolerance?: number | string;
  toleranceReason: string;
  /** One line a reader can act on (e.g. the counterexample). */
  detail?: string;
  /** The raw data behind the verdict (ladders, errors, fitted slopes): saved for figures. */
  data?: unknown;
  /** How the numbers were made (scheme, solver, depths, parameters, seed, source paper). */
  methods?: Methods;
}

export interface Claim {
  /** The stable id: from CLAIMS.md ('C12') for a built-in claim, the user's own otherwise. */
  id: string;
  /** Which part of the claim, when one claim has several registered checks (e.g. 'symbolic'). */
  part?: string;
  title: string;
  /** Paper and where in it (e.g. 'Ruseckas 2019, slides 15–16 (S3)'). */
  source: string;
  /** The built-in families, or 'user' for a claim made by `defineClaim`. */
  family: 'ruseckas' | 'thorpe' | 'zhang' | 'followup' | 'user';
  /** The statement in TeX (KaTeX-clean for built-in claims; a user's may be words). */
  statement: string;
  /** Names of registered figures that show this claim's evidence. */
  figures?: string[];
  check(ctx: ClaimContext): Evidence | Promise<Evidence>;
  negativeControl: {
    /** What is broken, in one line. */
    description: string;
    check(ctx: ClaimContext): Evidence | Promise<Evidence>;
  };
}

/** 'C12' or 'C12/symbolic'. */
export function claimKey(c: Pick<Claim, 'id' | 'part'>): string {
  return c.part ? `${c.id}/${c.part}` : c.id;
}
