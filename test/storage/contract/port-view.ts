import type { Store } from '../../../src/ports/store.js';
import { directoryPeople } from './scenario.js';

/**
 * Everything the store port can show about a database, read only through the port: counts, the audit chain,
 * the latest recorded time, every item (detail, id, trail, open attestation), the unowned list, the code paths,
 * and every known person (chat identity and their items). "Changed nothing" means this is the same before and
 * after: it is how the contract checks a refusal, a dry run or a failed transaction without looking at tables.
 */
export async function portView(store: Store, emails: readonly string[] = directoryPeople) {
  const all = await store.listItems({});
  const items = [];
  for (const summary of all.items) {
    const { kind, ref } = summary;
    items.push({
      summary,
      id: await store.itemIdOf(kind, ref),
      detail: await store.getItemDetail(kind, ref),
      trail: await store.itemAuditTrail(kind, ref, 10_000),
      open: await store.openAttestationOf(kind, ref),
    });
  }
  const people = [];
  for (const email of emails) people.push({ email, person: await store.chatPersonBy({ email }), mine: await store.myItems({ email }) });
  return {
    counts: await store.countInventory(),
    chain: await store.verifyAuditChain(),
    latestRecordedAt: await store.latestRecordedAt(),
    total: all.total,
    items,
    unowned: await store.listItems({ unowned: true }),
    codePaths: await store.listApiCodePaths(),
    people,
  };
}

export type PortView = Awaited<ReturnType<typeof portView>>;

/** The view without the audit trail, for refusals that change nothing but record that they were refused. */
export function withoutAudit(view: PortView) {
  return { ...view, chain: null, latestRecordedAt: null, items: view.items.map((item) => ({ ...item, trail: null })) };
}
