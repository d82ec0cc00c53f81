import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { projectRoot } from '../../support/fixtures.js';

/*
 * The audit trail as an attacker with write access to the database file, or another process, would touch it: for
 * the tests of `audit verify --expect-head` and of `backup` while something writes.
 */

/** Removes the last audit event with the very commands the README shows (the trigger dropped first). */
export function removeLastAuditEvent(file: string): void {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_delete; DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events);');
  } finally {
    db.close();
  }
}

/** Edits one audit event's actor in place (the update trigger dropped first). */
export function rewriteAuditEvent(file: string, id: number, actor: string): void {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update');
    db.prepare('UPDATE audit_events SET actor = ? WHERE id = ?').run(actor, id);
  } finally {
    db.close();
  }
}

// Another process writing through Steward's own storage code (the build in dist/), one audit event per transaction, as
// `serve` records its decisions; after each batch it prints `committed <events>:<hash>`, the head it just committed.
const writerScript = `
const [{ openSqliteStore }, { AuditLog }] = await Promise.all([import(process.argv[1]), import(process.argv[2])]);
const store = openSqliteStore(process.argv[3]);
const log = new AuditLog(store.db);
const append = store.db.transaction((n) => log.append({ at: '2026-12-07T09:00:00.000Z', actor: 'writer', action: 'test.written', details: { n, padding: 'x'.repeat(200) } }));
const prefill = Number(process.argv[4]);
store.db.transaction(() => { for (let n = 0; n < prefill; n += 1) append(n); }).immediate();
let n = prefill;
const batch = () => {
  for (let i = 0; i < 20; i += 1) append.immediate((n += 1));
  const head = store.db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get();
  process.stdout.write('committed ' + head.id + ':' + head.hash + '\\n');
  setImmediate(batch);
};
batch();
`;

export interface AuditWriter {
  /** The head the writer last said it committed, once it has said one. */
  readonly lastCommitted: () => string | undefined;
  /** Resolves once the writer has committed at least one batch after now. */
  readonly nextCommit: () => Promise<string>;
  readonly stop: () => Promise<void>;
}

/** Starts a second process that keeps appending audit events to `file`, after `prefill` in one transaction. */
export function startAuditWriter(file: string, prefill: number): AuditWriter {
  const dist = (module: string) => path.join(projectRoot, 'dist', 'storage', module);
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', writerScript, dist('sqlite-store.js'), dist('audit-log.js'), file, String(prefill)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last: string | undefined;
  let waiting: Array<(head: string) => void> = [];
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    const heads = lines.filter((line) => line.startsWith('committed ')).map((line) => line.slice('committed '.length));
    if (heads.length === 0) return;
    last = heads.at(-1);
    for (const resolve of waiting.splice(0)) resolve(last as string);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    lastCommitted: () => last,
    nextCommit: () => new Promise((resolve) => waiting.push(resolve)),
    stop: async () => {
      waiting = [];
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
