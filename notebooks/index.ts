/**
 * Every notebook `npm start` runs, in report order (maintained by the lead). Each entry is the
 * default export of `notebooks/<name>.ts` (`export default defineNotebook({...})`).
 */
import type { Notebook } from '../src/report/notebook.ts';

export const notebooks: Notebook[] = [];
