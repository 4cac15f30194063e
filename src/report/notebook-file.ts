/**
 * A researcher's notebook file (.js/.mjs; .ts/.mts when tsx is installed), loaded from any
 * folder: its default export (or `notebook` export), checked by defineNotebook. Used by
 * `depthlimit notebook PATH` and the API's runNotebook(path); every failure is one UserError
 * naming the file.
 */
import { UserError } from '../util/errors.ts';
import type { Notebook } from './notebook.ts';

export async function loadNotebookFile(path: string): Promise<Notebook> {
  const [{ loadUserModule }, { defineNotebook }] = await Promise.all([import('../util/user-module.ts'), import('./notebook.ts')]);
  const mod = await loadUserModule(path, 'notebook');
  const candidate = mod['default'] ?? mod['notebook'];
  if (candidate === undefined) throw new UserError(`notebook: ${path} has no default export (export default { name, title, summary, run(nb) { … } })`);
  try {
    return defineNotebook(candidate as Notebook);
  } catch (e) {
    throw new UserError(`notebook: ${path}: ${(e as Error).message}`);
  }
}
