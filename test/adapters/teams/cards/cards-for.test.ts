import { describe, expect, test } from 'vitest';
import { cardBudgetBytes, cardBytes } from '../../../../adapters/teams/cards/card-size.js';
import { cardPagesFor, cardsFor } from '../../../../adapters/teams/cards/cards-for.js';
import { formId, inputId, isRevealedForm, revealedForms } from '../../../../adapters/teams/cards/input-ids.js';
import { noticeCard } from '../../../../adapters/teams/cards/notice-card.js';
import { renderCard, type CardOptions } from '../../../../adapters/teams/cards/render-card.js';
import { answerForms, isAnswerActionId } from '../../../../src/attestation/answer-forms.js';
import { readAnswerForm } from '../../../../src/attestation/read-answer-form.js';
import { isWellFormedText } from '../../../../src/inventory/well-formed-text.js';
import { attestationActions, promptMessages } from '../../../../src/messages/attestation-messages.js';
import { withResolved, type MessageKind, type MessageSection, type OutgoingMessage } from '../../../../src/messages/outgoing-message.js';
import { secretShapes } from '../../../support/secret-shapes.js';
import { ana, anApi, anIdentity, identityFacts, oneOfEachKind, prompts } from '../../slack/blocks/core-messages.js';
import { cardValidator, executeButtons, haveSchema, inputsIn, objectsIn, textsIn } from './card-schema.js';

const options: CardOptions = { snoozeMaxDays: 30 };
const skipped = haveSchema ? '' : ' — SKIPPED: ../shared/schemas is absent';
const validate = haveSchema ? cardValidator() : () => [];

function firstPage(planned: ReturnType<typeof promptMessages>): OutgoingMessage {
  const [first] = planned;
  if (!first) throw new Error('the core planned no message');
  return first.message;
}

/** Every card must be valid against the schema and within the budget: said once, checked everywhere. */
function expectSendable(cards: readonly unknown[]): void {
  for (const card of cards) {
    expect(validate(card)).toEqual([]);
    expect(cardBytes(card as Parameters<typeof cardBytes>[0])).toBeLessThanOrEqual(cardBudgetBytes);
    const ids = objectsIn(card).flatMap((o) => (typeof o.id === 'string' ? [o.id] : []));
    expect(new Set(ids).size, 'element ids are unique on a card').toBe(ids.length);
    const targets = objectsIn(card).flatMap((o) => (o.type === 'Action.ToggleVisibility' ? (o.targetElements as (string | { elementId: string })[]).map((t) => (typeof t === 'string' ? t : t.elementId)) : []));
    expect(targets.filter((t) => !ids.includes(t)), 'every toggle names an element on the card').toEqual([]);
  }
}

/** The attestations (or queue items) a card offers Confirm / Claim / Take it for. */
const directValues = (card: unknown) => executeButtons(card).filter((b) => ['attest.confirm', 'queue.claim', 'queue.take'].includes(b.verb)).map((b) => b.value);

describe('the schema check itself', () => {
  test.skipIf(!haveSchema)(`when a card breaks the schema, then it is refused${skipped}`, () => {
    const card = (extra: Record<string, unknown> = {}, body: unknown[] = [{ type: 'TextBlock', text: 'Hi', wrap: true }]) => ({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra });
    expect(validate(card())).toEqual([]);

    expect(validate(card({ type: 'AdaptiveKard' }))).not.toEqual([]);
    expect(validate(card({}, [{ type: 'TextBlok', text: 'Hi' }]))).not.toEqual([]);
    expect(validate(card({ msteams: { width: 'Full' } }))).not.toEqual([]);
    expect(validate(card({}, [{ type: 'TextBlock' }]))).not.toEqual([]);
    expect(validate(card({ actions: [{ type: 'Action.Execute', title: 'Go', verb: 'x', style: 'primary' }] }))).not.toEqual([]);
    expect(validate(card({ actions: [{ type: 'Action.Execute', title: 'Go', verb: 'x', associatedInputs: 'some' }] }))).not.toEqual([]);
    expect(validate(card({}, [{ type: 'Input.Number', id: 'n', value: '3' }]))).not.toEqual([]);
    expect(validate(card({}, [{ type: 'Container', items: [{ type: 'FactSet', facts: [{ title: 'a' }] }] }]))).not.toEqual([]);
  });
});

describe('cardsFor: every kind of message', () => {
  const kinds = oneOfEachKind();

  test.each(Object.keys(kinds) as MessageKind[])(`when the core sends a %s, then its cards are valid Adaptive Cards 1.5 within the budget, with the core's buttons in order${skipped}`, (kind) => {
    const message = kinds[kind];
    const cards = cardsFor(message, options);

    expectSendable(cards);
    expect(cards).toHaveLength(1);
    const [card] = cards;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(textsIn(card)[0]).toBe(message.title);
    const shown = objectsIn(card)
      .filter((o) => (o.type === 'Action.Execute' && o.associatedInputs === 'none') || o.type === 'Action.ToggleVisibility')
      .map((o) => `${String(o.title)}`);
    const expected = [...message.sections.flatMap((s) => (s.resolved === undefined ? s.actions : [])), ...message.actions].map((a) => a.label);
    expect(shown).toEqual(expected);
  });

  test('when a prompt has three items, then each shows its heading and facts and Confirm all covers all three', () => {
    const message = firstPage(promptMessages(ana, prompts(3)));
    const [card] = cardsFor(message, options);

    expect(textsIn(card).slice(0, 3)).toEqual([message.title, message.text, 'api-1 (API) — API 1']);
    expect(textsIn(card)).toContain('Rotate the gateway key, then <redeploy> & tell #payments');
    expect(card?.actions).toEqual([{ type: 'Action.Execute', title: 'Confirm all 3', verb: 'attest.confirm_all', data: { value: '100,101,102' }, associatedInputs: 'none', style: 'positive' }]);
  });

  test('when a notice is given, then it shows under the text, and a notice card alone is valid too', () => {
    const message = firstPage(promptMessages(ana, prompts(2)));
    const [card] = cardsFor(message, { ...options, notice: 'Recorded: confirmed' });
    expect(textsIn(card).slice(0, 3)).toEqual([message.title, message.text, 'Recorded: confirmed']);

    const refusal = noticeCard('This prompt is for someone else', 'refusal');
    expectSendable([noticeCard('Recorded: confirmed'), refusal, noticeCard('x'.repeat(100_000))]);
    expect(refusal.body).toEqual([{ type: 'TextBlock', text: 'This prompt is for someone else', wrap: true, color: 'attention' }]);
    expect(objectsIn(refusal).some((o) => String(o.type).startsWith('Action.'))).toBe(false);
  });
});

describe('cardsFor: the buttons and the forms they reveal', () => {
  const message = firstPage(promptMessages(ana, prompts(2)));
  const [card] = cardsFor(message, options);

  test('when an item asks nothing (Confirm), then its button sends the verb and value at once, and no inputs', () => {
    expect(executeButtons(card).filter((b) => b.verb === 'attest.confirm')).toEqual([
      { title: 'Confirm', verb: 'attest.confirm', value: '100', associatedInputs: 'none' },
      { title: 'Confirm', verb: 'attest.confirm', value: '101', associatedInputs: 'none' },
    ]);
  });

  const attestForms = revealedForms.filter((v) => isAnswerActionId(v));
  test.each(attestForms)('when %s is pressed, then it reveals a hidden form holding the core form’s fields, whose button sends them with the verb', (verb) => {
    const toggles = objectsIn(card).filter((o) => o.type === 'Action.ToggleVisibility');
    for (const section of message.sections) {
      const value = String(section.attestationId);
      const form = objectsIn(card).find((o) => o.id === formId(verb, value));
      expect(form).toMatchObject({ type: 'Container', isVisible: false });
      const toggle = toggles.find((t) => (t.targetElements as unknown[])[0] === formId(verb, value));
      // The other forms of the item close when this one opens.
      expect(toggle?.targetElements).toEqual([formId(verb, value), ...attestForms.filter((v) => v !== verb).map((v) => ({ elementId: formId(v, value), isVisible: false }))]);
      // Update shows the facts the item's kind has, and why (a scope change goes to an approver with it).
      const fields = answerForms[verb].fields.filter((f: string) => verb !== 'attest.update' || (section.itemKind === 'api' ? ['purpose', 'revocationPath', 'reason'] : ['purpose', 'scopes', 'expiresAt', 'recoveryProcedure', 'reason']).includes(f));
      expect(inputsIn(form).map((i) => i.id)).toEqual(fields.map((f) => inputId(verb, f, value)));
      expect(inputsIn(form).some((i) => 'isRequired' in i)).toBe(false);
      expect(executeButtons(form)).toEqual([expect.objectContaining({ verb, value })]);
      expect(executeButtons(form)[0]?.associatedInputs).toBeUndefined();
    }
  });

  test(`when the surface asks every button to carry more (a delivery id), then each does, the core's value is kept, and the size counts it${skipped}`, () => {
    const many = { ...message, sections: Array.from({ length: 40 }, (_, i) => ({ ...message.sections[i % 2], attestationId: 500 + i, actions: attestationActions(500 + i) }) as MessageSection) };
    const cards = cardsFor(many, { ...options, data: { delivery: 123456789, value: 'not the core’s' } });

    expectSendable(cards);
    const buttons = cards.flatMap((c) => objectsIn(c).filter((o) => o.type === 'Action.Execute'));
    expect(buttons.length).toBeGreaterThan(200);
    expect(buttons.every((b) => (b.data as { delivery?: unknown }).delivery === 123456789)).toBe(true);
    expect(cards.flatMap(directValues)).toEqual(many.sections.map((s) => String(s.attestationId)));
  });

  test('when Decommission is pressed, then it asks first, naming the item, before its red button acts', () => {
    const form = objectsIn(card).find((o) => o.id === formId('attest.decommission', '100'));
    expect(textsIn(form)[0]).toBe('Decommission api-1? The request goes to its approver.');
    expect(objectsIn(form).find((o) => o.type === 'Action.Execute')).toMatchObject({ title: 'Decommission', style: 'destructive' });
    expect(objectsIn(card).find((o) => o.type === 'Action.ToggleVisibility' && o.title === 'Decommission')).toMatchObject({ style: 'destructive' });
  });

  test('when Snooze is revealed, then days is a number input from 1 to the policy’s cap, and its required fields say so', () => {
    const form = objectsIn(cardsFor(message, { snoozeMaxDays: 14 })[0]).find((o) => o.id === formId('attest.snooze', '100'));
    expect(inputsIn(form)).toEqual([
      expect.objectContaining({ type: 'Input.Number', id: 'attest.snooze.days@100', min: 1, max: 14, label: 'For how many days? (required)' }),
      expect.objectContaining({ type: 'Input.Text', id: 'attest.snooze.reason@100', label: 'Why? (required)', maxLength: 2000 }),
    ]);
  });
});

describe('cardsFor: a form the core refused', () => {
  const message = firstPage(promptMessages(ana, prompts(2)));
  const secret = secretShapes.githubClassicToken();

  test(`when Snooze comes back with bad days and a secret, then the card shows that form open with the core's errors, keeps the days, and never echoes the secret${skipped}`, () => {
    const typed = { days: '0', reason: `here it is ${secret}` };
    const read = readAnswerForm('attest.snooze', typed, { snoozeMaxDays: 30 });
    if (read.ok) throw new Error('the core took it');

    const cards = cardsFor(message, { ...options, open: { actionId: 'attest.snooze', value: '101', typed, errors: read.errors } });

    expectSendable(cards);
    const form = objectsIn(cards[0]).find((o) => o.id === formId('attest.snooze', '101'));
    expect(form).toMatchObject({ isVisible: true });
    expect(objectsIn(cards[0]).find((o) => o.id === formId('attest.snooze', '100'))).toMatchObject({ isVisible: false });
    expect(inputsIn(form)[0]).toMatchObject({ value: 0 });
    expect(inputsIn(form)[1]).not.toHaveProperty('value');
    expect(textsIn(form)).toEqual(expect.arrayContaining(read.errors.map((e) => e.message)));
    expect(JSON.stringify(cards)).not.toContain(secret);
  });

  test('when Update comes back with nothing corrected, then the core’s error shows in the form and what was typed stays', () => {
    const typed = { purpose: 'Takes card payments, and refunds' , scopes: 'x'.repeat(3000) };
    const read = readAnswerForm('attest.update', typed, { snoozeMaxDays: 30 });
    if (read.ok) throw new Error('the core took it');

    const [card] = cardsFor(message, { ...options, open: { actionId: 'attest.update', value: '100', typed, errors: read.errors } });

    const form = objectsIn(card).find((o) => o.id === formId('attest.update', '100'));
    expect(inputsIn(form).find((i) => i.id === inputId('attest.update', 'purpose', '100'))).toMatchObject({ value: typed.purpose });
    // Scopes is not one of an API's facts: its error is said above the inputs, not dropped.
    expect(textsIn(form)).toEqual(expect.arrayContaining(read.errors.map((e) => e.message)));
  });
});

describe('cardsFor: resolved items', () => {
  const message = firstPage(promptMessages(ana, prompts(3)));

  test('when an item is resolved, then it shows its outcome with a tick and no buttons or inputs; Confirm all covers the others', () => {
    const [card] = cardsFor(withResolved(message, 'attestation:101', 'Confirmed by ana@acme.example'), options);

    expect(textsIn(card)).toContain('✓ Confirmed by ana@acme.example');
    expect(directValues(card)).toEqual(['100', '102']);
    expect(inputsIn(card).filter((i) => String(i.id).endsWith('@101'))).toEqual([]);
    expect(card?.actions).toEqual([expect.objectContaining({ title: 'Confirm all 2', data: { value: '100,102' } })]);
  });

  test(`when every item is resolved, then no button and no input remains anywhere${skipped}`, () => {
    let resolved = message;
    for (const id of [100, 101, 102]) resolved = withResolved(resolved, `attestation:${id}`, 'Snoozed for 14 days');
    const cards = cardsFor(resolved, options);

    expectSendable(cards);
    expect(objectsIn(cards).filter((o) => String(o.type).startsWith('Action.') || String(o.type).startsWith('Input.'))).toEqual([]);
    expect(cards[0]).not.toHaveProperty('actions');
  });
});

describe('cardsFor: markup in imported text', () => {
  test('when names and facts hold Markdown, then it shows as written: no link, no emphasis, no list', () => {
    const hostile = anApi(1, {
      ref: 'pay_api_v2',
      name: '[Verify your key](https://evil.example) **now**',
      facts: { purpose: '- step one\n1. step two\ns3:Get*Object*', sensitivity: null, exposure: null, revocationPath: '&lt;script&gt; and _this_', linked: [] },
    });
    const [card] = cardsFor(firstPage(promptMessages(ana, [{ attestationId: 1, item: hostile, reason: 'scheduled' }])), options);
    const texts = textsIn(card);

    expect(texts).toContain('pay_api_v2 (API) — [Verify your key]\u2060(https://evil.example) \\*\\*now\\*\\*');
    expect(texts).toContain('\u2060- step one\n\u20601. step two\ns3:Get\\*Object\\*');
    expect(texts).toContain('&\u2060lt;script&\u2060gt; and \\_this\\_');
  });

  test('when a name is right-to-left, then it is isolated so the heading around it keeps its order', () => {
    const rtl = anApi(1, { ref: 'מפתח-1', name: 'واجهة الدفع' });
    const [card] = cardsFor(firstPage(promptMessages(ana, [{ attestationId: 1, item: rtl, reason: 'scheduled' }])), options);
    expect(textsIn(card)).toContain('\u2068מפתח-1\u2069 (API) — \u2068واجهة الدفع\u2069');
  });
});

describe('cardsFor: the worst cases', () => {
  const long = 'x'.repeat(5000);
  const cases: Record<string, Parameters<typeof prompts>[1]> = {
    'ordinary items': (i) => (i % 2 === 0 ? anIdentity(i) : anApi(i)),
    'a 5,000-character purpose and recovery, 300-character refs and names, 400 scopes': (i) =>
      anIdentity(i, {
        ref: `${'r'.repeat(297)}${String(i).padStart(3, '0')}`,
        name: 'n'.repeat(300),
        facts: identityFacts({ purpose: long, recoveryProcedure: `https://runbooks.example/${'p'.repeat(4000)}`, scopes: Array.from({ length: 400 }, (_, j) => `scope:${j}`), linked: [long, long] }),
      }),
    'emoji, markup and control characters everywhere': (i) =>
      anIdentity(i, { ref: `🔑${i}`.repeat(80), name: '👩🏽‍💻🇺🇦*_[x](y)&amp;\u0001'.repeat(700), facts: identityFacts({ purpose: 'e\u0301🧑‍🤝‍🧑\\*'.repeat(1200), recoveryProcedure: '"<🔥>"\n- '.repeat(900) }) }),
    'right-to-left names and purposes': (i) =>
      anApi(i, { ref: `מפתח-${i}`, name: 'واجهة الدفع '.repeat(400), facts: { purpose: 'מפתח התשלומים שלנו & <שלב> '.repeat(300), sensitivity: 'restricted', exposure: 'public', revocationPath: 'سحب المفتاح', linked: [] } }),
  };

  test.each(Object.keys(cases))(`when one owner has 500 due items (%s), then every card of every page is valid, within the budget, and shows each item exactly once${skipped}`, (name) => {
    const pages = promptMessages(ana, prompts(500, cases[name]));
    expect(pages).toHaveLength(50);
    const offered: string[] = [];
    for (const page of pages) {
      const cards = cardPagesFor(page.message, options);
      expectSendable(cards.map((c) => c.card));
      expect(cards.flatMap((c) => c.subjects)).toEqual(page.subjects);
      for (const { card } of cards) {
        const confirms = directValues(card);
        offered.push(...confirms);
        // Each card's Confirm all covers exactly the items it shows.
        if (confirms.length > 1) expect(card.actions).toEqual([expect.objectContaining({ verb: 'attest.confirm_all', data: { value: confirms.join(',') } })]);
        else expect(card).not.toHaveProperty('actions');
      }
    }
    expect(offered).toEqual(Array.from({ length: 500 }, (_, i) => String(100 + i)));
  });

  test('when one message holds 500 items, then it is split into parts, each saying which it is, in order, none lost', () => {
    const sections: MessageSection[] = Array.from({ length: 500 }, (_, i) => ({
      itemId: i,
      itemKind: 'identity',
      itemRef: `key-${i}`,
      itemName: `Key ${i}`,
      attestationId: 1000 + i,
      facts: [{ label: 'Purpose', value: 'p' }],
      actions: attestationActions(1000 + i),
    }));
    const message: OutgoingMessage = { kind: 'reminder', title: '500 items', text: 'Please confirm.', sections, actions: [], page: { index: 2, count: 3 } };

    const cards = cardsFor(message, options);

    expectSendable(cards);
    expect(cards.length).toBeGreaterThan(50);
    expect(cards.flatMap(directValues)).toEqual(sections.map((s) => String(s.attestationId)));
    expect(textsIn(cards[0]).at(-1)).toBe(`Page 2 of 3 · part 1 of ${cards.length}`);
    expect(textsIn(cards.at(-1)).at(-1)).toBe(`Page 2 of 3 · part ${cards.length} of ${cards.length}`);
  });

  test('when one item alone is bigger than a card, then it is shown with its texts cut (ending in …), still with every button', () => {
    const section: MessageSection = {
      itemId: 1,
      itemKind: 'identity',
      itemRef: '🔑'.repeat(20_000),
      itemName: 'n'.repeat(50_000),
      attestationId: 7,
      facts: Array.from({ length: 12 }, (_, i) => ({ label: `Fact ${i}`, value: i % 2 === 0 ? '界'.repeat(60_000) : '\\"'.repeat(30_000) })),
      actions: attestationActions(7),
    };
    const message: OutgoingMessage = { kind: 'attestation_prompt', title: '1 item to confirm', text: 'Please confirm.', sections: [section], actions: [] };

    const cards = cardsFor(message, options);

    expectSendable(cards);
    expect(cards).toHaveLength(1);
    expect(cardBytes(renderCard(message, options))).toBeGreaterThan(cardBudgetBytes);
    const first = objectsIn(cards[0]).find((o) => o.title === 'Fact 0' && !('type' in o));
    expect(String(first?.value)).toMatch(/^界{2,299}…$/);
    expect(objectsIn(cards[0]).filter((o) => o.type === 'Action.ToggleVisibility' || (o.type === 'Action.Execute' && o.associatedInputs === 'none')).map((o) => o.title)).toEqual(
      attestationActions(7).map((a) => a.label),
    );
    for (const text of textsIn(cards[0])) expect(isWellFormedText(text)).toBe(true);
  });
});

describe('renderCard', () => {
  test('when given any action of the core, then the button is a reveal for the answers that ask, and sends at once for the rest', () => {
    const [card] = cardsFor(oneOfEachKind().unowned_queue, options);
    expect(executeButtons(card).map((b) => `${b.verb}=${b.value}`)).toEqual(['queue.claim=4', 'queue.claim=8']);
    expect(revealedForms.every(isRevealedForm)).toBe(true);
    expect(isRevealedForm('attest.confirm')).toBe(false);
  });
});
