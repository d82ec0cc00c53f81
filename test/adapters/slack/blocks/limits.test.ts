import { describe, expect, test } from 'vitest';
import { escapeMrkdwn, isolate, mrkdwnWithin, plainWithin, shareBudget, truncate } from '../../../../adapters/slack/blocks/limits.js';

/** Where a text may be cut without splitting a user-perceived character: an oracle independent of `truncate`. */
function boundaries(text: string): Set<number> {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return new Set([...segmenter.segment(text)].map((s) => s.index).concat(text.length));
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeMrkdwn', () => {
  test('when text holds Slack’s control characters, then &, < and > become entities and nothing else changes', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil.example|click> *bold* "q"')).toBe('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; *bold* "q"');
  });

  test('when text already holds an entity, then its & is escaped too (it is text, not markup)', () => {
    expect(escapeMrkdwn('&amp;')).toBe('&amp;amp;');
  });
});

describe('truncate', () => {
  test('when text fits, then it is unchanged', () => {
    expect(truncate('payments-api', 12)).toBe('payments-api');
  });

  test('when text is too long, then it is cut with an ellipsis and is exactly as long as allowed or shorter', () => {
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('abc defghij', 5)).toBe('abc…');
  });

  test.each([
    ['a surrogate pair', '🔑'.repeat(10)],
    ['an emoji with skin tone and zero-width joiners', '👩🏽‍💻'.repeat(10)],
    ['flags (regional indicator pairs)', '🇺🇦🇯🇵'.repeat(10)],
    ['letters with combining marks', 'e\u0301'.repeat(20)],
    ['escaped text', escapeMrkdwn('<a> & <b> & '.repeat(10))],
    ['right-to-left text', 'מפתח التشغيل '.repeat(10)],
    ['Hebrew with points, and Arabic with a number sign (a Prepend mark)', 'שָׁלוֹם \u0600١٢ a&amp;b'.repeat(8)],
    ['CR LF line ends', 'a\r\nb\r\n'.repeat(10)],
  ])('when the text is %s, then no cut at any length splits a character or an entity', (_, text) => {
    const clean = boundaries(text);
    for (let max = 0; max <= text.length; max++) {
      const cut = truncate(text, max);
      const kept = cut.replace(/…$/, '');
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(loneSurrogate);
      expect(cut).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(text.startsWith(kept)).toBe(true);
      expect(clean.has(kept.length), `cut at ${kept.length} of ${JSON.stringify(text)}`).toBe(true);
    }
  });

  test('when an emoji sequence would be split, then the whole sequence goes', () => {
    expect(truncate('ok 👩🏽‍💻👩🏽‍💻', 6)).toBe('ok…');
  });

  test('when an entity would be split, then the whole entity goes', () => {
    expect(truncate('a &amp; b', 4)).toBe('a…');
    expect(truncate('a &amp; b', 7)).toBe('a…');
    expect(truncate('a &amp; b', 8)).toBe('a &amp;…');
  });
});

describe('right-to-left text', () => {
  test('when text holds Hebrew or Arabic, then it is isolated so it cannot reorder what surrounds it', () => {
    expect(isolate('שלום')).toBe('\u2068שלום\u2069');
    expect(isolate('مرحبا')).toBe('\u2068مرحبا\u2069');
    expect(isolate('hello')).toBe('hello');
  });

  test('when isolated text is cut, then the isolate counts against the limit', () => {
    const text = 'ש'.repeat(100);
    expect(plainWithin(text, 50)).toHaveLength(50);
    expect(plainWithin(text, 50).endsWith('…\u2069')).toBe(true);
    expect(mrkdwnWithin('<ש>', 12)).toBe('\u2068&lt;ש&gt;\u2069');
    expect(mrkdwnWithin('<ש>', 10)).toBe('\u2068&lt;ש…\u2069');
  });
});

describe('shareBudget', () => {
  test('when everything fits, then everyone keeps their length', () => {
    expect(shareBudget([3, 5, 2], 100)).toEqual([3, 5, 2]);
  });

  test('when it does not, then the short keep theirs and the long split the rest evenly', () => {
    expect(shareBudget([5000, 10, 5000], 1010)).toEqual([500, 10, 500]);
  });

  test('when there is no budget, then nobody gets anything', () => {
    expect(shareBudget([5, 5], -3)).toEqual([0, 0]);
  });
});
