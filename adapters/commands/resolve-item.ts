import type { ItemKind } from '../../src/model/index.js';
import type { Store } from '../../src/ports/store.js';

export type ResolvedItem = { readonly ok: true; readonly kind: ItemKind; readonly ref: string; readonly id: number } | { readonly ok: false; readonly message: string };

/**
 * The item a command that changes or audits one item names: its exact ref (`api:` or `identity:` picks a kind).
 * Unlike `who`, no prefix or part: answering for the wrong item must not be one typo away.
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
  if (only === undefined) return { ok: false, message: `No ${kinds.length === 1 ? (kinds[0] === 'api' ? 'API' : 'identity') : 'API or identity'} has the ref ${ref}. (\`who ${ref}\` searches by name and part of a ref.)` };
  return { ok: true, kind: only.kind, ref, id: only.id };
}
