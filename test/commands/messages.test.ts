/**
 * A message names the input that is wrong (issue 11: `converge --x0 1` blamed --A, whose
 * default is 2-dimensional).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../helpers.ts';

test('converge: a dimension mismatch blames --x0 when --A/--beta are defaults, else names both', async () => {
  const cases: [string[], string][] = [
    [['--x0', '1'], '--x0 has 1 component(s), but the default --A (the C12 problem) is 2×2; give --A and --beta of dimension 1, or an --x0 with 2 components'],
    [['--x0', '1', '--A', '-1'], '--x0 has 1 component(s), but the default --beta (the C12 problem) has 2 entries; give --A and --beta of dimension 1, or an --x0 with 2 components'],
    [['--A', '0,1,0;0,0,1;1,0,0', '--beta', '0,0,0'], '--A is 3×3, but the default --x0 (the C12 problem) has 2 components; give an --x0 with 3 components'],
    [['--x0', '1,2,3', '--A', '0,1,0;0,0,1;1,0,0'], '--x0 has 3 component(s), but the default --beta (the C12 problem) has 2 entries; give --A and --beta of dimension 3, or an --x0 with 2 components'],
    [['--x0', '1,2,3', '--A', '0,1;1,0', '--beta', '0,0,0'], '--A is 2×2, but --x0 has 3 component(s): the dimensions must agree'],
  ];
  for (const [args, msg] of cases) {
    const r = await cli(['converge', ...args, '--depths', '4..64']);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.error, msg);
  }
  const map: [string[], string][] = [
    [['--map', 'x + eps*(-x)'], '--map has 1 component(s), but the default --x0 (the C12 problem) has 2; give an --x0 with 1 component(s)'],
    [['--map', 'x1 + eps*x2; x2', '--x0', '1'], '--map has 2 component(s), but --x0 has 1: the dimensions must agree'],
  ];
  for (const [args, msg] of map) assert.is((await cli(['converge', '--scheme', 'map', ...args, '--depths', '8..64'])).error, msg);
  const ok = await cli(['converge', '--x0', '1', '--A', '-1', '--beta', '0', '--depths', '8..256']);
  assert.is(ok.code, 0, ok.error);
});

test('adjoint-gap: too few depths names --depths', async () => {
  assert.is((await cli(['adjoint-gap', '--scheme', 'euler', '--depths', '8,16'])).error, '--depths: an order needs at least 3 depths, got 2');
});

test('adjoint-gap: a scheme listed twice is refused (it ran twice, two identical columns); gamma --tol names no regulariser', async () => {
  assert.is((await cli(['adjoint-gap', '--scheme', 'euler,euler', '--depths', '8,16,32'])).error, '--scheme lists euler twice');
  assert.is((await cli(['gamma', '--tol', '-1', '--depths', '4'])).error, '--tol must be > 0, got "-1"');
});

test('a long value is echoed capped, not whole (a 5,000-character input made a 5 kB error line)', async () => {
  const long = 'x'.repeat(5000);
  const runs = [
    ['stability', '--activation', long], ['figures', '--formats', long], ['derive', '--out', long],
    ['proofs', long], ['claims', '--list', '--only', long], ['notebook', long], ['converge', '--against', long, '--depths', '4..16'],
    ['gamma', '--optimizer', long, '--depths', '4..16'], ['stability', '--study', long], ['derive', '--seed', long], [long],
  ];
  for (const args of runs) {
    const r = await cli(args);
    assert.is(r.code, 2, args[0]);
    assert.ok((r.error ?? '').length < 300, `${args.slice(0, 2).join(' ')}: ${r.error?.length} characters`);
    assert.match(r.error ?? '', /"x+…x+" \(5000 characters\)/, args.slice(0, 2).join(' '));
  }
});

// Found by the fuzz harness: an unknown figure listed all 29 registered names (a 640-character line).
test('an unknown figure name lists a few registered ones and where to see all, in one short line', async () => {
  const r = await cli(['figures', '--sample', '--only', 'nope', '--formats', 'html', '--out', '/tmp/never-written']);
  assert.is(r.code, 2);
  assert.match(r.error ?? '', /^unknown figure "nope" \(registered: certified-convergence, .*, … \(\d+ in all\); figures --list shows them all\)$/);
  assert.ok((r.error ?? '').length < 300, `${r.error?.length} characters`);
});

test.run();
