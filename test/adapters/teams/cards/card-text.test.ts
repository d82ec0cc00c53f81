import { describe, expect, test } from 'vitest';
import { cardText, cutText, isolate, markdownSafe } from '../../../../adapters/teams/cards/card-text.js';
import { isWellFormedText } from '../../../../src/inventory/well-formed-text.js';

const wj = '\u2060';

describe('markdownSafe', () => {
  test.each([
    ['plain words', 'Deploys the checkout service', 'Deploys the checkout service'],
    ['a link', '[Verify your key](https://evil.example)', `[Verify your key]${wj}(https://evil.example)`],
    ['a link by reference', '[docs][1]\n[1]: https://evil.example', `[docs]${wj}[1]\n[1]${wj}: https://evil.example`],
    ['a bare URL, left to show where it goes', 'https://runbooks.example/rotate?key=ci&env=prod', 'https://runbooks.example/rotate?key=ci&env=prod'],
    ['bold', '**urgent**', '\\*\\*urgent\\*\\*'],
    ['a lone star, which pairs with nothing', 's3:*', 's3:*'],
    ['two wildcards', 's3:Get* s3:Put*', 's3:Get\\* s3:Put\\*'],
    ['underscores inside words', 'ci_token_prod and rotate_key', 'ci_token_prod and rotate_key'],
    ['underscores around a word', 'the _only_ key', 'the \\_only\\_ key'],
    ['a code span', 'run `rm -rf` now `x`', 'run \\`rm -rf\\` now \\`x\\`'],
    ['strike-through', '~~prod~~', '\\~\\~prod\\~\\~'],
    ['a home directory', '~/keys', '~/keys'],
    ['list items and a quote', '- one\n+ two\n* three\n1. four\n2) five\n> six\n# seven', `${wj}- one\n${wj}+ two\n${wj}* three\n${wj}1. four\n${wj}2) five\n${wj}> six\n${wj}# seven`],
    ['a rule and a heading underline', 'Title\n===\n---', `Title\n${wj}===\n${wj}---`],
    ['a number that starts no list', '3.5 GB, 2026-11-09', '3.5 GB, 2026-11-09'],
    ['an entity', '&lt;b&gt; &#60; &amp; R&D', `&${wj}lt;b&${wj}gt; &${wj}#60; &${wj}amp; R&D`],
    ['a backslash before punctuation', 'C:\\keys\\*.pem and a\\b', 'C:\\keys\\\\*.pem and a\\b'],
    ['control characters', 'a\u0000b\u001bc\td\r\ne', 'a\uFFFDb\uFFFDc\td\ne'],
    ['right-to-left text', 'מפתח התשלומים _שלנו_', 'מפתח התשלומים \\_שלנו\\_'],
  ])('when text holds %s, then it shows as written', (_, raw, safe) => {
    expect(markdownSafe(raw)).toBe(safe);
  });
});

describe('cutText', () => {
  test('when text fits, then it is unchanged; when not, it ends in an ellipsis within the length', () => {
    expect(cutText('abc', 3)).toBe('abc');
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(cutText('abc def', 5)).toBe('abc…');
    expect(cutText('abcdef', 1)).toBe('…');
    expect(cutText('abcdef', 0)).toBe('');
  });

  test('when a cut would fall inside a surrogate pair, an emoji sequence or a combining mark, then it falls before it', () => {
    const texts = ['🔑'.repeat(50), '👩🏽‍💻🇺🇦'.repeat(20), 'e\u0301'.repeat(50), 'מפתח-🔑-'.repeat(20)];
    for (const text of texts) {
      for (let max = 1; max < 60; max++) {
        const cut = cutText(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(isWellFormedText(cut)).toBe(true);
        expect(text.startsWith(cut.replace(/…$/, ''))).toBe(true);
      }
    }
    expect(cutText('a👩🏽‍💻b', 5)).toBe('a…');
  });
});

describe('cardText', () => {
  test('when text is right-to-left, then it is cut, made safe and isolated, in that order', () => {
    expect(isolate('abc')).toBe('abc');
    expect(cardText('واجهة *الدفع*', 100)).toBe('\u2068واجهة \\*الدفع\\*\u2069');
    expect(cardText('**'.repeat(10), 5)).toBe('\\*\\*\\*\\*…');
  });
});
