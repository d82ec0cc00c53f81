// Re-syncs: the same CSV inventory imported a first time, again unchanged, and again with 1 % of its rows changed, into
// one database, each in its own process with a CPU profile; and an AWS credential report imported twice beside a bare
// parse-and-insert of it. The nightly re-sync is the import that runs most: it should cost what changed.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { readCsvRecords } from '../adapters/sources/csv/read-csv-records.js';
import { generateCredentialReport } from './generate-aws-report.js';
import { mainThreadProfile, summariseProfile, type ProfileShare } from './profile-summary.js';

export interface TimedImport {
  readonly seconds: number;
  readonly maxRssMb: number;
  /** Where its time went, from its CPU profile. */
  readonly profile: readonly ProfileShare[];
}

export interface ResyncFigures {
  readonly rows: number;
  readonly changedRows: number;
  readonly ownerChanges: number;
  readonly first: TimedImport;
  readonly unchanged: TimedImport;
  readonly changed: TimedImport;
}

export interface CredentialReportFigures {
  readonly users: number;
  readonly bare: { readonly seconds: number; readonly maxRssMb: number };
  readonly first: TimedImport;
  readonly unchanged: TimedImport;
}

const tsx = import.meta.resolve('tsx');

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

/** Runs a bench child script under tsx in `cwd` (a CSV source is named by its path from there), optionally profiled. */
function runChild(root: string, cwd: string, script: string, args: readonly string[], profileDir?: string): Record<string, number> {
  const profiling = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const stdout = execFileSync(process.execPath, [...profiling, '--import', tsx, path.join(root, 'bench', script), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

/** One `steward import` in its own process, profiled: the profile is summarised and the raw file kept in `profileDir`. */
function timedImport(root: string, cwd: string, args: readonly string[], profileDir: string): TimedImport {
  fs.rmSync(profileDir, { recursive: true, force: true });
  const figures = runChild(root, cwd, 'import-child.ts', args, profileDir);
  if (figures.code !== 0) throw new Error(`steward import ${args.join(' ')} failed with exit code ${figures.code}`);
  return { seconds: figures.seconds ?? 0, maxRssMb: figures.maxRssMb ?? 0, profile: summariseProfile(mainThreadProfile(profileDir)) };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Copies a generated inventory file with one row in a hundred changed as a nightly export would change it: a new
 * purpose, and for one in ten of those a new accountable person too. Returns how many rows and owners changed.
 */
async function copyWithChanges(from: string, to: string): Promise<{ rows: number; owners: number }> {
  const out = fs.createWriteStream(to);
  let header: readonly string[] | undefined;
  let row = 0;
  let rows = 0;
  let owners = 0;
  let buffer = '';
  for (const record of readCsvRecords(from)) {
    if (!('fields' in record)) throw new Error(`${from}:${record.line}: ${record.error}`);
    let fields = record.fields;
    if (header === undefined) header = fields;
    else {
      if (row % 100 === 37) {
        rows += 1;
        const changed = [...fields];
        const purpose = header.indexOf('purpose');
        changed[purpose] = `${changed[purpose] ?? ''} (reviewed)`;
        if (row % 1000 === 37) {
          const accountable = header.indexOf('accountable');
          changed[accountable] = `reviewer${row}@example.com`;
          owners += 1;
        }
        fields = changed;
      }
      row += 1;
    }
    buffer += `${fields.map(csvField).join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return { rows, owners };
}

/**
 * The inventory's CSV files (both in `dir`) imported into a database of their own: first, again unchanged, and again
 * with 1 % of their rows changed (the same file names in another folder, imported from there, so the sources are the
 * same: `csv:apis.csv`, `csv:identities.csv`).
 */
export async function timeResyncs(root: string, dir: string, fileNames: readonly string[], rows: number): Promise<ResyncFigures> {
  const dbFile = path.join(dir, 'resync.db');
  removeDatabase(dbFile);
  const changedDir = path.join(dir, 'resync-changed');
  fs.mkdirSync(changedDir, { recursive: true });
  let changedRows = 0;
  let ownerChanges = 0;
  for (const name of fileNames) {
    const changed = await copyWithChanges(path.join(dir, name), path.join(changedDir, name));
    changedRows += changed.rows;
    ownerChanges += changed.owners;
  }
  const profiles = path.join(dir, 'profiles');
  const first = timedImport(root, dir, [dbFile, ...fileNames], path.join(profiles, 'first-import'));
  const unchanged = timedImport(root, dir, [dbFile, ...fileNames], path.join(profiles, 'unchanged-reimport'));
  const changed = timedImport(root, changedDir, [dbFile, ...fileNames], path.join(profiles, 'changed-reimport'));
  return { rows, changedRows, ownerChanges, first, unchanged, changed };
}

/** An AWS credential report of `users` users: a bare parse-and-insert of it, then `steward import aws-credential-report` twice. */
export async function timeCredentialReport(root: string, dir: string, users: number): Promise<CredentialReportFigures> {
  fs.mkdirSync(dir, { recursive: true });
  const report = path.join(dir, 'credential-report.csv');
  await generateCredentialReport(report, users);
  const bare = runChild(root, root, 'raw-insert-child.ts', ['bare', path.join(dir, 'raw-bare.db'), report]);
  const dbFile = path.join(dir, 'steward.db');
  removeDatabase(dbFile);
  const args = [dbFile, '--format', 'aws-credential-report', report];
  const first = timedImport(root, root, args, path.join(dir, 'profiles', 'first-import'));
  const unchanged = timedImport(root, root, args, path.join(dir, 'profiles', 'unchanged-reimport'));
  return { users, bare: { seconds: bare.seconds ?? 0, maxRssMb: bare.maxRssMb ?? 0 }, first, unchanged };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The re-sync figures as the bench's markdown: the timings against their targets, then where each import's time went. */
export function resyncSection(resync: ResyncFigures, aws: CredentialReportFigures | null): string[] {
  const faster = (first: TimedImport, again: TimedImport) => first.seconds / again.seconds;
  const unchangedGain = faster(resync.first, resync.unchanged);
  const changedGain = faster(resync.first, resync.changed);
  const run = (t: TimedImport) => `${fmt(t.seconds, 1)} s, peak RSS ${fmt(t.maxRssMb)} MB`;
  const lines = [
    `Re-syncs: the same two CSV files (${fmt(resync.rows)} rows) imported into a database of their own, each import in its own process under the CPU profiler: a first time, again unchanged, and again with 1 % of the rows changed (${fmt(resync.changedRows)} rows with a new purpose, ${fmt(resync.ownerChanges)} of them with a new accountable person too).`,
    '',
    '| measure | figure | target |',
    '|---|---|---|',
    `| first import (profiled) | ${run(resync.first)} | |`,
    `| re-import, unchanged | ${run(resync.unchanged)}; **${fmt(unchangedGain, 1)}×** faster than the first | ≥ 3× ${unchangedGain >= 3 ? '✓' : '✗'} |`,
    `| re-import, 1 % of rows changed | ${run(resync.changed)}; **${fmt(changedGain, 1)}×** faster than the first | close to 3× ${changedGain >= 2.5 ? '✓' : '✗'} |`,
  ];
  const profiled: Array<readonly [string, TimedImport]> = [['CSV, first', resync.first], ['CSV, unchanged', resync.unchanged], ['CSV, 1 % changed', resync.changed]];
  if (aws !== null) {
    const awsGain = faster(aws.first, aws.unchanged);
    lines.push(
      '',
      `AWS IAM credential report: ${fmt(aws.users)} users generated by \`bench/generate-aws-report.ts\` (most of them workloads with one or two access keys, one in five a person with a console password), imported with \`steward import aws-credential-report\` a first time and again unchanged, beside a bare parse-and-insert of the same file.`,
      '',
      '| measure | figure | target |',
      '|---|---|---|',
      `| bare parse-and-insert (a table with no keys or indexes) | ${fmt(aws.bare.seconds, 1)} s, peak RSS ${fmt(aws.bare.maxRssMb)} MB | |`,
      `| first import (profiled) | ${run(aws.first)}; ${fmt(aws.bare.seconds / aws.first.seconds, 2)} of the bare insert's rate | |`,
      `| re-import, unchanged | ${run(aws.unchanged)}; **${fmt(awsGain, 1)}×** faster than the first | ≥ 3× ${awsGain >= 3 ? '✓' : '✗'} |`,
    );
    profiled.push(['AWS, first', aws.first], ['AWS, unchanged', aws.unchanged]);
  }
  const stages = [...new Set(profiled.flatMap(([, t]) => t.profile.map((p) => p.stage)))];
  const secondsOf = (t: TimedImport, stage: string) => t.profile.find((p) => p.stage === stage)?.seconds ?? 0;
  stages.sort((a, b) => secondsOf(resync.first, b) - secondsOf(resync.first, a));
  const cell = (t: TimedImport, stage: string) => {
    const share = t.profile.find((p) => p.stage === stage)?.share ?? 0;
    return share < 0.005 ? '–' : `${fmt(secondsOf(t, stage), 1)} s (${fmt(100 * share)} %)`;
  };
  lines.push(
    '',
    'Where the time goes: each import\'s CPU profile, its samples put in the first stage of the import found on their stack (`bench/profile-summary.ts`; SQLite\'s own work shows in the JavaScript that called it).',
    '',
    `| stage | ${profiled.map(([name]) => name).join(' | ')} |`,
    `|---|${profiled.map(() => '---').join('|')}|`,
    ...stages.map((stage) => `| ${stage} | ${profiled.map(([, t]) => cell(t, stage)).join(' | ')} |`),
  );
  return lines;
}
