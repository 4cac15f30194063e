/**
 * Tests that need Chromium. uvu has no runtime skip, but whether Chromium is installed is
 * known when a test is registered: such a test registers through `chromiumTest`, which hands it
 * to uvu's own `test.skip` when Chromium is missing, so uvu counts it under "Skipped" and the
 * closing line of scripts/test.mjs says `N skipped` (never "passed"). Under CI (CI=true or 1) a
 * missing Chromium is a failure instead: CI installs it (.ci/run), so there every such test runs.
 */
import { test as uvuTest, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromiumAvailable, chromiumPath } from '../src/figures/browser.ts';

const CI = process.env['CI'] === 'true' || process.env['CI'] === '1';
let told = false;

/** Register `fn` as test `name` of suite `test` (default: uvu's default suite) if Chromium is installed; otherwise as skipped. */
export function chromiumTest(name: string, fn: () => unknown, test: Test = uvuTest): void {
  if (chromiumAvailable()) test(name, fn as () => void);
  else if (CI) test(name, () => assert.unreachable(`Chromium is required under CI; not found at ${chromiumPath()} (.ci/run installs it)`));
  else {
    if (!told) console.log(`  Chromium not found at ${chromiumPath()}: its tests are skipped (apt-get install -y chromium)`);
    told = true;
    test.skip(name, fn as () => void);
  }
}
