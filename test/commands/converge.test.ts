/** `depthlimit converge`: the error ladder and certificate, --json, exit codes, and bad input. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../helpers.ts';
import { parseDepths } from '../../src/commands/args.ts';

test('converge prints the ladder and certifies order 1 for the FF net (default problem)', async () => {
  const r = await cli(['converge', '--depths', '4..1024']);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /certificate: order 1: slope 1\.0\d+ ± 0\.\d+ \(95% CI \+ next-term bias; fit C·h\^s \+ D·h\^\(s\+1\); \d+ of 9 points\)/);
  assert.match(r.out, /^1024\s/m);
  assert.match(r.out, /rule: drop errors/);
});

test('--json gives the ladder, certificate and reference; --against modified certifies order 2', async () => {
  const r = await cli(['converge', '--scheme', 'euler', '--against', 'modified', '--depths', '8,16,32,64,128,256', '--json']);
  assert.is(r.code, 0, r.error);
  const j = JSON.parse(r.out);
  assert.equal(j.depths, [8, 16, 32, 64, 128, 256]);
  assert.is(j.err.length, 6);
  assert.is(j.certificate.verdict, 'order');
  assert.is(j.certificate.expected, 2);
  assert.is(j.certificate.model, 'two-term', 'the certificate says which error model was fitted');
  assert.is(j.certificate.nextOrder, 1);
  assert.ok(j.certificate.ci[0] <= 2 && 2 <= j.certificate.ci[1], 'the interval itself contains the order');
  assert.ok(j.reference.errorEstimate < 1e-9);
});

test('a --map layer with its own constants; too few depths is inconclusive (exit 1)', async () => {
  const ok = await cli(['converge', '--scheme', 'map', '--map', 'x + eps*(-c*x + sin(t))', '--const', 'c=2', '--x0', '1', '--depths', '8..512']);
  assert.is(ok.code, 0, ok.error);
  // Negative control from the command line: a layer stepping 2h converges elsewhere.
  const mis = await cli(['converge', '--step-scale', '2', '--depths', '4..1024']);
  assert.is(mis.code, 1);
  assert.match(mis.out, /mis-scaled control/);
  assert.match(mis.out, /certificate: inconclusive/);
  const few = await cli(['converge', '--depths', '4,8']);
  assert.is(few.code, 1);
  assert.match(few.out, /inconclusive/);
});

test('--map: the expected order is inferred and shown; --expect overrides it and keeps the inferred one beside it', async () => {
  const heun = 'x + eps/2*((-x) + (-(x + eps*(-x))))'; // one Heun step of dx/dt = −x: global order 2
  const r = await cli(['converge', '--scheme', 'map', '--map', heun, '--x0', '1', '--depths', '8..256']);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /expected order: 2 \(inferred from the map's ε-series: Φ_ε first differs from the time-ε flow of the ODE dx\/dt = f₁ at ε³/);
  assert.match(r.out, /certificate: order 2:/);
  const j = JSON.parse((await cli(['converge', '--scheme', 'map', '--map', heun, '--x0', '1', '--depths', '8..256', '--expect', '1', '--json'])).out);
  assert.is(j.expected, 1);
  assert.is(j.expectation.source, 'given');
  assert.is(j.expectation.inferred.order, 2);
  assert.is(j.certificate.verdict, 'at least'); // slope 2 against an expected 1: superconvergent
  const builtin = await cli(['converge', '--scheme', 'rk4', '--depths', '4..64', '--expect', '3']);
  assert.match(builtin.out, /expected order: 3 \(given; the layer's own order is 4 \(DIFFERENT\), declared by the rk4 scheme\)/);
  const bad = await cli(['converge', '--expect', '0']);
  assert.is(bad.code, 2);
  assert.match(bad.error ?? '', /--expect must be a positive order/);
});

test('--scheme verlet: the Hamiltonian network of A, β, g on (x, p) certifies order 2; a 2h step is inconclusive (exit 1)', async () => {
  const r = await cli(['converge', '--scheme', 'verlet', '--p0', '0.5,0', '--depths', '8..1024']);
  assert.is(r.code, 0, r.error);
  assert.match(r.out, /verlet net vs the Hamiltonian network .* \(x0, p0\) = \(1, -0\.5, 0\.5, 0\)/);
  assert.match(r.out, /f₁\[4\] = /);
  assert.match(r.out, /certificate: order 2: slope (1\.9[6-9]|2\.0[0-4])\d* ±/);
  const c = await cli(['converge', '--scheme', 'verlet', '--step-scale', '2', '--depths', '8..1024']);
  assert.is(c.code, 1, c.out);
  assert.match(c.out, /certificate: inconclusive \(expected 2\)/);
});

test('depth lists: ranges double, explicit lists are kept', () => {
  assert.equal(parseDepths('4..64'), [4, 8, 16, 32, 64]);
  assert.equal(parseDepths('3..20'), [3, 6, 12]);
  assert.equal(parseDepths(' 5, 10,20 '), [5, 10, 20]);
});

test('bad input is one UserError line (exit 2)', async () => {
  const cases: [string[], RegExp][] = [
    [['--scheme', 'rk5'], /unknown scheme "rk5"/],
    [['--depths', ''], /empty/],
    [['--depths', '8,4'], /increase strictly/],
    [['--depths', '0,4'], /positive integer/],
    [['--depths', '4,x'], /not an integer/],
    [['--x0', '1,nan'], /not a finite number/],
    [['--T', 'inf'], /not a finite number/],
    [['--T=-1'], /positive/],
    [['--const', 'gamma=1e999'], /not a finite number/],
    [['--against', 'pde'], /ode or modified/],
    [['--step-scale', '0'], /must be positive/],
    [['--rtol', '6e-323'], /--rtol must lie in \[2\.2e-16, 1e-3\)/],
    [['--rtol', '1e-3'], /--rtol must lie in/],
    [['--scheme', 'rk4', '--against', 'modified'], /first-order layer/],
    [['--scheme', 'verlet', '--against', 'modified'], /first-order layer/],
    [['--scheme', 'verlet', '--p0', '1'], /--p0 has 1 component/],
    [['--scheme', 'verlet', '--p0', '1,x'], /--p0 component 2/],
    [['--p0', '1,0'], /--p0 is the initial momentum of --scheme verlet/],
    [['--scheme', 'verlet', '--map', 'x + eps*x', '--x0', '1'], /--map defines its own layer/],
    [['--A', '1,2,3'], /--A: expected a 2×2 matrix/],
    [['--map', 'tanh(x + eps)', '--scheme', 'map', '--x0', '1'], /not near-identity/],
    [['--scheme', 'euler', '--g=-z^3', '--A', '0,0;0,0', '--beta', '0,0', '--x0', '10,0', '--depths', '8,16'], /diverged: non-finite state at layer 6/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(['converge', ...args]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.out}`);
    assert.match(r.error ?? '', re, args.join(' '));
    assert.not.match(r.error ?? '', /\n/);
  }
});

test.run();
