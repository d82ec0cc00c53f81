import { describe, expect, it } from 'vitest';
import { backstage } from '../../../adapters/sources/backstage/backstage.js';
import { gcpKeys } from '../../../adapters/sources/gcp/gcp-keys.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import { formatProblem } from '../../../src/inventory/source-location.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { useTempDir } from '../../support/temp-dir.js';

/*
 * "\ud800" is half of a character: JSON and YAML can write it, SQLite cannot store it (better-sqlite3 writes
 * U+FFFD instead). Such text is refused where it is, so nothing is stored differently from what was hashed, and
 * `audit verify` never reports a tampering that did not happen.
 */

const tmp = useTempDir('surrogates');
const notText = 'holds a lone UTF-16 surrogate (half of a character, as "\\ud800" writes in JSON or YAML), which is not text; refused';

const catalog = (name: string) =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: "${name}"`, '  title: "Pet \\ud800 store"', 'spec:', '  type: openapi', '  owner: pets'].join('\n');

/** Imports the snapshots twice, as a scheduled import would, and verifies the chain after each. */
async function importTwice(read: () => readonly SourceSnapshot[]) {
  const store = memoryStore();
  const first = await importSnapshots(store, read(), { at: '2026-11-01T09:00:00Z' });
  const second = await importSnapshots(store, read(), { at: '2026-11-02T09:00:00Z' });
  return { first, second, chain: await store.verifyAuditChain(), counts: await store.countInventory() };
}

describe('imports refuse text that is not Unicode', () => {
  it('when a Backstage name and title hold a lone surrogate, then the import is refused at each line, and the chain stays whole', async () => {
    const file = tmp.write('catalog.yaml', catalog('pet\\ud800'));

    const { first, second, chain } = await importTwice(() => backstage.read([file], {}, { apiCodePaths: [] }));

    expect(first.applied).toBe(false);
    expect(first.problems.map(formatProblem)).toEqual([`${file}:4: metadata.name: ${notText}`, `${file}:5: metadata.title: ${notText}`]);
    expect(second.applied).toBe(false);
    expect(chain.ok).toBe(true);
  });

  it('when a GCP display name holds a lone surrogate, then the import is refused naming the file, line and field', async () => {
    const accounts = [{ name: 'projects/p/serviceAccounts/sa-1@p.iam.gserviceaccount.com', projectId: 'p', email: 'sa-1@p.iam.gserviceaccount.com', displayName: 'Bad \ud800 name' }];
    const file = tmp.write('accounts.json', `${JSON.stringify(accounts, null, 2)}\n`);

    const { first, chain, counts } = await importTwice(() => gcpKeys.read([file], {}, { apiCodePaths: [] }));

    expect(first.applied).toBe(false);
    expect(first.problems.map(formatProblem)).toEqual([`${file}:6: [0].displayName: ${notText}`]);
    expect(chain.ok).toBe(true);
    expect(counts).toMatchObject({ identities: 0 });
  });
});
