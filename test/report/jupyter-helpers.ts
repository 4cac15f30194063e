/** What the Jupyter tests share: the .ipynb shape they read and what a kernel shows for a record. */
import type { NotebookRecord } from '../../src/report/notebook.ts';
import { blockMarkdown } from '../../src/report/pages.ts';

export type Ipynb = { cells: { cell_type: string; source: string[]; outputs?: { output_type: string; data?: Record<string, string[] | string>; ename?: string }[] }[] };

/** What a kernel displays for a record, as (mime, text) pairs, timing log lines left out. */
export function expectedDisplays(rec: NotebookRecord): [string, string][] {
  const links = { href: '../figures/', staticFiles: false };
  return rec.blocks.filter((b) => b.kind !== 'figure').map((b) => (b.kind === 'tex' ? ['text/latex', `$$${b.tex}$$`] : ['text/markdown', blockMarkdown(b, rec, links).join('\n')]));
}
