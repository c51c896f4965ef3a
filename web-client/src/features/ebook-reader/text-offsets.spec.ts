// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { offsetOf, textModel, wrapRange } from './text-offsets.js';

function chapter(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html;
  return root;
}

describe('chapter text offsets', () => {
  it('builds the plain text learning indexes: block ends and <br> are spaces, whitespace collapses, trimmed', () => {
    const root = chapter('  <h2>Title</h2>\n<p>One  <em>two</em>\nthree</p><p>Four<br>five &amp; six</p>  ');
    expect(textModel(root).text).toBe('Title One two three Four five & six');
  });

  it('maps a selection boundary in a text node to its plain-text offset', () => {
    const root = chapter('<p>Hello</p><p>big <strong>wide</strong> world</p>');
    const model = textModel(root);
    const strong = root.querySelector('strong')!.firstChild!;
    expect(offsetOf(model, root, strong, 0)).toBe(model.text.indexOf('wide'));
    expect(offsetOf(model, root, strong, 4)).toBe(model.text.indexOf('wide') + 4);
    expect(offsetOf(model, root, document.createTextNode('x'), 0)).toBeNull();
  });

  it('wraps a range across elements in marks without changing the text', () => {
    const root = chapter('<p>Hello</p><p>big <strong>wide</strong> world</p>');
    const before = textModel(root).text;
    const start = before.indexOf('big');
    const end = before.indexOf('world') + 2;
    wrapRange(root, start, end, () => document.createElement('mark'));
    expect([...root.querySelectorAll('mark')].map((m) => m.textContent).join('|')).toBe('big |wide| wo');
    expect(textModel(root).text).toBe(before);
  });
});
