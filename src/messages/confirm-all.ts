import type { MessageAction, MessageSection } from './outgoing-message.js';

/**
 * The attestations a Confirm all over these sections covers: those still open that carry their own Confirm. An
 * owner attests to facts they were shown, so a surface that shows fewer sections recounts over those it shows.
 */
export function confirmAllCovers(sections: readonly MessageSection[]): number[] {
  return sections.flatMap((s) => (s.resolved === undefined && s.attestationId !== undefined && s.actions.some((a) => a.id === 'attest.confirm') ? [s.attestationId] : []));
}

/** Confirm all over these sections: none when fewer than two are open (one has its own Confirm). */
export function confirmAllFor(sections: readonly MessageSection[]): MessageAction[] {
  const ids = confirmAllCovers(sections);
  return ids.length > 1 ? [{ id: 'attest.confirm_all', label: `Confirm all ${ids.length}`, value: ids.join(','), style: 'primary' }] : [];
}

/** A message's own actions with its Confirm all recounted over `sections` (those still open, or those shown). */
export function recountConfirmAll(actions: readonly MessageAction[], sections: readonly MessageSection[]): MessageAction[] {
  return actions.flatMap((action) => (action.id === 'attest.confirm_all' ? confirmAllFor(sections) : [action]));
}
