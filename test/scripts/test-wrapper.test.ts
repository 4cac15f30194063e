/**
 * scripts/test.mjs counts a test that needs Chromium as skipped, never passed, when Chromium is
 * missing: the report tests run with DEPTHLIMIT_CHROMIUM pointing nowhere (CI unset, so a
 * missing browser skips instead of failing) and the closing line must count every
 * `chromiumTest` of that file as skipped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

test('without Chromium, its tests are "skipped" in the closing line N passed, N failed, N skipped', () => {
  const file = readFileSync('test/report/report.test.ts', 'utf8');
  const needsChromium = (file.match(/^chromiumTest\(/gm) ?? []).length;
  assert.ok(needsChromium >= 3, `report.test.ts registers ${needsChromium} Chromium tests`);
  const env: NodeJS.ProcessEnv = { ...process.env, DEPTHLIMIT_CHROMIUM: '/nonexistent/chromium' };
  delete env['CI'];
  const r = spawnSync(process.execPath, ['scripts/test.mjs', 'test', 'report/report\\.test'], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  const m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(last);
  assert.ok(m, `closing line: ${JSON.stringify(last)}\n${r.stderr.slice(-2000)}`);
  assert.is(Number(m![2]), 0, `no failures: ${last}`);
  assert.is(Number(m![3]), needsChromium, `every Chromium test skipped: ${last}`);
  assert.ok(Number(m![1]) >= 1, 'the browser-free test still runs');
  assert.is(r.status, 0);
  assert.match(r.stdout, /Chromium not found at \/nonexistent\/chromium: its tests are skipped/);
});

test.run();
