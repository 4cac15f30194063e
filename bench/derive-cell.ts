/**
 * One cell of bench/derive-table.ts, run in a fresh process (nothing cached): the FF layer
 * x⁺ = z + ε tanh(z), z = (I + εA)x + εβ in dimension d, its Taylor coefficients F_1…F_k
 * (taylorCoefficients) and modified equation f_1…f_k (modifiedEquation), exactly what
 * bench/derive_sympy.py computes. Prints JSON: CPU seconds (this process, user + system), the
 * output's term count, and f_k[1] at the bench point (to compare with SymPy's).
 * Usage (bundled by derive-table.ts): node cell.mjs d k symbolic|numeric
 */
import { buildLayer, TIME } from '../src/symbolic/layers.ts';
import { taylorCoefficients } from '../src/symbolic/derive.ts';
import { modifiedEquation } from '../src/symbolic/modified.ts';
import { compilePolys } from '../src/symbolic/poly-compile.ts';
import * as P from '../src/symbolic/poly.ts';
import { benchLayer, benchPoint } from './derive-layer.ts';

const [d, k] = [Number(process.argv[2]), Number(process.argv[3])];
const mode = process.argv[4] === 'numeric' ? 'numeric' : 'symbolic';
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const c0 = cpu();
const layer = buildLayer(benchLayer(d, mode));
const F = taylorCoefficients(layer, k);
const f = modifiedEquation(F, layer.stateVars, layer.timeDependent ? TIME : undefined);
const seconds = cpu() - c0;

const terms = [...F, ...f].flat().reduce((s, p) => s + p.size, 0);
const vars = [...new Set([...layer.stateVars, ...layer.params])];
const pt = benchPoint(vars);
const out = new Float64Array(1);
compilePolys([f[k - 1]![0]!], vars)(vars.map((v) => pt[v]!), out);
console.log(JSON.stringify({ seconds, terms, value: out[0], symbols: P.symbolsOf(f[k - 1]![0]!).size }));
