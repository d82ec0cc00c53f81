import type { Policy } from '../../src/policy/policy.js';
import type { Store } from '../../src/ports/store.js';
import { cardContextFor } from './card-context.js';
import type { AdaptiveCard } from './cards/adaptive-card.js';
import { cardPagesFor } from './cards/cards-for.js';
import { noticeCard } from './cards/notice-card.js';
import type { OpenForm } from './cards/form-container.js';
import { parseAddress } from './teams-address.js';

/**
 * The delivery a click's data names (every button carries the one it was posted by), or null for anything else. A
 * pointer, not a permission: the message is shown only in the conversation it was posted to.
 */
function deliveryOfCard(data: unknown): number | null {
  const id = (data as { delivery?: unknown } | null | undefined)?.delivery;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Where a click came from: the card's data (which delivery it shows), the conversation, the value clicked. */
export interface ClickOrigin {
  readonly deliveryOf: unknown;
  readonly conversation: string;
  readonly clicked: string;
}

/**
 * The card a click is answered with: the message it was on as it stands now (read from the outbox after the click
 * was applied, so a resolved item shows its outcome and no buttons), the page holding what was clicked, with a line
 * saying what the click did or why it did nothing. Teams shows it to the person who clicked; the dispatcher then
 * rewrites the card for everyone. A card from another conversation (a forged delivery id) shows only the notice.
 */
export class CardsOnScreen {
  constructor(
    private readonly store: Pick<Store, 'deliveryView' | 'chatPerson' | 'getApproval'>,
    private readonly policy: Pick<Policy, 'attestation'>,
  ) {}

  async current(origin: ClickOrigin, said: { readonly notice: string; readonly refused: boolean; readonly open?: OpenForm }): Promise<AdaptiveCard> {
    const tone = said.refused ? 'refusal' : 'info';
    const deliveryId = deliveryOfCard(origin.deliveryOf);
    if (deliveryId === null) return noticeCard(said.notice, tone);
    const view = await this.store.deliveryView(deliveryId);
    const address = parseAddress(view?.channel ?? null);
    // Only the conversation the delivery was posted in may see it (the channel's own id for a reply in a thread).
    if (view === null || address?.conversationId == null || origin.conversation.split(';')[0] !== address.conversationId.split(';')[0]) return noticeCard(said.notice, tone);
    const context = await cardContextFor(this.store, view.message);
    const pages = cardPagesFor(view.message, { snoozeMaxDays: this.policy.attestation.snoozeMaxDays, notice: said.notice, data: { delivery: deliveryId }, ...context, ...(said.open === undefined ? {} : { open: said.open }) });
    // A value is attestation ids, an item id (Claim), a request id (Approve, Accept) or `<item id>:<trigger>` (Request rotation).
    const clicked = new Set(
      origin.clicked.split(',').flatMap((part) => {
        const id = part.trim();
        return [`attestation:${id}`, `queue:${id}`, `approval:${id}`, `offer:${id}`, `rotation:${id.split(':')[0] ?? ''}`];
      }),
    );
    // The page holding what was clicked; the first, for a click on the message's own Confirm all.
    const page = pages.find((p) => p.subjects.some((s) => clicked.has(s))) ?? pages[0];
    return page === undefined ? noticeCard(said.notice, tone) : page.card;
  }
}
