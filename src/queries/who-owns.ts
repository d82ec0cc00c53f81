import { distance } from 'fastest-levenshtein';
import type { ItemDetail, ItemKind, ItemSummary, PersonSummary } from '../model/index.js';
import type { Policy } from '../policy/policy.js';
import type { MatchMode, Store } from '../ports/store.js';

export type WhoResult =
  | { readonly kind: 'found'; readonly detail: ItemDetail; readonly approver: PersonSummary | null }
  | { readonly kind: 'ambiguous'; readonly query: string; readonly candidates: readonly ItemSummary[]; readonly more: boolean }
  | { readonly kind: 'not_found'; readonly query: string; readonly nearest: readonly ItemSummary[] };

const shownCandidates = 20;
// Candidates ranked by edit distance for "did you mean": the store returns the likeliest first (trigrams shared).
const suggestionPool = 300;

/** `api:petstore` and `identity:svc-ci` pick a kind; anything else searches both. */
function splitKind(query: string): { kind?: ItemKind; text: string } {
  const match = /^(api|identity):(.+)$/i.exec(query.trim());
  return match ? { kind: (match[1] ?? '').toLowerCase() as ItemKind, text: (match[2] ?? '').trim() } : { text: query.trim() };
}

/** The approver of record: the one named on the item, else (by policy) the owning team's lead. */
export function effectiveApprover(detail: ItemDetail, policy: Policy): PersonSummary | null {
  const owner = detail.item.owner;
  if (owner.approver) return owner.approver;
  return policy.approvals.defaultApprover === 'team_lead' ? (owner.team?.lead ?? null) : null;
}

/** The items whose ref or name is a few edits from `text`, nearest first (at most five): for "did you mean". */
export async function nearestItems(store: Store, text: string): Promise<ItemSummary[]> {
  const needle = text.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return (await store.candidateNames(text, suggestionPool))
    .map((item) => ({ item, score: Math.min(distance(needle, item.ref.toLowerCase()), distance(needle, item.name.toLowerCase())) }))
    .filter(({ score }) => score <= limit)
    .sort((a, b) => a.score - b.score || a.item.ref.localeCompare(b.item.ref))
    .slice(0, 5)
    .map(({ item }) => item);
}

/**
 * Answers `who <query>`: an exact ref or name first, then an unambiguous prefix, then an unambiguous part (of three
 * characters or more). Several matches at the first stage that has any are listed for the user to choose; none gives
 * the nearest. Each stage is an index lookup, so a miss costs milliseconds however large the inventory.
 */
export async function whoOwns(store: Store, policy: Policy, query: string): Promise<WhoResult> {
  const { kind, text } = splitKind(query);
  const stages: MatchMode[] = ['exact', 'prefix', 'substring'];
  for (const match of stages) {
    const found = await store.searchItems({ text, match, limit: shownCandidates + 1, ...(kind ? { kind } : {}) });
    if (found.length === 0) continue;
    // An exact ref beats an item that merely has the query as its name.
    const byRef = match === 'exact' ? found.filter((i) => i.ref.toLowerCase() === text.toLowerCase()) : [];
    const chosen = byRef.length === 1 ? byRef : found;
    const only = chosen.length === 1 ? chosen[0] : undefined;
    if (only) {
      const detail = await store.getItemDetail(only.kind, only.ref);
      if (detail) return { kind: 'found', detail, approver: effectiveApprover(detail, policy) };
    }
    return { kind: 'ambiguous', query, candidates: chosen.slice(0, shownCandidates), more: chosen.length > shownCandidates };
  }
  return { kind: 'not_found', query, nearest: await nearestItems(store, text) };
}
