import { describe, expect, it } from 'vitest';
import { sanitizeLessonHtml } from './sanitize.js';

describe('sanitizeLessonHtml', () => {
  it('keeps formatting, lists, code and safe links', () => {
    const html =
      '<h2>Intro</h2><p>Hello <strong>world</strong> <a href="https://example.com">x</a></p><ul><li>a</li></ul><pre><code class="language-ts">let a = 1;</code></pre>';
    expect(sanitizeLessonHtml(html)).toBe(
      '<h2>Intro</h2><p>Hello <strong>world</strong> <a href="https://example.com" rel="noopener noreferrer nofollow">x</a></p><ul><li>a</li></ul><pre><code class="language-ts">let a = 1;</code></pre>',
    );
  });

  it('removes scripts, event handlers, styles, iframes and dangerous URLs', () => {
    const html =
      '<p onclick="steal()">a<script>alert(1)</script></p><style>p{}</style><iframe src="https://evil"></iframe>' +
      '<a href="javascript:alert(1)">x</a><img src="data:image/png;base64,AAAA" onerror="x()"><img src="http://plain/a.png">' +
      '<form><input name="p"></form><span class="evil">s</span>';
    const clean = sanitizeLessonHtml(html);
    expect(clean).toBe('<p>a</p><a rel="noopener noreferrer nofollow">x</a><img /><img /><span>s</span>');
    expect(clean).not.toMatch(/script|onclick|onerror|iframe|javascript|data:|style|form|input/i);
  });
});
