import { describe, expect, it } from 'vitest';
import {
  autoFlags,
  badWordsFlag,
  DEFAULT_BAD_WORDS,
  foldText,
  linksOf,
  linkSpamFlag,
  plainText,
  riskScore,
  severityOf,
} from './auto-flags.js';

describe('severity from the risk score', () => {
  it('uses the thresholds 80 / 60 / 35 exactly', () => {
    expect([0, 34, 35, 59, 60, 79, 80, 100].map(severityOf)).toEqual([
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
  });

  it('adds 20 per report to the flags, capped at 100', () => {
    expect(riskScore(0, 1)).toBe(20);
    expect(riskScore(40, 2)).toBe(80);
    expect(riskScore(100, 3)).toBe(100);
  });
});

describe('bad words', () => {
  it('matches whole words and phrases, folding case, accents and look-alikes', () => {
    expect(foldText('Héllo, W0rld!')).toBe(' hello world ');
    expect(badWordsFlag('What a SH1T take', DEFAULT_BAD_WORDS)).toEqual({
      kind: 'BAD_WORDS',
      score: 40,
      details: { words: ['shit'] },
    });
    // Not inside other words ("Scunthorpe", "shitake" is a different word).
    expect(badWordsFlag('Scunthorpe shitake', DEFAULT_BAD_WORDS)).toBeNull();
    expect(badWordsFlag('please kill   yourself', DEFAULT_BAD_WORDS)?.details).toEqual({
      words: ['kill yourself'],
    });
  });

  it('scores 40, 60, 80 for one, two, three distinct words (repeats count once)', () => {
    const words = ['alpha', 'beta', 'gamma'];
    expect(badWordsFlag('alpha alpha', words)?.score).toBe(40);
    expect(badWordsFlag('alpha beta', words)?.score).toBe(60);
    expect(badWordsFlag('alpha beta gamma', words)?.score).toBe(80);
  });
});

describe('link spam', () => {
  it('finds anchors and written URLs once each', () => {
    const html =
      '<p>See <a href="https://Example.com/a/">https://example.com/a</a> and www.other.org/x, ok?</p>';
    expect(linksOf(html)).toEqual(['example.com/a', 'other.org/x']);
    expect(plainText('<p>a &amp; b</p><p>c</p>')).toBe('a & b c');
  });

  it('scores too many, repeated and new-member links', () => {
    const links = (n: number) => Array.from({ length: n }, (_, i) => `site${i}.com`);
    expect(linkSpamFlag(links(3), { newMember: false })).toBeNull();
    expect(linkSpamFlag(links(4), { newMember: false })?.score).toBe(30);
    expect(linkSpamFlag(links(9), { newMember: false })?.score).toBe(60);
    expect(linkSpamFlag(['a.com', 'a.com', 'a.com'], { newMember: false })).toMatchObject({
      score: 30,
      details: { reasons: ['REPEATED_LINKS'] },
    });
    expect(linkSpamFlag(['a.com'], { newMember: true })).toMatchObject({
      score: 30,
      details: { reasons: ['NEW_MEMBER_LINKS'] },
    });
    expect(linkSpamFlag([...links(9), 'x.com', 'x.com', 'x.com'], { newMember: true })?.score).toBe(100);
    expect(linkSpamFlag([], { newMember: true })).toBeNull();
  });

  it('combines both kinds for a post', () => {
    const flags = autoFlags({
      html: '<p>buy now www.a.com www.a.com www.a.com</p>',
      title: 'fucking deal',
      badWords: [...DEFAULT_BAD_WORDS, 'buy now'],
      newMember: false,
    });
    expect(flags.map((f) => [f.kind, f.score])).toEqual([
      ['BAD_WORDS', 60],
      ['LINK_SPAM', 30],
    ]);
  });
});
