/**
 * The proof format: Markdown with fenced ```derivation blocks (see proofs/README.md).
 *
 * A block declares its symbols with domains (`let x, a: real`, `let eps: small`,
 * `let t: [0, 1]`), optional definitions (`def F := a*x + b`, `def g(z) := z^3`), an optional
 * `cites: C12, C13`, then one or more chains. A chain starts with a bare expression line and
 * continues with steps `= expr`, `= expr + O(eps^k)`, `<= expr` or `>= expr`, each relating
 * the step to the one before it. Justification follows `--` or `#`; a line `sos: expr` gives a
 * sum-of-squares certificate for the inequality step above it. A line that ends with an
 * operator or leaves a parenthesis open continues on the next line.
 *
 * This module only reads the structure; expressions stay text until src/proofs/expand.ts
 * validates them against the declarations. Every malformed line is a UserError that names
 * file:line, block and step.
 */
import { firstRepeated, quote, UserError } from '../util/errors.ts';
import { MAX_NAME, NAME_RULE } from '../symbolic/parse.ts';
import { readUserFile } from '../util/io.ts';

/** Where numeric test points are drawn for a declared symbol. */
export interface Domain {
  kind: 'real' | 'positive' | 'nonnegative' | 'negative' | 'small' | 'interval';
  lo: number;
  hi: number;
}

/**
 * Sampling boxes for the named domains. Bounded, so that polynomial identities are tested
 * at well-conditioned points; `small` stays in (0, 1/4] so an exact step with ε is sampled
 * where an expansion in ε means something (series steps choose their own ladder of ε).
 */
export const DOMAINS: Record<Exclude<Domain['kind'], 'interval'>, [number, number]> = {
  real: [-2, 2],
  positive: [0.1, 2],
  nonnegative: [0, 2],
  negative: [-2, -0.1],
  small: [0.001, 0.25],
};

export interface Declaration { name: string; domain: Domain; line: number }
export interface Definition { name: string; params: string[]; body: string; line: number }

export type Relation = '=' | '<=' | '>=';

export interface Step {
  /** 1-based number of the step within its block (chain starts are step 0 of their chain). */
  index: number;
  /** 'start' for the first expression of a chain. */
  relation: Relation | 'start';
  expr: string;
  /** `+ O(v^k)`: the step holds up to terms of order v^k. */
  order?: { variable: string; power: number };
  justification?: string;
  /** `sos:` certificate: rhs − lhs (for <=) equals this manifestly nonnegative expression. */
  certificate?: string;
  line: number;
}

export interface Chain { steps: Step[] }

export interface Block {
  /** 1-based position in the file. */
  index: number;
  /** The word after ```derivation, or the index. */
  label: string;
  line: number;
  symbols: Declaration[];
  definitions: Definition[];
  cites: string[];
  chains: Chain[];
}

export interface ProofFile { path: string; title: string; blocks: Block[] }

const FENCE_OPEN = /^\s*(```+|~~~+)\s*derivation\b\s*(.*)$/;
/** The symbolic layer's identifier rule (letters, digits, single underscores), so every name prints as TeX. */
const NAME = NAME_RULE;
const ORDER = /\+\s*O\(\s*([A-Za-z][A-Za-z0-9_]*)\s*(?:(?:\^|\*\*)\s*\(?\s*(\d+)\s*\)?)?\s*\)\s*$/;

/** A location prefix for error messages: `file:line: block L, step N`. */
export function where(path: string, line: number, block?: string | number, step?: number | string): string {
  let s = `${path}:${line}`;
  if (block !== undefined) s += `: block ${block}`;
  if (step !== undefined) s += `, step ${step}`;
  return s;
}

/** Read and parse a proof file. Throws UserError when it cannot be read or parsed. */
export function readProofFile(path: string): ProofFile {
  return parseProofFile(readUserFile(path, 'proof file'), path);
}

/** Parse proof Markdown. Throws UserError (one line, naming file, block and step) on bad input. */
export function parseProofFile(text: string, path = '<input>'): ProofFile {
  const lines = text.split(/\r?\n/);
  const title = (lines.find((l) => /^#\s+/.test(l)) ?? '').replace(/^#\s+/, '').trim();
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE_OPEN.exec(lines[i]!);
    if (!m) continue;
    const fence = m[1]!;
    const start = i;
    const body: { text: string; line: number }[] = [];
    i++;
    while (i < lines.length && !lines[i]!.trim().startsWith(fence)) {
      body.push({ text: lines[i]!, line: i + 1 });
      i++;
    }
    const index = blocks.length + 1;
    const label = (m[2] ?? '').trim().split(/\s+/)[0] || String(index);
    if (i >= lines.length) throw new UserError(`${where(path, start + 1, label)}: derivation block is not closed`);
    blocks.push(parseBlock(body, path, index, label, start + 1));
  }
  if (blocks.length === 0) throw new UserError(`${path}: no \`\`\`derivation blocks`);
  return { path, title, blocks };
}

/** Split `expr -- why` / `expr # why` into the expression and the justification. */
function splitJustification(s: string): [string, string | undefined] {
  const m = /(\s--\s|\s--$|#)/.exec(s);
  if (!m) return [s.trim(), undefined];
  return [s.slice(0, m.index).trim(), s.slice(m.index + m[0].length).trim() || undefined];
}

/** True while an expression is visibly unfinished: an open parenthesis or a trailing operator. */
function unfinished(expr: string): boolean {
  let depth = 0;
  for (const c of expr) {
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
  }
  return depth > 0 || /[-+*/^,(]\s*$/.test(expr);
}

function parseBlock(
  body: { text: string; line: number }[], path: string, index: number, label: string, line: number,
): Block {
  const block: Block = { index, label, line, symbols: [], definitions: [], cites: [], chains: [] };
  let stepNo = 0;
  const declared = new Set<string>();
  for (let k = 0; k < body.length; k++) {
    const { line: ln } = body[k]!;
    let raw = body[k]!.text.trim();
    if (raw === '' || raw.startsWith('#') || raw.startsWith('--')) continue;

    const loc = (step?: number | string) => where(path, ln, label, step);

    if (/^let\s/.test(raw)) {
      for (const d of parseLet(raw.slice(4), loc())) {
        if (declared.has(d.name)) throw new UserError(`${loc()}: symbol '${d.name}' declared twice`);
        declared.add(d.name);
        block.symbols.push({ ...d, line: ln });
      }
      continue;
    }
    if (/^def\s/.test(raw)) {
      const [text] = splitJustification(raw.slice(4));
      const m = /^([A-Za-z][A-Za-z0-9_]*)\s*(?:\(([^)]*)\))?\s*:?=\s*(.+)$/.exec(text);
      if (!m) throw new UserError(`${loc()}: cannot read definition ${quote(raw)} (expected: def NAME := expr or def NAME(u, v) := expr)`);
      const name = m[1]!;
      const params = m[2] === undefined ? [] : m[2].split(',').map((p) => p.trim());
      for (const p of params) if (!NAME.test(p)) throw new UserError(`${loc()}: bad parameter ${quote(p)} in definition of ${name}`);
      // def f(y, y) := y: which argument y stands for reads two ways
      const twice = firstRepeated(params);
      if (twice !== undefined) throw new UserError(`${loc()}: parameter ${quote(twice)} appears twice in definition of ${name}`);
      if (declared.has(name)) throw new UserError(`${loc()}: '${name}' is both declared and defined`);
      if (block.definitions.some((d) => d.name === name)) throw new UserError(`${loc()}: '${name}' defined twice`);
      block.definitions.push({ name, params, body: m[3]!.trim(), line: ln });
      continue;
    }
    if (/^cites?\s*:/.test(raw)) {
      for (const id of raw.replace(/^cites?\s*:/, '').split(/[,\s]+/).filter(Boolean)) {
        const n = /^C(\d+)$/i.exec(id);
        if (!n || Number(n[1]) < 1 || Number(n[1]) > 39) throw new UserError(`${loc()}: 'cites' names an unknown claim ${quote(id)} (C1…C39)`);
        block.cites.push(`C${Number(n[1])}`);
      }
      continue;
    }
    if (/^sos\s*:/.test(raw)) {
      const chain = block.chains[block.chains.length - 1];
      const last = chain?.steps[chain.steps.length - 1];
      if (!last || (last.relation !== '<=' && last.relation !== '>=')) {
        throw new UserError(`${loc()}: 'sos:' certificate must follow an inequality step (<= or >=)`);
      }
      let cert = raw.replace(/^sos\s*:/, '');
      while (unfinished(splitJustification(cert)[0]) && k + 1 < body.length) cert += ' ' + body[++k]!.text.trim();
      last.certificate = splitJustification(cert)[0];
      if (!last.certificate) throw new UserError(`${loc(last.index)}: empty 'sos:' certificate`);
      continue;
    }

    // An expression line: chain start or a step. Join continuation lines first.
    while (unfinished(splitJustification(raw)[0]) && k + 1 < body.length) raw += ' ' + body[++k]!.text.trim();
    const rel = /^(<=|>=|=)(?!=)/.exec(raw);
    const relation = (rel ? rel[1] : 'start') as Step['relation'];
    const [exprWithOrder, justification] = splitJustification(rel ? raw.slice(rel[0].length) : raw);
    if (relation !== 'start') stepNo++;
    const stepLabel = relation === 'start' ? `${stepNo + 1} (chain start)` : stepNo;
    let expr = exprWithOrder;
    let order: Step['order'];
    const om = ORDER.exec(expr);
    if (om) {
      if (relation !== '=') throw new UserError(`${loc(stepLabel)}: an O(...) term is only allowed on '=' steps`);
      order = { variable: om[1]!, power: om[2] === undefined ? 1 : Number(om[2]) };
      if (order.power < 1) throw new UserError(`${loc(stepLabel)}: order must be a positive integer in O(${om[1]}^k)`);
      expr = expr.slice(0, om.index).trim();
    } else if (/\bO\s*\(/.test(expr)) {
      throw new UserError(`${loc(stepLabel)}: an order term must be written last, as '+ O(eps^k)' with a positive integer k`);
    }
    if (expr === '') throw new UserError(`${loc(stepLabel)}: missing expression`);
    const step: Step = {
      index: relation === 'start' ? 0 : stepNo, relation, expr, line: ln,
      ...(order ? { order } : {}), ...(justification ? { justification } : {}),
    };
    if (relation === 'start') {
      block.chains.push({ steps: [step] });
    } else {
      const chain = block.chains[block.chains.length - 1];
      if (!chain) throw new UserError(`${loc(stepLabel)}: a step '${relation} …' needs a starting expression line above it`);
      const dirs = new Set(chain.steps.map((s) => s.relation).filter((r) => r === '<=' || r === '>='));
      if ((relation === '<=' && dirs.has('>=')) || (relation === '>=' && dirs.has('<='))) {
        throw new UserError(`${loc(stepLabel)}: a chain cannot mix '<=' and '>='`);
      }
      chain.steps.push(step);
    }
  }
  if (block.chains.length === 0 || block.chains.every((c) => c.steps.length < 2)) {
    throw new UserError(`${where(path, line, label)}: derivation block has no steps`);
  }
  for (const c of block.chains) {
    if (c.steps.length < 2) throw new UserError(`${where(path, c.steps[0]!.line, label)}: a chain start with no step after it`);
  }
  return block;
}

/** `x, a, b: real` → declarations. */
function parseLet(text: string, loc: string): Omit<Declaration, 'line'>[] {
  const [decl] = splitJustification(text);
  const m = /^([^:]+):\s*(.+)$/.exec(decl);
  if (!m) throw new UserError(`${loc}: cannot read declaration "let ${decl}" (expected: let x, y: real)`);
  const names = m[1]!.split(',').map((s) => s.trim());
  const domain = parseDomain(m[2]!.trim(), loc);
  return names.map((name) => {
    if (!NAME.test(name) || name.length > MAX_NAME) throw new UserError(`${loc}: bad symbol name ${quote(name)} (names are ASCII letters and digits, parts joined by single underscores, starting with a letter, at most ${MAX_NAME} characters)`);
    return { name, domain };
  });
}

function parseDomain(text: string, loc: string): Domain {
  if (text in DOMAINS) {
    const [lo, hi] = DOMAINS[text as keyof typeof DOMAINS];
    return { kind: text as Domain['kind'], lo, hi };
  }
  const m = /^\[\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\]$/.exec(text);
  if (m) {
    const lo = Number(m[1]), hi = Number(m[2]);
    if (Number.isFinite(lo) && Number.isFinite(hi) && lo < hi) return { kind: 'interval', lo, hi };
  }
  throw new UserError(`${loc}: unknown domain ${quote(text)} (use ${Object.keys(DOMAINS).join(', ')} or an interval [lo, hi])`);
}
