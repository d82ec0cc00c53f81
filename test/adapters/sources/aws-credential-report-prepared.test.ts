import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCredentialReport } from '../../../adapters/sources/aws/aws-credential-report.js';
import { rowReadingVersion } from '../../../adapters/sources/aws/report-row-entries.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { PreparableEntries, PreparedItemEntry, SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';

/*
 * An import reads a credential report with its identities prepared: named and fingerprinted by their row, and built
 * only when the store does not find them as they were. These tests hold the prepared reading to the plain one.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-aws-prepared-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const header =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

const arn = (user: string) => `arn:aws:iam::123456789012:user/${user}`;
const noKey = 'false,N/A,N/A,N/A,N/A';
const noCert = 'false,N/A';

// A root row, a console user with a key, one without, a workload mid-rotation, a deactivated key, a certificate,
// a row with blanks, sentinels in capitals and padding, and rows the reading refuses.
const rows = [
  `<root_account>,arn:aws:iam::123456789012:root,2019-03-04T17:21:09+00:00,not_supported,2025-05-28T09:12:44+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,${noKey},${noCert},${noCert}`,
  `alice.nguyen,${arn('alice.nguyen')},2021-06-14T08:02:51+00:00,true,2025-06-02T07:45:10+00:00,2025-04-01T10:11:12+00:00,N/A,true,true,2025-01-15T13:40:00+00:00,2025-06-01T16:22:00+00:00,eu-west-1,ec2,${noKey},${noCert},${noCert}`,
  `bob.smith,${arn('bob.smith')},2024-11-20T12:00:03+00:00,true,no_information,2024-11-20T12:00:03+00:00,N/A,false,${noKey},${noKey},${noCert},${noCert}`,
  `svc-terraform,${arn('ci/svc-terraform')},2020-08-17T15:05:41+00:00,false,N/A,N/A,N/A,false,true,2023-08-17T15:06:02+00:00,2025-05-30T22:41:00+00:00,us-east-1,iam,true,2025-05-29T10:00:00+00:00,2025-06-02T05:59:00+00:00,eu-central-1,sts,${noCert},${noCert}`,
  `svc-reporting,${arn('svc-reporting')},2018-10-01T09:20:00+00:00,false,N/A,N/A,N/A,false,false,2019-04-19T15:47:39+00:00,2019-12-24T11:35:00+00:00,us-east-1,sts,${noKey},${noCert},${noCert}`,
  `legacy-soap-client,${arn('legacy/legacy-soap-client')},2016-01-11T10:10:10+00:00,false,N/A,N/A,N/A,false,${noKey},${noKey},true,2016-01-11T10:12:00+00:00,${noCert}`,
  `svc-blank, ${arn('svc-blank')} ,,FALSE,,,, N/A ,TRUE,2025-04-22T14:18:31+00:00,No_Information,,,${noKey},${noCert},${noCert}`,
  `svc-bad-date,${arn('svc-bad-date')},2025-04-22T14:18:30+00:00,false,N/A,N/A,N/A,false,true,2025-02-30T00:00:00Z,N/A,N/A,N/A,${noKey},${noCert},${noCert}`,
  `svc-maybe,${arn('svc-maybe')},2025-04-22T14:18:30+00:00,maybe,N/A,N/A,N/A,false,true,2025-04-22T14:18:31+00:00,N/A,N/A,N/A,${noKey},${noCert},${noCert}`,
  `svc-elsewhere,not-an-arn,2025-04-22T14:18:30+00:00,false,N/A,N/A,N/A,false,true,2025-04-22T14:18:31+00:00,N/A,N/A,N/A,${noKey},${noCert},${noCert}`,
  `svc-leaky,${arn('svc-leaky')},2025-04-22T14:18:30+00:00,false,N/A,N/A,N/A,false,true,2025-04-22T14:18:31+00:00,N/A,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY,N/A,${noKey},${noCert},${noCert}`,
];

let files = 0;
function report(lines: readonly string[], head = header): string {
  const file = path.join(tmp, `report-${(files += 1)}.csv`);
  fs.writeFileSync(file, `${[head, ...lines].join('\n')}\n`);
  return file;
}

function snapshotOf(file: string): SourceSnapshot {
  const [snapshot] = awsCredentialReport.read([file], {}, { apiCodePaths: [] });
  if (snapshot === undefined) throw new Error('no snapshot');
  return snapshot;
}

function preparedOf(file: string): Array<RawEntry | InvalidEntry | PreparedItemEntry> {
  return [...(snapshotOf(file).entries as PreparableEntries).prepared()];
}

const isPrepared = (entry: RawEntry | InvalidEntry | PreparedItemEntry): entry is PreparedItemEntry => entry.type === 'prepared';

function fingerprints(file: string): Map<string, string> {
  return new Map(preparedOf(file).filter(isPrepared).map((entry) => [entry.sourceKey, entry.fingerprint]));
}

/** The report with the columns in reverse order. */
function reversed(lines: readonly string[]): string {
  const flip = (line: string) => line.split(',').reverse().join(',');
  return report(lines.map(flip), flip(header));
}

describe('aws-credential-report: identities prepared for an import', () => {
  it.each([
    ['the report', () => report(rows)],
    ['the report with its columns reversed', () => reversed(rows)],
    ['the report with columns it does not read', () => report(rows.map((row) => `${row},kept for audit,x`), `${header},notes,access_key_2_notes`)],
  ])('when %s is read for an import, then it gives the plain reading’s entries, each identity prepared to build exactly its entry', (_what, file) => {
    const path = file();
    const plain = [...snapshotOf(path).entries];
    const prepared = preparedOf(path);
    expect(plain.filter((entry) => entry.type === 'identity')).toHaveLength(8);
    expect(plain.filter((entry) => entry.type === 'invalid')).toHaveLength(2);
    expect(prepared.map((entry) => (isPrepared(entry) ? entry.build() : entry))).toEqual(plain);
    prepared.forEach((entry, i) => {
      const built = plain[i];
      if (!isPrepared(entry) || built?.type !== 'identity') {
        expect(entry.type).not.toBe('prepared');
        return;
      }
      expect({ kind: entry.kind, sourceKey: entry.sourceKey, ref: entry.ref }).toEqual({ kind: 'identity', sourceKey: built.sourceKey, ref: built.data.ref });
    });
  });

  it('when the same rows are read again, from another file and in another order, then each identity has the same fingerprint', () => {
    const first = fingerprints(report(rows));
    expect(first.size).toBe(8);
    expect(fingerprints(report([...rows].reverse()))).toEqual(first);
    expect(new Set(first.values()).size).toBe(8);
  });

  it('when any field of a row changes, even one no identity keeps, then every identity of that row has another fingerprint and the others keep theirs', () => {
    const first = fingerprints(report(rows));
    const terraform = rows[3] ?? '';
    const fields = terraform.split(',');
    fields.forEach((value, i) => {
      if (i === 1) return; // the ARN names the identities: another ARN is other identities
      const changed = [...fields];
      changed[i] = value === 'N/A' ? 'n/a' : `${value} `;
      const again = fingerprints(report(rows.map((row) => (row === terraform ? changed.join(',') : row))));
      for (const [key, fingerprint] of first) {
        if (key.startsWith(arn('ci/svc-terraform'))) expect(again.get(key), `column ${i}`).not.toBe(fingerprint);
        else expect(again.get(key)).toBe(fingerprint);
      }
    });
  });

  it('when the header names the same columns in another order, then the fingerprints differ (the fields are read by their names)', () => {
    const plain = fingerprints(report(rows));
    const flipped = fingerprints(reversed(rows));
    expect([...flipped.keys()]).toEqual([...plain.keys()]);
    for (const [key, fingerprint] of flipped) expect(fingerprint).not.toBe(plain.get(key));
  });
});

describe('aws-credential-report: a re-import builds only what changed', () => {
  /** The file's snapshot, counting the identities the import builds. */
  function counted(file: string): { snapshot: SourceSnapshot; builds: () => number } {
    const snapshot = snapshotOf(file);
    const entries = snapshot.entries as PreparableEntries;
    let builds = 0;
    const countedEntries: PreparableEntries = {
      [Symbol.iterator]: () => entries[Symbol.iterator](),
      *prepared() {
        for (const entry of entries.prepared())
          yield isPrepared(entry) ? { ...entry, build: () => ((builds += 1), entry.build()) } : entry;
      },
    };
    return { snapshot: { ...snapshot, entries: countedEntries }, builds: () => builds };
  }

  // The rows the reading refuses (a flag, an ARN) and those the check refuses (a secret, a date) left out.
  const valid = rows.filter((row) => !/svc-(maybe|elsewhere|leaky|bad-date)/.test(row));

  it('when the same report is imported again, then no identity is built, and one whose row changed is built, checked and updated', async () => {
    const store = memoryStore();
    const first = counted(report(valid));
    expect((await importSnapshots(store, [first.snapshot], { at: '2026-11-01T09:00:00Z' })).sources[0]?.identities).toMatchObject({ created: 6 });
    expect(first.builds()).toBe(6);

    const again = counted(report(valid));
    const unchanged = await importSnapshots(store, [again.snapshot], { at: '2026-11-02T09:00:00Z' });
    expect(unchanged.sources[0]?.identities).toEqual({ created: 0, updated: 0, unchanged: 6, vanished: 0, reappeared: 0 });
    expect(unchanged.sources[0]?.findings.map((f) => f.code).sort()).toEqual(['aws_key_on_console_user', 'aws_root_account']);
    expect(again.builds()).toBe(0);

    const used = valid.map((row) => row.replace('2025-06-01T16:22:00+00:00', '2025-06-03T08:00:00+00:00'));
    const changed = counted(report(used));
    const report3 = await importSnapshots(store, [changed.snapshot], { at: '2026-11-03T09:00:00Z' });
    expect(report3.sources[0]?.identities).toEqual({ created: 0, updated: 1, unchanged: 5, vanished: 0, reappeared: 0 });
    expect(changed.builds()).toBe(1);
    const detail = await store.getItemDetail('identity', 'aws/123456789012/alice.nguyen/access-key-1');
    expect(detail?.item).toMatchObject({ lastUsedAt: '2025-06-03T08:00:00.000Z' });
  });

  it('when rows the reading or the check refuses come into a report imported before, then the import is refused as the first time', async () => {
    const store = memoryStore();
    await importSnapshots(store, [snapshotOf(report(valid))]);
    const refused = await importSnapshots(store, [snapshotOf(report(rows))], { at: '2026-11-02T09:00:00Z' });
    expect(refused).toMatchObject({ applied: false, invalid: 4 });
    expect(JSON.stringify(refused)).not.toContain('wJalrXUtnFEMI');
  });
});

describe('rowReadingVersion', () => {
  // The files that decide what a report row becomes. Identities stored by one reading and read again unchanged are
  // not built again unless the version changes.
  const readingFiles = ['adapters/sources/aws/aws-credential-report.ts', 'adapters/sources/aws/report-header.ts', 'adapters/sources/aws/report-row-entries.ts'];
  const pinned = { version: 1, digest: '785fda4916a455a9' };

  it('when the reading of a report row changes, then the version is bumped (or this digest is updated for a change that reads rows the same)', () => {
    const hash = createHash('sha256');
    for (const file of readingFiles) hash.update(fs.readFileSync(path.join(root, file), 'utf8').replaceAll('\r\n', '\n'));
    const digest = hash.digest('hex').slice(0, 16);
    const advice =
      `${readingFiles.join(', ')} changed. If what a report row becomes changed (an entry's fields, its unmapped values, ` +
      `which rows make identities), bump rowReadingVersion in adapters/sources/aws/report-row-entries.ts so identities ` +
      `read unchanged are built and checked again; either way, set this test's pinned digest to ${digest} (and its version to rowReadingVersion).`;
    expect({ version: rowReadingVersion, digest }, advice).toEqual(pinned);
  });
});
