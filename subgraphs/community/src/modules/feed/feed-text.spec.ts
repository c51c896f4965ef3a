import { describe, expect, it } from 'vitest';
import { assertEmoji, excerptOf, mentionsOf, normaliseTags, richText, titleOf } from './feed-text.js';

describe('feed text rules', () => {
  it('accepts one emoji grapheme (modifiers, ZWJ sequences, flags, keycaps) and nothing else', () => {
    for (const emoji of ['👍', '👍🏽', '❤️', '👩‍💻', '🇵🇹', '1️⃣', '🏳️‍🌈', '©️'])
      expect(assertEmoji(` ${emoji} `)).toBe(emoji);
    for (const bad of ['', ' ', 'a', '1', '#', '👍👍', 'x👍', '🇵🇹🇵', '🇵', '<3', ':)', '\u200d'])
      expect(() => assertEmoji(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_EMOJI' }),
      );
  });

  it('normalises tags: lowercase, no leading #, dashes for spaces, unique, ≤ 12 of 1–32 characters', () => {
    expect(normaliseTags(['#GraphQL', ' graph  QL ', 'graphql', 'C_sharp', 'Ünïcode'])).toEqual([
      'graphql',
      'graph-ql',
      'c_sharp',
      'ünïcode',
    ]);
    for (const bad of [
      ['#'],
      ['-x'],
      ['a!'],
      ['x'.repeat(33)],
      Array.from({ length: 13 }, (_, i) => `t${i}`),
    ])
      expect(() => normaliseTags(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(normaliseTags(Array.from({ length: 13 }, () => 'same'))).toEqual(['same']);
  });

  it('finds @handles (not e-mail addresses) and de-duplicates explicit mentions', () => {
    const id = '0b9a8c1e-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
    expect(
      mentionsOf('Hi @Ada and @ada, @bob_1. Mail a@b.com; @x. (@team.lead)', [id, id.toUpperCase()]),
    ).toEqual({
      userIds: [id],
      handles: ['ada', 'bob_1', 'x', 'team.lead'],
    });
    expect(() => mentionsOf('', ['nope'])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('sanitises rich text like lesson bodies and measures its text', () => {
    const body = richText(
      '<h1>Big</h1><p style="color:red" onclick="x()">Hi <a href="https://x.test" target="_blank">link</a></p><img src="https://x.test/a.png"><table><tr><td>t</td></tr></table>',
      'body',
      100,
    );
    expect(body.html).toBe(
      'Big<p>Hi <a href="https://x.test" target="_blank" rel="noopener noreferrer nofollow">link</a></p>t',
    );
    expect(body.text).toBe('BigHi link\nt');
    expect(() => richText('<p> </p>', 'body', 10)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => richText('x'.repeat(11), 'body', 10)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(excerptOf('word '.repeat(100))).toHaveLength(280);
    expect(titleOf('  ')).toBeNull();
    expect(() => titleOf('t'.repeat(201))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
