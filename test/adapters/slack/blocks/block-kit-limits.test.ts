import { describe, expect, test } from 'vitest';
import { checkBlockKitLimits, findBlockKitViolation, findViewViolation } from '../../../support/block-kit-limits.js';

/** The checker the rendering tests trust: each limit it claims to check, it catches, with the path. */

const text = (t: string) => ({ type: 'plain_text', text: t });
const md = (t: string) => ({ type: 'mrkdwn', text: t });
const button = (overrides: Record<string, unknown> = {}) => ({ type: 'button', action_id: 'attest.confirm', text: text('Confirm'), value: '1', ...overrides });
const actions = (...elements: unknown[]) => ({ type: 'actions', elements });

describe('checkBlockKitLimits', () => {
  test('when every limit holds, then it passes', () => {
    const blocks = [{ type: 'header', text: text('Hi') }, { type: 'section', text: md('a &amp; b <https://x.example/a?b=1&amp;c=2>') }, { type: 'divider' }, actions(button())];
    expect(findBlockKitViolation(blocks)).toBeNull();
    expect(() => checkBlockKitLimits(blocks)).not.toThrow();
  });

  test.each([
    ['51 blocks in a message', Array.from({ length: 51 }, () => ({ type: 'divider' })), 'blocks: 51 blocks > 50 (message)'],
    ['a long header', [{ type: 'header', text: text('h'.repeat(151)) }], 'blocks[0].text.text: 151 characters > 150'],
    ['mrkdwn in a header', [{ type: 'header', text: md('h') }], 'blocks[0].text.type: mrkdwn is not allowed here (plain_text only)'],
    ['a long section', [{ type: 'section', text: md('s'.repeat(3001)) }], 'blocks[0].text.text: 3001 characters > 3000'],
    ['an empty text', [{ type: 'section', text: md('') }], 'blocks[0].text.text: 0 characters < 1'],
    ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => md('f')) }], 'blocks[0].fields: 11 fields > 10'],
    ['a long field', [{ type: 'section', fields: [md('f'.repeat(2001))] }], 'blocks[0].fields[0].text: 2001 characters > 2000'],
    ['a long button label', [actions(button({ text: text('b'.repeat(76)) }))], 'blocks[0].elements[0].text.text: 76 characters > 75'],
    ['a long action id', [actions(button({ action_id: 'a'.repeat(256) }))], 'blocks[0].elements[0].action_id: 256 characters > 255'],
    ['a long value', [actions(button({ value: 'v'.repeat(2001) }))], 'blocks[0].elements[0].value: 2001 characters > 2000'],
    ['26 buttons', [actions(...Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })))], 'blocks[0].elements: 26 elements, not 1 to 25'],
    ['one action id twice in a block', [actions(button(), button())], 'blocks[0].elements[1].action_id: attest.confirm is used twice in one block'],
    ['a block id twice', [{ type: 'divider', block_id: 'x' }, { type: 'divider', block_id: 'x' }], 'blocks[1].block_id: x is used twice'],
    ['a half surrogate pair', [{ type: 'section', text: md('key 🔑'.slice(0, 5)) }], 'blocks[0].text.text: splits a surrogate pair'],
    ['an unescaped <', [{ type: 'section', text: md('<!channel>') }], 'blocks[0].text.text: has an unescaped < or > in "<!channel>"'],
    ['half an entity', [{ type: 'section', text: md('a &am') }], 'blocks[0].text.text: has an unescaped & or half an entity near "a &am"'],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => md('c')) }], 'blocks[0].elements: 11 elements, not 1 to 10'],
    ['a long confirm title', [actions(button({ confirm: { title: text('t'.repeat(101)), text: md('x'), confirm: text('Yes'), deny: text('No') } }))], 'blocks[0].elements[0].confirm.title.text: 101 characters > 100'],
    ['an unknown block', [{ type: 'table' }], 'blocks[0].type: table is not a block this checker knows'],
    ['an unknown field', [{ type: 'divider', colour: 'red' }], 'blocks[0].colour: is not a field of this object'],
    ['an input in a message', [{ type: 'input', label: text('l'), element: { type: 'plain_text_input' } }], 'blocks[0].type: an input block has no place in a message'],
  ])('when a message has %s, then it fails naming where', (_, blocks, violation) => {
    expect(findBlockKitViolation(blocks)).toBe(violation);
    expect(() => checkBlockKitLimits(blocks)).toThrow(violation);
  });

  test('when a Home tab has 101 blocks, then it fails; 100 pass', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(findBlockKitViolation(blocks(100), 'home')).toBeNull();
    expect(findBlockKitViolation(blocks(101), 'home')).toBe('blocks: 101 blocks > 100 (home)');
  });
});

describe('findViewViolation', () => {
  const input = { type: 'input', block_id: 'i', label: text('Why?'), element: { type: 'plain_text_input', action_id: 'value' } };
  const modal = (overrides: Record<string, unknown> = {}) => ({ type: 'modal', title: text('Snooze'), submit: text('Snooze'), blocks: [input], ...overrides });

  test('when a modal keeps every limit, then it passes', () => {
    expect(findViewViolation(modal())).toBeNull();
  });

  test.each([
    ['a long title', modal({ title: text('t'.repeat(25)) }), 'view.title.text: 25 characters > 24'],
    ['inputs and no submit', modal({ submit: undefined }), 'view.submit: is required when the view has inputs'],
    ['long private metadata', modal({ private_metadata: 'm'.repeat(3001) }), 'view.private_metadata: 3001 characters > 3000'],
    ['an initial value longer than its input allows', modal({ blocks: [{ ...input, element: { type: 'plain_text_input', max_length: 10, initial_value: 'x'.repeat(11) } }] }), 'blocks[0].element.initial_value: 11 characters > 10'],
    ['a number input whose least is more than its most', modal({ blocks: [{ ...input, element: { type: 'number_input', is_decimal_allowed: false, min_value: '9', max_value: '3' } }] }), 'blocks[0].element: min_value 9 is greater than max_value 3'],
  ])('when a modal has %s, then it fails naming where', (_, view, violation) => {
    expect(findViewViolation(view)).toBe(violation);
  });
});
