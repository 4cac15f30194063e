// depthlimit as a library, in plain JavaScript: `npm install depthlimit`, then `node library.mjs`.
import { certifyOrder, defineClaim, derive, inGoodStanding, runClaims, sweep } from 'depthlimit';

// The continuum limit of the near-identity layer σ_ε((I + εA)x + εβ), σ_ε(z) = z + ε tanh(z), d = 2,
// and its modified equation to order 2 (verified by two routes and numeric ladders on every call).
const dv = derive({ layer: 'ff', g: 'tanh(z)', dim: 2 }, { order: 2 });
console.log(`dx/dt = ${dv.ode.tex}`);
console.log(`f_2[1] = ${dv.modified[1].components[0].sympy}`);
console.log(`verification: ${dv.verification.verdict}`);

// A layer of one's own, x ↦ x + ε sin(x), run at depths N = 8 … 256 (ε = h = 1/N); its order certified.
const s = sweep({ map: 'x + eps*sin(x)', x0: [0.5], T: 1, depths: '8..256' });
const cert = certifyOrder(s);
console.log(`x + eps*sin(x): ${cert.verdict} ${cert.expected}, slope ${cert.slope.toFixed(3)} (interval ${cert.ci.map((c) => c.toFixed(3)).join(' to ')}, ${cert.model} fit)`);

// A claim of one's own: the layer converges to dx/dt = sin(x) at order 1, measured against that ODE's
// reference solution x(1). Its negative control steps 2h per layer, so it must not converge to x(1).
const x1 = sweep({ field: 'sin(x)', scheme: 'rk4', x0: [0.5], T: 1, depths: '8..32' }).reference.x[0];
function convergesToSinFlow(map) {
  const run = sweep({ map, x0: [0.5], T: 1, depths: '8..256' });
  const c = certifyOrder(run.h, run.finals.map((x) => Math.abs(x[0] - x1)), 1);
  return {
    verdict: c.verdict === 'order' ? 'holds' : 'fails', measured: c.slope, expected: 1, tolerance: c.halfWidth,
    toleranceReason: 'half-width of the certified interval (95% CI plus next-term bias)', detail: c.reason,
  };
}
const claim = defineClaim({
  id: 'sin-layer', statement: 'x + eps*sin(x) converges to dx/dt = sin(x) at order 1',
  check: () => convergesToSinFlow('x + eps*sin(x)'),
  negativeControl: { description: 'each layer steps 2h: x + 2*eps*sin(x)', check: () => convergesToSinFlow('x + 2*eps*sin(x)') },
});
const [r] = await runClaims([claim], { seed: 1 });
console.log(`claim ${r.key}: ${r.evidence.verdict}, slope ${r.evidence.measured.toFixed(3)}; control: ${r.control.verdict}, slope ${r.control.measured.toFixed(3)}; in good standing: ${inGoodStanding(r)}`);
