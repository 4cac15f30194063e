/** Notebook prose through markdown-it with the hand-wired KaTeX rules (src/report/markdown.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderInline, renderProse } from '../../src/report/markdown.ts';

const strip = (html: string) => html.replace(/<span class="katex">[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>[\s\S]*?<\/span><\/span><\/span>(<\/span>)*/g, 'TEX[$1]');

test('nested lists keep their nesting, with math in the items', () => {
  const html = renderProse('- outer $x_1$\n  - inner one\n  - inner two\n- outer two\n\n1. first\n   1. sub');
  assert.match(html, /<ul>\s*<li>outer <span class="katex">[\s\S]*<ul>\s*<li>inner one<\/li>\s*<li>inner two<\/li>\s*<\/ul>\s*<\/li>\s*<li>outer two<\/li>\s*<\/ul>/);
  assert.match(html, /<ol>\s*<li>first\s*<ol>\s*<li>sub<\/li>/);
});

test('tables and block quotes, with math in cells and quotes', () => {
  const html = renderProse('| scheme | order |\n|---|---:|\n| Euler $h$ | 1 |\n\n> the limit is $\\dot x = f(x)$\n> second line');
  assert.match(html, /<table>[\s\S]*<th>scheme<\/th>[\s\S]*<td>Euler <span class="katex">/);
  assert.match(html, /<td style="text-align:right">1<\/td>/);
  assert.match(html, /<blockquote>\s*<p>the limit is <span class="katex">[\s\S]*second line<\/p>\s*<\/blockquote>/);
});

test('math is TeX, not Markdown: emphasis marks, underscores and pipes inside $…$ stay TeX; \\$ is a dollar', () => {
  const html = renderProse('A $a*b*c$ and $x_1 + y_2$ cost \\$5, *em*');
  assert.match(strip(html), /TEX\[a\*b\*c\]/);
  assert.match(strip(html), /TEX\[x_1 \+ y_2\]/);
  assert.match(html, /cost \$5, <em>em<\/em>/);
  assert.not.match(html, /a<em>b/);
});

test('display math: a $$ block on its own lines and $$…$$ inside a paragraph; headings sit under the page headings', () => {
  const html = renderProse('Text\n\n$$\n\\dot x = Ax\n  + \\beta\n$$\n\n# Section $k$\n\nInline $$y = 1$$ too.');
  assert.match(html, /<div class="math"><span class="math-display">/);
  assert.match(html, /x-tex">\\displaystyle \\dot x = Ax\n\+ \\beta</);
  assert.match(html, /<h3>Section <span class="katex">/);
  assert.match(html, /<p>Inline <span class="math-display">/);
});

test('raw HTML is escaped; an unclosed $ is an error naming its source; code keeps dollars', () => {
  assert.match(renderProse('<script>alert(1)</script> <b>x</b>'), /&lt;script&gt;alert\(1\)&lt;\/script&gt; &lt;b&gt;x&lt;\/b&gt;/);
  assert.throws(() => renderProse('costs $5 today', 'notebook demo'), /notebook demo: unclosed \$/);
  assert.throws(() => renderProse('$$\n\\dot x\n', 'notebook demo'), /notebook demo: unclosed \$\$/);
  assert.match(renderInline('`$PATH` and $x$'), /<code>\$PATH<\/code> and <span class="katex">/);
});

test('links pass, javascript: links do not', () => {
  assert.match(renderInline('[paper](https://arxiv.org/abs/1) ok'), /<a href="https:\/\/arxiv.org\/abs\/1">paper<\/a>/);
  assert.not.match(renderInline('[x](javascript:alert(1))'), /href="javascript/);
});

test.run();
