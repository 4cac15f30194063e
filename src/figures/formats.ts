/** Output formats of a figure export; a module of its own so the CLI's option help loads no exporter. */
import { quote, UserError } from '../util/errors.ts';

export const FORMATS = ['html', 'svg', 'png', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];

/** '--formats html,svg' → ['html', 'svg']; UserError on an unknown format. */
export function parseFormats(s: string): Format[] {
  const list = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  if (!list.length) throw new UserError('--formats is empty (choose from html,svg,png,pdf)');
  for (const f of list) if (!(FORMATS as readonly string[]).includes(f)) throw new UserError(`unknown format ${quote(f)} (choose from ${FORMATS.join(',')})`);
  return [...new Set(list)] as Format[];
}
