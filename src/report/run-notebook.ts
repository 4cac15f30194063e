/**
 * `npm run notebook -- NAME|PATH [--quick] [--seed N] [--out DIR] [--formats …]`: the
 * `depthlimit notebook` command (src/commands/notebook.ts), one runner for both.
 */
import { runCli } from '../cli.ts';

await runCli(['notebook', ...process.argv.slice(2)]);
