import { describe, expect, test } from 'vitest';
import { renderGateFindings, renderImportReport, renderList } from '../../../adapters/text/render-reports.js';
import type { ImportReport, SourceReport } from '../../../src/ports/store.js';
import { aSummary } from '../../support/items.js';

const now = new Date('2026-11-28T09:00:00Z');

function aSourceReport(overrides: Partial<SourceReport> = {}): SourceReport {
  const none = { created: 0, updated: 0, unchanged: 0 };
  return {
    source: 'csv:identities.csv',
    format: 'csv',
    apis: { ...none, vanished: 0, reappeared: 0 },
    identities: { created: 3, updated: 1, unchanged: 2, vanished: 1, reappeared: 0 },
    teams: none,
    people: none,
    ownershipChanges: 0,
    suggestions: 0,
    findings: [],
    notes: [],
    drift: [],
    ...overrides,
  };
}

function aReport(overrides: Partial<ImportReport> = {}): ImportReport {
  return { dryRun: false, applied: true, sources: [aSourceReport()], invalid: 0, problems: [], problemCount: 0, ...overrides };
}

describe('renderList', () => {
  test('when items are listed, then they form an aligned table with a dash for no owner and a count', () => {
    const text = renderList(
      {
        items: [
          aSummary('legacy-soap-gateway'),
          aSummary('payments-api', { team: 'payments', accountable: 'alice@example.com' }),
          aSummary('github-deploy-token', { kind: 'identity', team: 'payments', expiresAt: '2026-12-08T00:00:00.000Z' }),
          aSummary('old-key', { kind: 'identity', expiresAt: '2026-01-01T00:00:00.000Z', vanished: true }),
        ],
        total: 4,
      },
      now,
    );

    expect(text).toBe(
      [
        'KIND      REF                  TEAM      ACCOUNTABLE        EXPIRES',
        'api       legacy-soap-gateway  —         —',
        'api       payments-api         payments  alice@example.com',
        'identity  github-deploy-token  payments  —                  2026-12-08',
        'identity  old-key              —         —                  2026-01-01 expired  vanished',
        '4 items',
      ].join('\n'),
    );
  });

  test('when a limit cut the list, then the footer says how many of how many', () => {
    expect(renderList({ items: [aSummary('a')], total: 250 }, now).split('\n').at(-1)).toBe('1 of 250 items shown');
    expect(renderList({ items: [aSummary('a')], total: 1 }, now).split('\n').at(-1)).toBe('1 item');
  });

  test('when nothing matches, then it says so instead of printing an empty table', () => {
    expect(renderList({ items: [], total: 0 }, now)).toBe('No items match.');
  });
});

describe('renderImportReport', () => {
  test('when an import was written, then each source shows its counts, notes and warnings, then "Imported."', () => {
    const text = renderImportReport(
      aReport({
        sources: [
          aSourceReport({
            ownershipChanges: 2,
            notes: ['took over ci-deploy-token from csv:old.csv'],
            findings: [{ severity: 'warning', code: 'csv_unknown_column', subject: 'colour', message: 'columns not in the identities column set are ignored: colour', at: { file: 'identities.csv', line: 1 } }],
          }),
        ],
      }),
    );

    expect(text).toBe(
      [
        'csv:identities.csv (csv)',
        '  APIs:        0 created, 0 updated, 0 unchanged, 0 vanished',
        '  Identities:  3 created, 1 updated, 2 unchanged, 1 vanished',
        '  Teams:       0 created, 0 updated, 0 unchanged',
        '  People:      0 created, 0 updated, 0 unchanged',
        '  Ownership changes: 2',
        '  note: took over ci-deploy-token from csv:old.csv',
        '  warning: identities.csv:1: columns not in the identities column set are ignored: colour',
        'Imported.',
      ].join('\n'),
    );
  });

  test('when it is a dry run, then the counts say what would happen and that nothing was written', () => {
    const text = renderImportReport(aReport({ dryRun: true, applied: false }));

    expect(text).toContain('  Identities:  3 to create, 1 to update, 2 unchanged, 1 to flag vanished\n');
    expect(text.split('\n').at(-1)).toBe('Dry run: the import is valid; nothing was written.');
  });

  test('when entries were refused, then no counts are shown, warnings are kept, and every problem names file, line and field', () => {
    const text = renderImportReport(
      aReport({
        applied: false,
        sources: [
          aSourceReport({ findings: [{ severity: 'warning', code: 'x', subject: 's', message: 'columns not in the identities column set are ignored: colour', at: { file: 'ids.csv', line: 1 } }] }),
          aSourceReport({ source: 'csv:apis.csv' }),
        ],
        invalid: 2,
        problemCount: 3,
        problems: [
          { at: { file: 'ids.csv', line: 3 }, field: 'expires_at', message: 'is not an ISO 8601 date or time' },
          { at: { file: 'ids.csv', line: 7 }, field: 'purpose', message: 'looks like a GitHub token; refused and not stored (value withheld)' },
        ],
      }),
    );

    expect(text).toBe(
      [
        'csv:identities.csv (csv)',
        '  warning: ids.csv:1: columns not in the identities column set are ignored: colour',
        'Refused: 2 invalid entries (3 problems); nothing was written.',
        '  ids.csv:3: expires_at: is not an ISO 8601 date or time',
        '  ids.csv:7: purpose: looks like a GitHub token; refused and not stored (value withheld)',
        '  … and 1 more',
      ].join('\n'),
    );
  });
});

describe('renderImportReport: repeated findings are summarised', () => {
  const consoleUser = (n: number) => ({
    severity: 'warning' as const,
    code: 'aws_key_on_console_user',
    subject: `user-${n}`,
    message: `user-${n} signs in to the console with a password and also holds an access key (OWASP NHI10)`,
    at: { file: 'report.csv', line: n + 1 },
  });
  const rootKey = { severity: 'warning' as const, code: 'aws_root_account', subject: 'root', message: 'the root account has an access key', at: { file: 'report.csv', line: 2 } };

  test('when one kind of finding repeats 43,000 times, then the first three are shown with the count and the command that lists them all', () => {
    const findings = [consoleUser(1), rootKey, ...Array.from({ length: 42_999 }, (_, i) => consoleUser(i + 2))];

    const text = renderImportReport(aReport({ sources: [aSourceReport({ findings })] }));

    expect(text.split('\n').filter((line) => line.startsWith('  warning:') || line.startsWith('  …'))).toEqual([
      `  warning: report.csv:2: ${consoleUser(1).message}`,
      `  warning: report.csv:3: ${consoleUser(2).message}`,
      `  warning: report.csv:4: ${consoleUser(3).message}`,
      '  … and 42,997 more like these (aws_key_on_console_user: 43,000 in all); add --dry-run --json to the same import to list every one',
      '  warning: report.csv:2: the root account has an access key',
    ]);
    expect(text.split('\n').length).toBeLessThan(20);
  });

  test('when a kind of finding repeats only a few times, then each is shown', () => {
    const findings = Array.from({ length: 5 }, (_, i) => consoleUser(i + 1));

    const text = renderImportReport(aReport({ sources: [aSourceReport({ findings })] }));

    expect(text.split('\n').filter((line) => line.startsWith('  warning:'))).toHaveLength(5);
    expect(text).not.toContain('more like these');
  });

  test('when a refused import has repeated findings, then they are summarised the same way', () => {
    const findings = Array.from({ length: 10 }, (_, i) => consoleUser(i + 1));

    const text = renderImportReport(aReport({ applied: false, invalid: 1, problemCount: 1, problems: [{ at: { file: 'report.csv', line: 9 }, field: 'arn', message: 'is empty' }], sources: [aSourceReport({ findings })] }));

    expect(text).toContain('  … and 7 more like these (aws_key_on_console_user: 10 in all); add --dry-run --json to the same import to list every one');
  });
});

describe('renderImportReport: drift from approved changes', () => {
  const drift = (n: number) => ({
    kind: 'identity' as const,
    ref: `ci-deployer-${n}`,
    field: 'scopes' as const,
    source: 'read',
    approved: 'read write',
    requestId: 12,
  });

  test('when the source contradicts an approved change, then the item, field, both values and the request are shown, and that it was kept', () => {
    const text = renderImportReport(
      aReport({ sources: [aSourceReport({ drift: [{ kind: 'api', ref: 'payments-api', field: 'owner', source: 'payments (ana@acme.example)', approved: 'ledger (cat@acme.example)', requestId: 3 }] })] }),
    );

    expect(text.split('\n').slice(5, 7)).toEqual([
      '  Approved changes the source contradicts: 1',
      '    api:payments-api owner: the source says payments (ana@acme.example); approved request #3 set ledger (cat@acme.example) — kept; fix the source',
    ]);
  });

  test('when it is a dry run, then the drift is shown the same way', () => {
    const text = renderImportReport(aReport({ dryRun: true, applied: false, sources: [aSourceReport({ drift: [drift(1)] })] }));

    expect(text).toContain('    identity:ci-deployer-1 scopes: the source says read; approved request #12 set read write — kept; fix the source\n');
  });

  test('when 1,200 items drift, then the first ten are shown with the count and the command that lists them all', () => {
    const text = renderImportReport(aReport({ sources: [aSourceReport({ drift: Array.from({ length: 1200 }, (_, i) => drift(i + 1)) })] }));

    expect(text).toContain('  Approved changes the source contradicts: 1,200\n');
    expect(text.split('\n').filter((line) => line.startsWith('    identity:'))).toHaveLength(10);
    expect(text).toContain('    … and 1,190 more; add --dry-run --json to the same import to list every one\n');
  });

  test('when nothing drifts, then no drift line is shown', () => {
    expect(renderImportReport(aReport())).not.toContain('contradicts');
  });
});

describe('renderGateFindings', () => {
  test('when the gate finds problems, then each is one `file:line: ref: problem` line', () => {
    const text = renderGateFindings([
      { at: { file: 'catalog.yaml', line: 16 }, ref: 'stock-api', problem: 'no owning team' },
      { at: { file: 'catalog.yaml', document: 3 }, ref: 'orders-api', problem: 'no revocation path' },
    ]);

    expect(text).toBe(['catalog.yaml:16: stock-api: no owning team', 'catalog.yaml (document 3): orders-api: no revocation path'].join('\n'));
  });
});
