/**
 * A name a user types (an activation, a scheme, a constant) is looked up among the object's own
 * keys only: 'constructor', '__proto__', 'toString' must never find Object.prototype's members.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getActivation } from '../../src/numeric/activations.ts';
import { expectedGapOrder } from '../../src/experiments/adjoint-gap.ts';
import { parseConstants } from '../../src/commands/args.ts';
import { UserError } from '../../src/util/errors.ts';
import { cli } from '../helpers.ts';

const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

test('getActivation and expectedGapOrder: Object.prototype names are unknown names', () => {
  for (const n of PROTO_NAMES) {
    assert.throws(() => getActivation(n), (e: unknown) => e instanceof UserError && /unknown activation/.test((e as Error).message), n);
    assert.throws(() => expectedGapOrder(n), (e: unknown) => e instanceof UserError && /unknown scheme/.test((e as Error).message), n);
  }
  assert.is(getActivation('tanh').name, 'tanh');
  assert.is(expectedGapOrder('rk4'), 4);
});

test('parseConstants: own keys only, no inherited ones, a name given twice is an error', () => {
  const c = parseConstants('constructor=1, __proto__=2, gamma=0.5');
  assert.equal(Object.keys(c), ['constructor', '__proto__', 'gamma']);
  assert.is(c['__proto__'], 2);
  assert.not.ok('toString' in parseConstants('a=1'), 'an undeclared name finds nothing');
  assert.throws(() => parseConstants('gamma=1,gamma=2'), /gamma is given twice/);
});

test('--activation / --scheme with an Object.prototype name exits 2 with one line (stability, gamma, adjoint-gap)', async () => {
  for (const n of PROTO_NAMES) {
    const runs: [string[], RegExp][] = [
      [['stability', '--activation', n], /unknown activation/],
      [['gamma', '--activation', n, '--depths', '4..16'], /unknown activation/],
      [['adjoint-gap', '--activation', n, '--scheme', 'euler', '--depths', '8,16,32'], /unknown activation/],
      [['adjoint-gap', '--scheme', n, '--depths', '8,16,32'], /unknown scheme/],
      [['converge', '--scheme', n, '--depths', '4..64'], /unknown scheme/],
      [['stability', '--method', n], /unknown method/],
    ];
    for (const [args, re] of runs) {
      const r = await cli(args);
      assert.is(r.code, 2, args.join(' '));
      assert.match(r.error ?? '', re, args.join(' '));
    }
  }
});

test.run();
