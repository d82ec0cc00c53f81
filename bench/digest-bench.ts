// The security leads' digest over a large inventory: counted, worded and (once) stored, in process.
import { makeDigestNow } from '../src/digest/make-digest.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { openSqliteStore } from '../storage/sqlite-store.js';
import { percentile } from './percentile.js';

export interface DigestFigures {
  readonly identities: number;
  readonly openAttestations: number;
  /** The first digest on a database just opened (its page cache cold), in ms. */
  readonly firstMs: number;
  /** Printed digests (nothing stored) on a warm connection: median and slowest, in ms. */
  readonly medianMs: number;
  readonly maxMs: number;
  /** One stored and queued, as the tick makes it, in ms. */
  readonly storedMs: number;
  readonly coveragePercent: number;
}

/** Times the digest on `dbFile` as of `at`: once cold, `runs` times printed, once stored. */
export async function timeDigest(dbFile: string, at: Date, runs = 7): Promise<DigestFigures> {
  const store = openSqliteStore(dbFile);
  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  const identities = count(`SELECT count(*) AS n FROM items WHERE kind = 'identity'`);
  const openAttestations = count(`SELECT count(*) AS n FROM attestations WHERE status = 'open'`);
  const digest = async (print: boolean) => {
    const started = performance.now();
    const outcome = await makeDigestNow(store, defaultPolicy, at, { print, actor: 'bench' });
    if (outcome.status !== 'made') throw new Error(`the digest came back ${outcome.status}`);
    return { ms: performance.now() - started, outcome };
  };
  const first = await digest(true);
  const warm: number[] = [];
  for (let i = 0; i < runs; i += 1) warm.push((await digest(true)).ms);
  const stored = await digest(false);
  await store.close();
  const { apis, identities: ids } = stored.outcome.figures.coverage;
  return {
    identities,
    openAttestations,
    firstMs: first.ms,
    medianMs: percentile([...warm].sort((a, b) => a - b), 50),
    maxMs: Math.max(...warm),
    storedMs: stored.ms,
    coveragePercent: (100 * (apis.accountable + ids.accountable)) / Math.max(1, apis.total + ids.total),
  };
}
