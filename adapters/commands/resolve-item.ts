import { didYouMean } from '../../src/commands/did-you-mean.js';
import type { ItemKind } from '../../src/model/index.js';
import type { Store } from '../../src/ports/store.js';
import { nearestItems } from '../../src/queries/who-owns.js';

export type ResolvedItem = { readonly ok: true; readonly kind: ItemKind; readonly ref: string; readonly id: number } | { readonly ok: false; readonly message: string };

/**
 * The item a command that changes or audits one item names: its exact ref (`api:` or `identity:` picks a kind).
 * Unlike `who`, no prefix or part: answering for the wrong item must not be one typo away. A ref that is not
 * there gets the nearest one as a suggestion, never as the item acted on.
 */
export async function resolveItem(store: Store, query: string): Promise<ResolvedItem> {
  const match = /^(api|identity):(.+)$/i.exec(query.trim());
  const ref = (match ? (match[2] ?? '') : query).trim();
  const kinds: ItemKind[] = match ? [(match[1] ?? '').toLowerCase() as ItemKind] : ['api', 'identity'];
  const found: Array<{ kind: ItemKind; id: number }> = [];
  for (const kind of kinds) {
    const id = await store.itemIdOf(kind, ref);
    if (id !== null) found.push({ kind, id });
  }
  const [only] = found;
  if (found.length > 1) return { ok: false, message: `Both an API and an identity are called ${ref}; say api:${ref} or identity:${ref}.` };
  if (only === undefined) {
    const what = kinds.length === 1 ? (kinds[0] === 'api' ? 'API' : 'identity') : 'API or identity';
    const near = (await nearestItems(store, ref)).filter((item) => kinds.includes(item.kind)).map((item) => item.ref);
    return { ok: false, message: `No ${what} has the ref ${ref}${didYouMean(ref, near)}. (\`who ${ref}\` searches by name and part of a ref.)` };
  }
  return { ok: true, kind: only.kind, ref, id: only.id };
}
