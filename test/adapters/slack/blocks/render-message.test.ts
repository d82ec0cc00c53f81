import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import { renderMessage } from '../../../../adapters/slack/blocks/render-message.js';
import { attestationActions, promptMessages } from '../../../../src/messages/attestation-messages.js';
import { withResolved, type MessageKind, type MessageSection, type OutgoingMessage } from '../../../../src/messages/outgoing-message.js';
import { buttons, checkBlockKitLimits } from '../../../support/block-kit-limits.js';
import { ana, anApi, anIdentity, identityFacts, oneOfEachKind, prompts } from './core-messages.js';

const sectionTexts = (blocks: readonly KnownBlock[]) => blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
const contextTexts = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'context' ? b.elements.map((e) => ('text' in e ? e.text : '')) : []));

function onlyPage(message: ReturnType<typeof promptMessages>): OutgoingMessage {
  const [first] = message;
  if (!first) throw new Error('the core planned no message');
  return first.message;
}

describe('renderMessage: every kind of message', () => {
  const kinds = oneOfEachKind();

  test.each(Object.keys(kinds) as MessageKind[])('when the core sends a %s, then it renders within every Block Kit limit, with the core’s buttons', (kind) => {
    const message = kinds[kind];
    const { text, blocks } = renderMessage(message);

    checkBlockKitLimits(blocks);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.title, emoji: true } });
    expect(text.startsWith(message.title)).toBe(true);
    const expected = [...message.sections.flatMap((s) => (s.resolved === undefined ? s.actions : [])), ...message.actions];
    expect(buttons(blocks).map(({ actionId, value, label, style }) => ({ id: actionId, value, label, style }))).toEqual(
      expected.map(({ id, value, label, style }) => ({ id, value, label, style })),
    );
  });

  test('when a prompt is rendered, then each item shows its heading and facts, then its five buttons, and Confirm all comes last', () => {
    const message = onlyPage(promptMessages(ana, prompts(2)));
    const { blocks } = renderMessage(message);

    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'divider', 'section', 'actions', 'divider', 'section', 'actions', 'actions']);
    expect(sectionTexts(blocks)[1]).toBe(
      [
        '*api-1* (API) — API 1',
        '*Purpose:* Takes card payments',
        '*Risk:* restricted data, public exposure',
        '*Revocation:* Rotate the gateway key, then &lt;redeploy&gt; &amp; tell #payments',
      ].join('\n'),
    );
    expect(buttons(blocks).map((b) => `${b.actionId}=${b.value}`)).toEqual([
      ...attestationActions(100).map((a) => `${a.id}=${a.value}`),
      ...attestationActions(101).map((a) => `${a.id}=${a.value}`),
      'attest.confirm_all=100,101',
    ]);
  });

  test('when a fact is a link, then it is linked with & escaped inside; a URL inside prose stays text', () => {
    const { blocks } = renderMessage(onlyPage(promptMessages(ana, prompts(1, (i) => anIdentity(i, { facts: identityFacts({ purpose: 'See https://wiki.example/x' }) })))));
    const [, item] = sectionTexts(blocks);
    expect(item).toContain('*Recovery:* <https://runbooks.acme.example/rotate?key=ci&amp;env=prod>');
    expect(item).toContain('*Purpose:* See https://wiki.example/x');
  });

  test('when a batch was paged, then the page shows in a context line and in the notification', () => {
    const message: OutgoingMessage = { ...onlyPage(promptMessages(ana, prompts(2))), page: { index: 2, count: 3 } };
    const { text, blocks } = renderMessage(message);
    expect(contextTexts(blocks)).toEqual(['Page 2 of 3']);
    expect(text).toMatch(/^2 items to confirm \(page 2 of 3\): Please confirm/);
  });

  test('when the Decommission button is pressed, then Slack asks first', () => {
    const { blocks } = renderMessage(onlyPage(promptMessages(ana, prompts(1))));
    const actions = blocks.find((b) => b.type === 'actions');
    const decommission = actions?.type === 'actions' ? actions.elements.find((e) => e.type === 'button' && e.action_id === 'attest.decommission') : undefined;
    expect(decommission).toMatchObject({ style: 'danger', confirm: { title: { text: 'Decommission?' }, text: { text: 'Decommission *api-1*?' }, style: 'danger' } });
  });
});

describe('renderMessage: resolved items', () => {
  const message = onlyPage(promptMessages(ana, prompts(3)));

  test('when an item is resolved, then it shows the outcome with a tick and no buttons; the others keep theirs', () => {
    const { blocks } = renderMessage(withResolved(message, 'attestation:101', 'Confirmed by ana@acme.example on 2026-11-09'));

    expect(sectionTexts(blocks)[2]).toBe('*ci-token-2* (identity) — CI token 2\n✓ Confirmed by ana@acme.example on 2026-11-09');
    expect(buttons(blocks).filter((b) => b.value === '101')).toEqual([]);
    expect(buttons(blocks).map((b) => b.value)).toEqual(['100', '100', '100', '100', '100', '102', '102', '102', '102', '102', '100,102']);
    checkBlockKitLimits(blocks);
  });

  test('when every item is resolved, then no button remains anywhere', () => {
    const all = ['attestation:100', 'attestation:101', 'attestation:102'].reduce((m, subject) => withResolved(m, subject, 'Snoozed'), message);
    const { blocks } = renderMessage(all);
    expect(buttons(blocks)).toEqual([]);
    expect(blocks.filter((b) => b.type === 'actions')).toEqual([]);
  });

  test('when a section is marked resolved but still carries actions, then the outcome wins and no button shows', () => {
    const [first] = message.sections;
    const stale: OutgoingMessage = { ...message, sections: [{ ...(first as MessageSection), resolved: 'Confirmed' }], actions: [] };
    expect(buttons(renderMessage(stale).blocks)).toEqual([]);
  });
});

describe('renderMessage: escaping', () => {
  test('when imported text holds Slack markup, then it is shown as text: no mention, no link, no broken entity', () => {
    const hostile = anApi(1, {
      ref: '<!channel>',
      name: 'Pay & <https://evil.example|Click me>',
      facts: { purpose: '<@U123> <!here> &lt; already', sensitivity: null, exposure: null, revocationPath: 'a > b', linked: [] },
    });
    const message = onlyPage(promptMessages(ana, [{ attestationId: 1, item: hostile, reason: 'scheduled' }]));
    const { text, blocks } = renderMessage({ ...message, title: 'Title with <!everyone>', text: 'Text with <!subteam^S1> & more' });

    checkBlockKitLimits(blocks);
    const all = sectionTexts(blocks).join('\n');
    expect(all).toContain('*&lt;!channel&gt;* (API) — Pay &amp; &lt;https://evil.example|Click me&gt;');
    expect(all).toContain('*Purpose:* &lt;@U123&gt; &lt;!here&gt; &amp;lt; already');
    expect(all).toContain('*Revocation:* a &gt; b');
    expect(all).toContain('Text with &lt;!subteam^S1&gt; &amp; more');
    expect(text).toBe('Title with &lt;!everyone&gt;: Text with &lt;!subteam^S1&gt; &amp; more');
    // Header text is plain_text: Slack shows it as typed, so it is not escaped.
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Title with <!everyone>' } });
    expect(blocks.filter((b) => b.type === 'section').every((b) => b.type === 'section' && b.text?.type === 'mrkdwn' && b.text.verbatim === true)).toBe(true);
  });
});

describe('renderMessage: the worst cases', () => {
  const long = 'x'.repeat(5000);
  const cases: Record<string, Parameters<typeof prompts>[1]> = {
    'ordinary items': (i) => (i % 2 === 0 ? anIdentity(i) : anApi(i)),
    'a 5,000-character purpose and recovery, 300-character refs and names, 400 scopes, long links': (i) =>
      anIdentity(i, {
        ref: `${'r'.repeat(297)}${String(i).padStart(3, '0')}`,
        name: 'n'.repeat(300),
        facts: identityFacts({ purpose: long, recoveryProcedure: `https://runbooks.example/${'p'.repeat(4000)}`, scopes: Array.from({ length: 400 }, (_, j) => `scope:${j}`), linked: [long, long] }),
      }),
    'emoji everywhere, next to & < >': (i) =>
      anIdentity(i, { ref: `🔑${i}`.repeat(80), name: '👩🏽‍💻🇺🇦&<>'.repeat(700), facts: identityFacts({ purpose: 'e\u0301🧑‍🤝‍🧑&'.repeat(1200), recoveryProcedure: '<🔥>'.repeat(900) }) }),
    'right-to-left names and purposes': (i) =>
      anApi(i, { ref: `מפתח-${i}`, name: 'واجهة الدفع '.repeat(400), facts: { purpose: 'מפתח התשלומים שלנו & <שלב> '.repeat(300), sensitivity: 'restricted', exposure: 'public', revocationPath: 'سحب المفتاح', linked: [] } }),
  };

  test.each(Object.keys(cases))('when one owner has 500 due items (%s), then every page the core plans renders within every limit', (name) => {
    const pages = promptMessages(ana, prompts(500, cases[name]));
    expect(pages).toHaveLength(50);
    for (const page of pages) {
      const { text, blocks } = renderMessage(page.message);
      checkBlockKitLimits(blocks);
      expect(text.length).toBeLessThanOrEqual(3000);
      // Every item on the page is shown with its buttons: nothing the core paged is dropped.
      expect(buttons(blocks).filter((b) => b.actionId === 'attest.confirm').map((b) => b.value)).toEqual(page.message.sections.map((s) => String(s.attestationId)));
    }
  });

  test('when a text is cut, then it ends in an ellipsis and keeps the heading whole', () => {
    const pages = promptMessages(ana, prompts(1, cases['a 5,000-character purpose and recovery, 300-character refs and names, 400 scopes, long links']));
    const [, item] = sectionTexts(renderMessage(onlyPage(pages)).blocks);
    expect(item?.length).toBe(3000);
    expect(item).toMatch(/^\*r{297}001\* \(identity\) — n{300}\n\*Purpose:\* x+…\n/);
    // Too long to link whole, so the link is shown cut, as text, never as a broken <…>.
    expect(item).toMatch(/\*Recovery:\* https:\/\/runbooks\.example\/p+…\n/);
  });

  test('when right-to-left text is shown, then it is isolated so the labels around it keep their order', () => {
    const { blocks } = renderMessage(onlyPage(promptMessages(ana, prompts(1, cases['right-to-left names and purposes']))));
    expect(sectionTexts(blocks)[1]).toMatch(/^\*\u2068מפתח-1\u2069\* \(API\) — \u2068واجهة/);
  });

  test('when a message has more items than 50 blocks hold, then those that fit show, Confirm all covers only them, and a last line points to the Home tab', () => {
    const sections: MessageSection[] = Array.from({ length: 60 }, (_, i) => ({
      itemId: i,
      itemKind: 'api',
      itemRef: `api-${i}`,
      itemName: `API ${i}`,
      attestationId: 100 + i,
      facts: [{ label: 'Purpose', value: 'p' }],
      actions: attestationActions(100 + i),
    }));
    const all = sections.map((s) => s.attestationId).join(',');
    const message: OutgoingMessage = {
      kind: 'attestation_prompt',
      title: '60 items to confirm',
      text: 'Please confirm.',
      sections,
      actions: [{ id: 'attest.confirm_all', label: 'Confirm all 60', value: all, style: 'primary' }],
      page: { index: 1, count: 2 },
    };

    const { blocks } = renderMessage(message);

    checkBlockKitLimits(blocks);
    expect(blocks).toHaveLength(50);
    const shown = buttons(blocks).filter((b) => b.actionId === 'attest.confirm').map((b) => b.value);
    expect(shown).toHaveLength(23);
    expect(buttons(blocks).at(-1)).toMatchObject({ actionId: 'attest.confirm_all', label: 'Confirm all 23', value: shown.join(',') });
    expect(contextTexts(blocks)).toEqual(['Page 1 of 2', '…and 37 more items in Steward’s Home tab.']);
  });

  test('when the security queue overflows, then its last line names the command that lists it all', () => {
    const sections: MessageSection[] = Array.from({ length: 30 }, (_, i) => ({
      itemId: i,
      itemKind: 'identity',
      itemRef: `key-${i}`,
      itemName: `key-${i}`,
      facts: [{ label: 'Why', value: 'nobody' }],
      actions: [{ id: 'queue.claim', label: 'Claim', value: String(i), style: 'primary' }],
    }));
    const { blocks } = renderMessage({ kind: 'unowned_queue', title: '30 items without an accountable owner', text: 'Claim one.', sections, actions: [] });
    checkBlockKitLimits(blocks);
    expect(contextTexts(blocks)).toEqual(['…and 7 more items: `/steward unowned` lists them all.']);
  });
});

describe('renderMessage: approvals', () => {
  const kinds = oneOfEachKind();

  test('when an approval card names its approvers, then those with a Slack account are mentioned (<@U…>), the others named by email, in the blocks and the notification', () => {
    const card = kinds.approval_request;
    const { text, blocks } = renderMessage(card, new Map([[3, 'U0LENA']]));

    checkBlockKitLimits(blocks);
    expect(sectionTexts(blocks)[0]).toMatch(/^<@U0LENA>, zed@acme\.example\n/);
    expect(text).toMatch(/^Approval needed: scope change of identity ci-deployer: <@U0LENA>, zed@acme\.example: /);
  });

  test('when a mention’s account id is not a Slack user id, then it is not written as markup: the email stands', () => {
    const { blocks } = renderMessage(kinds.approval_request, new Map([[3, '<!channel>']]));
    checkBlockKitLimits(blocks);
    expect(sectionTexts(blocks)[0]).toMatch(/^lena@acme\.example, zed@acme\.example\n/);
  });

  test('when an approval card is rendered, then Approve is primary, Reject is danger without a confirm dialog (its modal asks why)', () => {
    const { blocks } = renderMessage(kinds.approval_request);
    const elements = blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as Array<{ action_id: string; style?: string; confirm?: unknown }>;
    expect(elements.map((e) => [e.action_id, e.style, e.confirm === undefined])).toEqual([
      ['approval.approve', 'primary', true],
      ['approval.reject', 'danger', true],
    ]);
  });

  test('when the card is resolved by a decision, then it shows the outcome and no button remains', () => {
    const resolved = withResolved(kinds.approval_request, 'approval:12', 'Approved by lena@acme.example and zed@acme.example on 2026-11-09: fine');
    const { blocks } = renderMessage(resolved);
    expect(buttons(blocks)).toEqual([]);
    expect(sectionTexts(blocks).at(-1)).toBe('*ci-deployer* (identity) — CI deployer\n✓ Approved by lena@acme.example and zed@acme.example on 2026-11-09: fine');
  });

  test('when a credential warning goes to its owner, then it carries Request rotation for the item', () => {
    expect(buttons(renderMessage(kinds.credential_warning).blocks).map((b) => `${b.actionId}=${b.value}`)).toEqual(['request.rotation=3:expiry_warning']);
  });
});
