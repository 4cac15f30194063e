/** The continuum limit of a near-identity feedforward layer, derived and verified. */
import { defineNotebook } from '../src/report/notebook.ts';
import { derive, type Derivation } from '../src/symbolic/derive.ts';
import { deriveVector } from '../src/symbolic/vector/derive-vector.ts';
import { vectorTeX } from '../src/symbolic/vector/report.ts';
import { tanhScaling } from '../src/symbolic/builtin.ts';
import { modifiedEquationLadders } from '../src/symbolic/ladders.ts';
import { invariantBallData, invertibilityData } from '../src/claims/ruseckas.ts';

export default defineNotebook({
  name: 'continuum-limit',
  title: 'The continuum limit of a feedforward layer',
  summary: 'Ruseckas\' near-identity feedforward layer expanded in its step ε: the continuum-limit ODE ẋ = Ax + β + g(x), the modified equation that one layer solves to higher order, and the numbers that confirm both.',
  run(nb) {
    const seed = nb.seed, full = nb.mode === 'full';
    // Wall time goes to the log, not the page: the page is the same on every run.
    const timed = (name: string, run: () => Derivation): Derivation => {
      const t0 = performance.now();
      const r = run();
      nb.log(`${name}: derived and verified in ${(performance.now() - t0).toFixed(0)} ms`);
      return r;
    };

    nb.section('The layer');
    nb.text('A feedforward layer whose weights are close to the identity and whose activation is close to the identity, with step $\\varepsilon$ (Ruseckas, slides 15–16): the linear part moves the state by $\\varepsilon(Ax + \\beta)$, the activation adds $\\varepsilon g$ evaluated at the moved state.');
    const generic = timed('generic g', () => derive({ layer: 'ff', dim: 1, g: 'generic' }, 3, { seed }));
    nb.tex(generic.tex.map);

    nb.section('Its expansion in ε');
    nb.text('Composing Taylor series (the ε-series of each subexpression, with $g$ kept abstract through its jet $g(x), g\'(x), \\dots$) gives $\\Phi_\\varepsilon(x) = x + \\varepsilon F_1 + \\varepsilon^2 F_2 + \\dots$ with');
    generic.tex.coefficients.slice(0, 2).forEach((c, j) => nb.tex(`F_{${j + 1}} = ${c}`));
    nb.text('The layer differs from the Euler step $x + \\varepsilon F_1$ by $\\varepsilon^2 g\'(x)(Ax + \\beta) + O(\\varepsilon^3)$: a first-order consistent scheme (claim C12).');

    nb.section('The continuum-limit ODE');
    nb.text('Layer $n$ acts at time $t_n = n\\varepsilon$; as $\\varepsilon \\to 0$ with $n\\varepsilon$ fixed, the states follow');
    nb.tex(generic.tex.ode);
    nb.text('the proposed equation "linear part plus a fixed nonlinearity". With the cubic $g(z) = -\\gamma z^3$ in $d = 2$ and symbolic $A$, $\\beta$:');
    const cubic2 = timed('cubic, d = 2', () => derive({ layer: 'ff', dim: 2, g: '-gamma*z^3' }, 2, { seed }));
    nb.tex(cubic2.tex.ode);

    nb.section('The modified equation');
    nb.text('One layer is not exactly a time-$\\varepsilon$ step of the ODE, but it is exactly (to any order) a time-$\\varepsilon$ step of a modified field $f_\\varepsilon = f_1 + \\varepsilon f_2 + \\dots$. Matching the Lie series $\\exp(\\varepsilon L_{f_\\varepsilon})\\,\\mathrm{id}$ to $\\Phi_\\varepsilon$ order by order gives $f_2 = F_2 - \\tfrac12 F_1\' F_1$, that is');
    nb.tex("\\tilde F = F + \\varepsilon\\Big[g'(x)(Ax + \\beta) - \\tfrac12 F'(x)F(x)\\Big] + O(\\varepsilon^2)");
    const cubic1 = timed('cubic, d = 1', () => derive({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 3, { seed }));
    nb.text('For the 1-D cubic layer ($A = a$, $\\beta = b$) the first two corrections are (claim C13):');
    nb.tex(cubic1.tex.modified);

    nb.section('The vector form, for every d');
    nb.text('The same expansion in matrix notation holds in every dimension: $A$, $\\beta$, the derivatives $g^{(j)}$ applied elementwise and the elementwise product $\\odot$. Expanding $g$ at $x$ with $z - x = \\varepsilon(Ax + \\beta)$ gives $F_k = g^{(k-1)}(x) \\odot (Ax + \\beta)^{\\odot (k-1)}/(k-1)!$ for $k \\ge 2$, and the modified-equation recursion, run on these expressions with $DF_1 = A + \\operatorname{diag} g\'(x)$, gives');
    const vec = deriveVector({ layer: 'ff', dim: 2, g: 'generic' }, 3);
    vectorTeX(vec).slice(0, 5).forEach((e) => nb.tex(e));
    nb.text(`For any map the terms are elementary differentials of its Taylor coefficients: ${vec.trees.tex.slice(1).map((e, j) => `$f_{${j + 2}} = ${e}$`).join(', ')}. Instantiated at $d = 2$ with symbolic $A$, $\\beta$ and expanded, both forms equal the componentwise result exactly: ${vec.check.agree ? 'agree' : '**disagree**'} (the tests repeat this at $d = 1, \\dots, 4$).`);
    nb.result('vectorForm', { coefficients: vec.coefficients!.text, modified: vec.modified!.text, trees: vec.trees.text, check: vec.check });

    nb.section('Verification');
    nb.text('Every result above was checked as it was produced: (i) a second engine (mathjs\' symbolic derivative, differentiating the whole map in $\\varepsilon$) agrees with the series coefficients at random points; (ii) the exact flow of $f_\\varepsilon$, written with elementary differentials $f, f\'f, f\'\'(f,f), f\'f\'f, \\dots$, reproduces $F_1, \\dots, F_k$ exactly; (iii) at seeded random points the truncated series and the flow of the truncated modified field (RK4 with 32 substeps) miss the layer by $O(\\varepsilon^{k+1})$.');
    const all = [
      ['FF, generic g, d = 1', generic], ['FF, cubic g, d = 2', cubic2], ['FF, cubic g, d = 1', cubic1],
      ['FF, softplus g, d = 2', timed('softplus', () => derive({ layer: 'ff', dim: 2, g: 'log(1+exp(z)) - log(2)' }, full ? 4 : 2, { seed }))],
      ['residual tanh, d = 2', timed('residual tanh', () => derive({ layer: 'residual', dim: 2 }, 3, { seed }))],
      ['FF, tanh g, A(t), β(t), d = 2', timed('tanh, A(t), β(t)', () => derive({ layer: 'ff', dim: 2, g: 'tanh(z)', A: 'sin(t), a12; 0, a22', beta: 'cos(t); b2' }, 3, { seed }))],
    ] as const;
    nb.table(['layer', 'order k', 'verdict', 'series slope', 'flow slope', 'expected'],
      all.map(([name, r]) => [name, r.order, r.verification.verdict,
        Number.isFinite(r.verification.numeric.series.slope) ? r.verification.numeric.series.slope.toFixed(2) : 'exact',
        r.verification.numeric.flow.slope.toFixed(2), r.order + 1]),
      'Fitted log–log slopes of the residuals over $\\varepsilon = 0.1 \\cdot 2^{-j}$; "exact" means the series residual sits at the round-off floor (polynomial maps).');
    nb.result('verdicts', Object.fromEntries(all.map(([name, r]) => [name, r.verification.verdict])));

    const ladders = modifiedEquationLadders({ layer: 'ff', dim: 1, g: '-gamma*z^3' }, 3, seed, full ? 10 : 7);
    nb.figure('modified-equation-ladder', ladders, 'The cubic layer against the time-$\\varepsilon$ flow of the ODE ($k = 1$) and of the modified fields with $k = 2, 3$ terms: each added term buys one order.');
    nb.result('ladders', ladders);

    nb.section('tanh networks are instances');
    nb.text('On small signals $x = s u$, with weights $I + s^2 w$ and biases $s^3 b$, an ordinary tanh layer is this FF layer with $\\Delta t = s^2$ and $\\gamma = 1/3$ (claim C14): its expansion in $s$ is');
    const ts = tanhScaling(5);
    ts.tex.forEach((t) => nb.tex(t));
    nb.text(`The identification holds exactly through $s^3$ and first fails at $s^4 = \\Delta t^2$, a local error that leaves the scheme first-order: ${ts.identified ? 'confirmed' : '**not confirmed**'} in exact arithmetic.`);
    nb.result('tanhScaling', ts);

    nb.section('The proposed ODE is bounded, its layer invertible (C15)');
    nb.text('With $g(x) = -\\gamma x^3$, $\\gamma > 0$, the cubic beats the linear part: $\\tfrac{d}{dt}|x|^2/2 \\le \\mu_+|x|^2 + |b||x| - (\\gamma/d)|x|^4$ ($\\mu$ the top eigenvalue of the symmetric part of $w$), so above $\\rho = \\max(\\sqrt{4d\\mu_+/\\gamma}, (4d|b|/\\gamma)^{1/3})$ the radius falls at least like $\\dot r \\le -(\\gamma/2d)r^3$: every solution, from any $x(0)$, is below $\\max(\\rho, \\sqrt{d/(\\gamma t)})$ and ends in the invariant ball of radius $R^*$.');
    const ball = invariantBallData(nb.mode, seed);
    nb.figure('invariant-ball', ball, `$\\dot x = wx + b - \\gamma x^3$, $d = 3$, $\\gamma = 0.5$, $\\mu = ${ball.radii.mu.toFixed(2)}$: $|x(t)|$ from $|x(0)|$ up to $10^{${Math.round(Math.log10(Math.max(...ball.runs.map((r) => r.r0))))}}$ (DOPRI5, rtol $10^{-10}$), under $\\sqrt{d/(\\gamma t)}$, then inside $\\rho = ${ball.radii.entry.toFixed(3)}$ and $R^* = ${ball.radii.invariant.toFixed(3)}$.`);
    nb.text('Its FF layer applies $h(z) = z - \\gamma\\Delta t\\, z^3$ to $z = Wx + B$; $h\' = 1 - 3\\gamma\\Delta t\\, z^2$ vanishes at $z^* = 1/\\sqrt{3\\gamma\\Delta t}$, a radius that grows like $\\Delta t^{-1/2}$ and covers the invariant ball once $\\Delta t < 1/(3\\gamma R^{*2})$.');
    const inv = invertibilityData(nb.mode, seed);
    nb.figure('ff-activation-threshold', inv, `Turning points located by bisection on the layer's tangent: $z^*\\sqrt{3\\gamma\\Delta t} - 1$ at most ${Math.max(...inv.thresholds.map((t) => t.relError)).toExponential(1)}; $z^* > R^*$ for $\\Delta t < ${inv.dtCover.toPrecision(3)}$.`);
    nb.result('C15', { invariantRadius: ball.radii.invariant, entryRadius: ball.radii.entry, worstRatio: Math.max(...ball.runs.map((r) => r.ratio)), dtCover: inv.dtCover });
  },
});
