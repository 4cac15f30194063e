/**
 * The order of a layer map, inferred from its modified equation, against maps whose order is
 * known in closed form: Euler (1), Heun and the explicit midpoint on linear and nonlinear
 * fields (2), RK4's stability polynomial on x' = −x (≥ 4, not exact).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inferLayerOrder, layerOrderOf } from '../../src/experiments/layer-order.ts';
import { derive } from '../../src/symbolic/derive.ts';
import { userError } from '../numeric/ode/helpers.ts';

const map = (m: string) => inferLayerOrder({ layer: 'map', map: m });

test('Euler maps are order 1, Heun / midpoint maps order 2, RK4 on x\' = −x order ≥ 4', () => {
  assert.equal([map('x + eps*sin(x)').order, map('x + eps*sin(x)').exact], [1, true]);
  // Heun on x' = −x: x(1 − ε + ε²/2)
  assert.equal(map('x - eps*x + eps^2*x/2').order, 2);
  // explicit midpoint on x' = sin(x) + t: x + ε f(x + ε/2 f(x, t), t + ε/2)
  assert.equal(map('x + eps*(sin(x + eps/2*(sin(x) + t)) + t + eps/2)').order, 2);
  // a 2-D Euler map of a rotation
  assert.equal(map('x1 + eps*x2; x2 - eps*x1').order, 1);
  const rk4 = map('x*(1 - eps + eps^2/2 - eps^3/6 + eps^4/24)');
  assert.equal([rk4.order, rk4.exact], [4, false]);
  // control: the same polynomial with a wrong ε³ coefficient is only order 2
  assert.equal(map('x*(1 - eps + eps^2/2 - eps^3/5 + eps^4/24)').order, 2);
});

test('a derivation of too low an order is re-derived at order 4 to decide', () => {
  const dv = derive({ layer: 'map', map: 'x - eps*x + eps^2*x/2' }, 1);
  assert.equal(layerOrderOf(dv).order, 2);
});

test('a term that is zero only by a trigonometric identity is refused, not guessed', () => {
  // f_2 = x(sin²t + cos²t)/2 − x/2 is zero, but not in the polynomial algebra
  assert.throws(() => map('x + eps*x + eps^2*(x/2)*(sin(t)^2 + cos(t)^2)'), userError(/cannot infer the layer's order: f_2/));
});

test.run();
