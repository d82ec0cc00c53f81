import type { Button, KnownBlock } from '@slack/types';
import { approvalActions, offerActions } from '../../../src/approvals/approval-messages.js';
import { kindWords } from '../../../src/approvals/approval-request.js';
import { attestationActions, factsOf } from '../../../src/messages/attestation-messages.js';
import type { ItemSummary } from '../../../src/model/index.js';
import type { MyItems, PendingAttestation, PendingDecision } from '../../../src/queries/my-items.js';
import { homePageActionId, slashCommand } from '../slack-registry.js';
import { actions, composeMrkdwn, header, mrkdwn, plain, type Part } from './elements.js';
import { factLine, headingParts } from './item-section.js';
import { escapeMrkdwn, slackLimits } from './limits.js';

/** A Home tab view for views.publish (a `HomeView` whose blocks are all known ones). */
export interface HomeTab {
  readonly type: 'home';
  readonly blocks: KnownBlock[];
}

type Group = 'pending' | 'decisions' | 'owned' | 'backing';

const titles: Record<Group, (n: number) => string> = {
  pending: (n) => `Waiting for your answer (${n})`,
  decisions: (n) => `Waiting for your decision (${n})`,
  owned: (n) => `Items you own (${n})`,
  backing: (n) => `Items you back up (${n})`,
};

const empty: Record<Group, string> = {
  pending: 'Nothing is waiting for you.',
  decisions: 'No request is waiting for your decision.',
  owned: 'You are not accountable for any item.',
  backing: 'You are nobody’s backup.',
};

/** Blocks every page keeps for itself: the title and summary above, the page number and its two buttons below. */
const reservedBlocks = 5;
/** A line of a list of items, and how many lines one section holds (Slack folds longer sections behind "See more"). */
const listLineLength = 280;
const linesPerSection = 20;

/** A pending attestation: the same facts and the same buttons (ids and values) as the prompt that asked. */
function pendingBlocks(pending: PendingAttestation): KnownBlock[] {
  const due: Part[] = [`*Due:* ${escapeMrkdwn(pending.dueAt.slice(0, 10))}${pending.asBackup ? ' · you are the backup' : ''}`];
  const text = composeMrkdwn([headingParts(pending), due, ...factsOf(pending.kind, pending.facts).map(factLine)], slackLimits.sectionText);
  return [{ type: 'section', text: mrkdwn(text) }, ...actions(attestationActions(pending.attestationId), pending.ref)];
}

/**
 * At most this many requests waiting for a decision are shown, oldest first (two blocks each: the line and its
 * buttons); the rest are counted, with the command that lists them all.
 */
export const homeDecisionsShown = 10;

/**
 * A request waiting for the person's decision: one line, then the buttons its channel card (Approve / Reject) or
 * its offer (Accept / Decline) carries, with the same ids and values, so the same handlers answer them.
 */
function decisionBlocks(decision: PendingDecision): KnownBlock[] {
  const line: Part[] = [
    `*#${decision.requestId}* ${kindWords[decision.kind]} of ${decision.itemKind === 'api' ? 'API' : 'identity'} *`,
    { text: decision.ref },
    '* · asked by ',
    { text: decision.requestedBy },
    ` on ${escapeMrkdwn(decision.requestedAt.slice(0, 10))}${decision.as === 'proposed_owner' ? ' · offered to you' : ''}`,
  ];
  const buttons = decision.as === 'proposed_owner' ? offerActions(decision.requestId) : approvalActions(decision.requestId);
  return [{ type: 'section', text: mrkdwn(composeMrkdwn([line], slackLimits.sectionText)) }, ...actions(buttons, decision.ref)];
}

/** The requests shown, each a chunk of its own, then how many more there are and where they are listed. */
function decisionChunks(decisions: readonly PendingDecision[]): KnownBlock[][] {
  const chunks = decisions.slice(0, homeDecisionsShown).map(decisionBlocks);
  const more = decisions.length - homeDecisionsShown;
  if (more > 0)
    chunks.push([
      { type: 'context', elements: [mrkdwn(`… and ${more} more waiting for your decision: \`${slashCommand.command} approvals --pending\` lists them all.`)] },
    ]);
  return chunks;
}

function listLine(item: ItemSummary, group: Group): string {
  const details = [
    ...(item.team ? [`team ${item.team}`] : []),
    ...(group === 'backing' ? [`accountable ${item.accountable ?? 'nobody'}`] : []),
    ...(item.expiresAt ? [`expires ${item.expiresAt.slice(0, 10)}`] : []),
    ...(item.vanished ? ['gone from its source'] : []),
  ];
  return composeMrkdwn([['• ', ...headingParts(item), ...(details.length > 0 ? [' · ', { text: details.join(' · ') }] : [])]], listLineLength);
}

/** Items as bulleted lines, packed into as few sections as fit. */
function listBlocks(items: readonly ItemSummary[], group: Group): KnownBlock[][] {
  const chunks: KnownBlock[][] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) chunks.push([{ type: 'section', text: mrkdwn(lines.join('\n')) }]);
    lines = [];
  };
  for (const item of items) {
    const line = listLine(item, group);
    if (lines.length >= linesPerSection || [...lines, line].join('\n').length > slackLimits.sectionText) flush();
    lines.push(line);
  }
  flush();
  return chunks;
}

/**
 * Splits the groups into pages of whole chunks; a group that runs on to the next page repeats its title. The
 * requests waiting for a decision show only when there are some: most people approve nothing.
 */
function paginate(items: MyItems): KnownBlock[][] {
  const decisions = items.decisions ?? [];
  const groups: Array<[Group, number, KnownBlock[][]]> = [
    ['pending', items.pending.length, items.pending.map(pendingBlocks)],
    ...(decisions.length > 0 ? [['decisions', decisions.length, decisionChunks(decisions)] as [Group, number, KnownBlock[][]]] : []),
    ['owned', items.owned.length, listBlocks(items.owned, 'owned')],
    ['backing', items.backing.length, listBlocks(items.backing, 'backing')],
  ];
  const budget = slackLimits.homeBlocks - reservedBlocks;
  const pages: KnownBlock[][] = [[]];
  for (const [group, count, chunks] of groups) {
    let titled = false;
    let placed = false;
    for (const chunk of chunks.length > 0 ? chunks : [[{ type: 'section', text: mrkdwn(`_${empty[group]}_`) } as KnownBlock]]) {
      let page = pages[pages.length - 1] as KnownBlock[];
      if (page.length + chunk.length + (titled ? 0 : 1) > budget && page.length > 0) {
        page = [];
        pages.push(page);
        titled = false;
      }
      if (!titled) page.push(header(`${titles[group](count)}${placed ? ', continued' : ''}`));
      titled = true;
      placed = true;
      page.push(...chunk);
    }
  }
  return pages;
}

function pageButton(label: string, page: number): Button {
  return { type: 'button', action_id: homePageActionId, text: plain(label, slackLimits.buttonText), value: String(page) };
}

function pager(page: number, count: number): KnownBlock[] {
  if (count <= 1) return [];
  // One block per button: an action id must be unique within its block, and both buttons are `home.page`.
  const blocks: KnownBlock[] = [{ type: 'context', elements: [mrkdwn(`Page ${page} of ${count}`)] }];
  if (page > 1) blocks.push({ type: 'actions', elements: [pageButton(`← Page ${page - 1}`, page - 1)] });
  if (page < count) blocks.push({ type: 'actions', elements: [pageButton(`Page ${page + 1} →`, page + 1)] });
  return blocks;
}

/**
 * The App Home tab, "My items": the attestations waiting for this person (with the prompt's buttons, so one
 * handler serves both), the requests waiting for their decision (with their card's or offer's buttons), the items
 * they own and those they back up. Paged within the Home tab's 100 blocks; the
 * `home.page` buttons carry the page to show. A page past the end shows the last.
 */
export function renderHome(items: MyItems, page = 1): HomeTab {
  const pages = paginate(items);
  const index = Math.min(Math.max(1, Math.floor(page) || 1), pages.length);
  const who = items.person.displayName ?? items.person.email;
  const deciding = (items.decisions ?? []).length;
  const summary = composeMrkdwn(
    [['*', { text: who }, `*: ${items.pending.length} waiting for your answer${deciding > 0 ? ` · ${deciding} waiting for your decision` : ''} · ${items.owned.length} you own · ${items.backing.length} you back up.`]],
    slackLimits.sectionText,
  );
  return {
    type: 'home',
    blocks: [header('My items'), { type: 'section', text: mrkdwn(summary) }, ...(pages[index - 1] ?? []), ...pager(index, pages.length)],
  };
}

/** The Home tab of a guest: why there is nothing for them here. */
export function renderGuestHome(text: string): HomeTab {
  return { type: 'home', blocks: [header('My items'), { type: 'section', text: mrkdwn(text) }] };
}

/** The Home tab for someone Steward does not know (no Person with their email). */
export function renderUnknownHome(): HomeTab {
  return {
    type: 'home',
    blocks: [
      header('My items'),
      { type: 'section', text: mrkdwn('Steward does not know you yet: no item names you as its owner or backup. Ask your security team to add you to the inventory.') },
    ],
  };
}
