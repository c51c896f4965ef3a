// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { sanitizeHtml, textToHtml } from './safe-html.js';

describe('sanitizeHtml', () => {
  it('keeps formatting, drops script, handlers, styles and unsafe links', () => {
    const html = sanitizeHtml(
      '<h2 onclick="x()">Title</h2><p style="color:red" class="c">Hi <strong>there</strong><script>alert(1)</script></p>' +
        '<a href="javascript:alert(1)">bad</a> <a href="https://example.com/x" target="_blank">good</a>' +
        '<img src="x" onerror="alert(1)" alt="pic"><iframe src="https://evil.test"></iframe><custom-el>kept text</custom-el><img src="https://cdn.test/a.png">',
    );
    expect(html).toBe(
      '<h2>Title</h2><p>Hi <strong>there</strong></p><a>bad</a> ' +
        '<a href="https://example.com/x" rel="noopener noreferrer nofollow">good</a>kept text<img src="https://cdn.test/a.png" alt="">',
    );
  });

  it('turns typed text into escaped paragraphs', () => {
    expect(textToHtml('a < b\nnext line\n\n<script>')).toBe(
      '<p>a &lt; b<br>next line</p><p>&lt;script&gt;</p>',
    );
  });
});
