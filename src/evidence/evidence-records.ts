import { evidenceSources, type EvidencePeriod, type EvidenceSource, type EvidenceStore, type StoredEvidence } from '../ports/evidence-store.js';
import { controlsOf, shapeOf } from './evidence-controls.js';
import type { EvidenceRecord } from './evidence-record.js';

/** Records per page: a page is one short read transaction, small enough not to hold a writer up, large enough to be few. */
export const evidencePageSize = 2_000;

/** One source's records in the period, a page at a time: at most one page of it is held. */
async function* sourceRecords(store: EvidenceStore, period: EvidencePeriod, source: EvidenceSource, limit: number): AsyncGenerator<StoredEvidence> {
  let after = null;
  for (;;) {
    const page = await store.evidencePage({ from: period.from, to: period.to, source, after, limit });
    yield* page.records;
    if (page.next === null) return;
    after = page.next;
  }
}

/**
 * Every record that ended in the period (from inclusive, to exclusive), oldest first, each with the controls it
 * evidences. The sources (attestations, approval requests, claims) are read side by side, a page of each at a time,
 * and merged by time (then source, then id), so memory holds three pages however long the period. Pages are read as
 * they are reached: a record that ends while a period still under way is exported may be in it or not.
 */
export async function* evidenceRecords(store: EvidenceStore, period: EvidencePeriod, pageSize = evidencePageSize): AsyncGenerator<EvidenceRecord> {
  const streams = evidenceSources.map((source) => sourceRecords(store, period, source, pageSize));
  const heads = await Promise.all(streams.map((s) => s.next()));
  for (;;) {
    let first = -1;
    for (let i = 0; i < heads.length; i += 1) {
      const head = heads[i];
      if (head === undefined || head.done) continue;
      const best = first < 0 ? undefined : heads[first];
      // Earlier first; at the same time, the sources' order (attestations, approvals, claims) and each source's own.
      if (best === undefined || best.done || head.value.at < best.value.at) first = i;
    }
    const head = heads[first];
    const stream = streams[first];
    if (head === undefined || head.done || stream === undefined) return;
    yield { ...head.value, controls: controlsOf(shapeOf(head.value)) };
    heads[first] = await stream.next();
  }
}
