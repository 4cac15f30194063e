/**
 * A bounded memo of text → text for pure, deterministic engines (nerdamer's diff and expand,
 * Algebrite's expand, KaTeX's render): the same input text comes back often (proofs/ checks the same layer map
 * in two files and applies D(F, x) in several steps; a derivation differentiates one field per
 * component), and the answer is a function of the text alone. A failure is not kept (the call
 * throws again). Oldest entries leave first, so a long-lived process does not grow without limit.
 */
export class TextMemo {
  private readonly map = new Map<string, string>();

  constructor(private readonly entries = 4096, private readonly maxKeyChars = 200_000) {}

  get(key: string, compute: () => string): string {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const out = compute();
    if (key.length <= this.maxKeyChars) {
      if (this.map.size >= this.entries) this.map.delete(this.map.keys().next().value!);
      this.map.set(key, out);
    }
    return out;
  }
}
