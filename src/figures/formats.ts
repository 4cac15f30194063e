/** Output formats of a figure export; a module of its own so the CLI's option help loads no exporter. */
import { quote, UserError } from '../util/errors.ts';
import { chromiumAvailable, chromiumPath } from '../util/chromium.ts';

export const FORMATS = ['html', 'svg', 'png', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];

/** '--formats html,svg' → ['html', 'svg']; UserError on an unknown format, or on static formats only when Chromium is missing. */
export function parseFormats(s: string): Format[] {
  const list = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  if (!list.length) throw new UserError('--formats is empty (choose from html,svg,png,pdf)');
  for (const f of list) if (!(FORMATS as readonly string[]).includes(f)) throw new UserError(`unknown format ${quote(f)} (choose from ${FORMATS.join(',')})`);
  // without Chromium only HTML can be written: SVG/PNG/PDF alone would write none of what was
  // asked for, yet end as if it had (exit 0, "HTML only")
  const unique = [...new Set(list)] as Format[];
  if (!unique.includes('html') && !chromiumAvailable()) {
    throw new UserError(`--formats ${unique.join(',')} needs Chromium, not found at ${chromiumPath()}: install it (apt-get install -y chromium) or add html`);
  }
  return unique;
}
