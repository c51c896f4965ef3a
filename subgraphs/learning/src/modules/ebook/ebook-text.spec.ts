import { describe, expect, it } from 'vitest';
import { plainText, wordCount } from './ebook-text.js';

describe('ebook text', () => {
  it('extracts plain text with block boundaries and decoded entities, and counts words', () => {
    const html =
      '<h1>Title</h1><p>Hello <em>brave</em>&nbsp;new&nbsp;world &amp; more.</p><ul><li>one</li><li>two</li></ul>';
    expect(plainText(html)).toBe('Title Hello brave new world & more. one two');
    expect(wordCount(html)).toBe(9);
    expect(wordCount('<p>  </p>')).toBe(0);
  });
});
