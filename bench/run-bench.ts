// `npm run bench`: generates a large inventory, imports it, and times lookups. Not part of `npm test`.
// Writes its figures into docs/benchmarks.md between the bench markers, with the machine they were taken on.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultPolicy } from '../src/policy/policy.js';
import { fixedClock } from '../src/ports/clock.js';
import { listInventory } from '../src/queries/list-inventory.js';
import { whoOwns } from '../src/queries/who-owns.js';
import { openSqliteStore } from '../storage/sqlite-store.js';
import { generateInventory, randomSource } from './generate-inventory.js';
import { percentile } from './percentile.js';
import { p99Within, slackAckBudgetMs, slackTargets, timeSlackAcks, type BurstFigures } from './slack-ack-bench.js';
import { cliStartTable, timeCliStart } from './cli-start-bench.js';
import { defaultCommandThreads } from '../adapters/cli/store-worker.js';
import { timeDeliveries } from './delivery-bench.js';
import { tickAt, timeEnqueue, timeTick } from './tick-bench.js';
import { timeDigest } from './digest-bench.js';
import { queryTable, timeQueries, timeSearchRebuild, withoutSearchIndex } from './query-bench.js';
import { resyncSection, timeCredentialReport, timeResyncs } from './resync-bench.js';
import { evidenceSection, timeEvidenceExports } from './evidence-bench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    apis: { type: 'string', default: '100000' },
    identities: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '20000' },
    out: { type: 'string', default: path.join(root, 'bench/out') },
    due: { type: 'string', default: '10000' },
    'aws-users': { type: 'string', default: '200000' },
    'no-write': { type: 'boolean', default: false },
  },
});
const shape = { apis: Number(values.apis), identities: Number(values.identities), teams: 2000, people: 20000 };
const outDir = values.out;

interface ChildFigures {
  readonly rows: number;
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly code: number;
}

function runChild(script: string, args: string[]): { json: ChildFigures; stdout: string } {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  return { json: { rows: 0, code: 0, ...(JSON.parse(last) as Partial<ChildFigures>) } as ChildFigures, stdout };
}

/** Copies the first `lines` lines of a file (the generator writes no quoted newlines). */
async function copyHead(from: string, to: string, lines: number): Promise<void> {
  const out = fs.createWriteStream(to);
  let count = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(from), crlfDelay: Infinity })) {
    if (count === lines) break;
    if (!out.write(`${line}\n`)) await once(out, 'drain');
    count += 1;
  }
  out.end();
  await once(out, 'finish');
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  console.log(`Generating ${fmt(shape.apis)} APIs and ${fmt(shape.identities)} identities in ${outDir} …`);
  const generatedAt = performance.now();
  const files = await generateInventory(outDir, shape);
  console.log(`  ${fmt((performance.now() - generatedAt) / 1000, 1)} s`);
  const rows = shape.apis + shape.identities;
  const csvFiles = [files.apis, files.identities];

  console.log('Raw better-sqlite3 inserts of the same rows …');
  const bare = runChild('raw-insert-child.ts', ['bare', path.join(outDir, 'raw-bare.db'), ...csvFiles]).json;
  const schema = runChild('raw-insert-child.ts', ['schema', path.join(outDir, 'raw-schema.db'), ...csvFiles]).json;
  console.log(`  bare table: ${fmt(bare.rows / bare.seconds)} rows/s; Steward's items table: ${fmt(schema.rows / schema.seconds)} rows/s`);

  console.log('steward import csv …');
  const dbFile = path.join(outDir, 'steward.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  const imported = runChild('import-child.ts', [dbFile, ...csvFiles]).json;
  if (imported.code !== 0) throw new Error(`the import failed with exit code ${imported.code}`);
  const importRate = rows / imported.seconds;
  console.log(`  ${fmt(imported.seconds, 1)} s, ${fmt(importRate)} rows/s, peak RSS ${fmt(imported.maxRssMb)} MB`);

  console.log('steward import csv again, into a database that does not keep the trigram index …');
  const unsearchedDb = path.join(outDir, 'without-search-index.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${unsearchedDb}${suffix}`, { force: true });
  await withoutSearchIndex(unsearchedDb);
  const unsearched = runChild('import-child.ts', [unsearchedDb, ...csvFiles]).json;
  if (unsearched.code !== 0) throw new Error(`the import without the trigram index failed with exit code ${unsearched.code}`);
  console.log(`  ${fmt(unsearched.seconds, 1)} s; with the index ÷ without: ${fmt(imported.seconds / unsearched.seconds, 2)}`);

  console.log('re-syncs: the same files into a database of their own, first, unchanged and with 1 % changed, profiled …');
  const resync = await timeResyncs(root, outDir, csvFiles.map((file) => path.basename(file)), rows);
  console.log(`  first ${fmt(resync.first.seconds, 1)} s, unchanged ${fmt(resync.unchanged.seconds, 1)} s, 1 % changed ${fmt(resync.changed.seconds, 1)} s`);
  console.log(`AWS credential report, ${fmt(Number(values['aws-users']))} users: a bare insert, then the import twice, profiled …`);
  const aws = await timeCredentialReport(root, path.join(outDir, 'aws'), Number(values['aws-users']));
  console.log(`  bare ${fmt(aws.bare.seconds, 1)} s, first ${fmt(aws.first.seconds, 1)} s, unchanged ${fmt(aws.unchanged.seconds, 1)} s`);

  console.log(`who: ${fmt(Number(values.lookups))} lookups …`);
  const store = openSqliteStore(dbFile);
  const random = randomSource(7);
  // Exact refs, as people paste them from an alert or a console.
  const queries = Array.from({ length: Number(values.lookups) }, () =>
    random() < 0.1 ? `api-${Math.floor(random() * shape.apis)}` : `nhi-${Math.floor(random() * shape.identities)}`,
  );
  for (const q of queries.slice(0, 200)) await whoOwns(store, defaultPolicy, q); // warm the page cache
  const latencies: number[] = [];
  let found = 0;
  for (const q of queries) {
    const started = process.hrtime.bigint();
    const result = await whoOwns(store, defaultPolicy, q);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (result.kind === 'found') found += 1;
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(`  p50 ${fmt(p50, 3)} ms, p99 ${fmt(p99, 3)} ms (${fmt(found)} found outright)`);

  console.log('list --unowned …');
  const listStarted = performance.now();
  const unowned = await listInventory(store, fixedClock('2026-11-28T00:00:00Z'), { unowned: true });
  const listSeconds = (performance.now() - listStarted) / 1000;
  console.log(`  ${fmt(unowned.total)} items in ${fmt(listSeconds * 1000)} ms`);
  await store.close();

  console.log('who for a miss, a part and a typo; the first page of unowned, team and mine …');
  const queryFigures = await timeQueries(dbFile, shape);
  const rebuildSeconds = await timeSearchRebuild(dbFile);
  const p99s = [queryFigures.miss, queryFigures.part, queryFigures.typo, queryFigures.unowned, queryFigures.team, queryFigures.mine].map((f) => fmt(f.ms.p99, 1));
  console.log(`  p99 (ms): miss ${p99s[0]}, part ${p99s[1]}, typo ${p99s[2]}; unowned ${p99s[3]}, team ${p99s[4]}, mine ${p99s[5]}`);

  const due = Number(values.due);
  console.log(`tick: ${fmt(due)} due among ${fmt(shape.identities)} identities, and among a tenth of them …`);
  // The small inventory is the first tenth of the same files, so the due items are the same rows in both.
  const smallIdentities = path.join(outDir, 'identities-tenth.csv');
  await copyHead(files.identities, smallIdentities, Math.floor(shape.identities / 10) + 1);
  const smallDb = path.join(outDir, 'tick-tenth.db');
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${smallDb}${suffix}`, { force: true });
  if (runChild('import-child.ts', [smallDb, files.apis, smallIdentities]).json.code !== 0) throw new Error('the small import failed');
  const large = await timeTick(dbFile, due);
  const small = await timeTick(smallDb, due);
  const tickRatio = large.tickMs / small.tickMs;
  console.log(`  ${fmt(large.identities)}: ${fmt(large.tickMs)} ms; ${fmt(small.identities)}: ${fmt(small.tickMs)} ms; ratio ${fmt(tickRatio, 2)}`);
  const enqueueMs = timeEnqueue(path.join(outDir, 'enqueue.db'), due);
  console.log(`  enqueue ${fmt(due)} prompts: ${fmt(enqueueMs)} ms`);

  // After the tick, so the digest counts attestations opened and waiting, as in a running install.
  console.log(`digest: the security leads' digest over ${fmt(shape.identities)} identities …`);
  const digest = await timeDigest(dbFile, new Date(tickAt.getTime() + 8 * 86_400_000));
  console.log(`  first ${fmt(digest.firstMs)} ms; warm median ${fmt(digest.medianMs)} ms, slowest ${fmt(digest.maxMs)} ms; stored ${fmt(digest.storedMs)} ms`);

  console.log('outbox: 2,000 DMs by one dispatcher, then by two on the same database …');
  const deliveries = await timeDeliveries(path.join(outDir, 'deliveries.db'), 2_000, 10);
  const deliveryRatio = deliveries.oneSeconds / deliveries.twoSeconds;
  console.log(`  one: ${fmt(deliveries.messages / deliveries.oneSeconds)}/s; two: ${fmt(deliveries.messages / deliveries.twoSeconds)}/s; ratio ${fmt(deliveryRatio, 2)}; ${deliveries.duplicates} sent twice`);

  console.log('evidence: exports of 100,000, 500,000 and 1,000,000 closed attestations, each in a process of its own …');
  const evidence = timeEvidenceExports(path.join(outDir, 'evidence'));
  console.log(`  ${evidence.exports.map((e) => `${fmt(e.records)} ${e.format} ${fmt(e.seconds, 1)} s ${fmt(e.maxRssMb)} MB`).join('; ')}`);

  // After the tick, so `mine` finds attestations waiting, as it would in a running install.
  const slack = await timeSlackAcks(dbFile, shape);
  const { mix } = slack;
  const mixText = `${fmt(mix.who)} \`who\` of refs that exist, ${fmt(mix.mine)} \`mine\` by people who own items, ${fmt(mix.unowned)} \`unowned\`, ${fmt(mix.miss)} \`who\` that match nothing`;
  console.log(`slack: /steward over HTTP, each kind alone, then ${fmt(slack.hits.commands)} \`who\` at once, then ${fmt(slack.mixed.commands)} mixed at once (${mixText}) …`);
  const budget = `${fmt(slackAckBudgetMs / 1000)} s`;
  const acks = (b: BurstFigures) => `${fmt(b.ackMs.p50)} / ${fmt(b.ackMs.p99)} / ${fmt(b.ackMs.max)} ms`;
  const answers = (b: BurstFigures) => `${fmt(b.answerMs.p50)} / ${fmt(b.answerMs.p99)} / ${fmt(b.answerMs.max)} ms`;
  const alone = `${fmt(slack.aloneMs.who)} / ${fmt(slack.aloneMs.mine)} / ${fmt(slack.aloneMs.unowned)} / ${fmt(slack.aloneMs.miss)} ms`;
  console.log(`  alone, to the answer (who / mine / unowned / who that matches nothing): ${alone}`);
  const late = `\`who\` sent every ${fmt(slack.lateEveryMs)} ms until the mix was answered (${fmt(slack.late.commands)})`;
  for (const [label, burst] of [['who at once', slack.hits], ['mixed at once', slack.mixed], [late, slack.late]] as const) {
    console.log(`  ${label}: ack p50 / p99 / max ${acks(burst)} (${fmt(burst.overBudget)} over ${budget}); answer ${answers(burst)}; ${fmt(burst.wrong.length)} wrong or missing`);
    for (const problem of burst.wrong.slice(0, 5)) console.log(`    ${problem}`);
  }
  const withinBudget = (b: BurstFigures) =>
    b.overBudget === 0 && b.refused === 0 ? `every ack < ${budget} ✓` : `every ack < ${budget} ✗ (${fmt(b.overBudget)} over${b.refused > 0 ? `, ${fmt(b.refused)} not acknowledged` : ''})`;
  const rightAnswers = (b: BurstFigures) => `${fmt(b.commands - b.wrong.length)} of ${fmt(b.commands)}`;
  const { ackP99Ms, mixedAnswerP99Ms, lateAnswerP99Ms } = slackTargets;

  const cliRef = `nhi-${Math.min(4242, shape.identities - 1)}`;
  console.log(`the command line as whole processes: who ${cliRef}, check of a small catalog …`);
  const cli = timeCliStart(dbFile, cliRef);
  console.log(`  who p50 ${fmt(cli.who.p50)} ms, check p50 ${fmt(cli.check.p50)} ms; through npx ${fmt(cli.npxWho.p50)} ms; from the sources through tsx ${fmt(cli.sourcesWho.p50)} ms`);

  const ratio = importRate / (schema.rows / schema.seconds);
  const bareRatio = importRate / (bare.rows / bare.seconds);
  const sqliteVersion = (openSqliteStore(':memory:').db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const section = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB RAM, ${os.platform()} ${os.release()}; Node ${process.version}, SQLite ${sqliteVersion}, better-sqlite3 12.`,
    '',
    `Inventory: ${fmt(shape.apis)} APIs + ${fmt(shape.identities)} identities (${fmt(rows)} CSV rows, ${fmt(shape.teams)} teams, ${fmt(shape.people)} people), generated by \`bench/generate-inventory.ts\`.`,
    '',
    '| measure | figure | target |',
    '|---|---|---|',
    `| \`steward import csv\` (both files, one process) | ${fmt(imported.seconds, 1)} s, **${fmt(importRate)} rows/s** | |`,
    `| raw insert, same rows into Steward's \`items\` table (same keys and indexes) | ${fmt(schema.rows / schema.seconds)} rows/s | |`,
    `| import ÷ raw (same table) | **${fmt(ratio, 2)}** | ≥ 0.33 ${ratio >= 1 / 3 ? '✓' : '✗'} |`,
    `| raw insert, same rows into a bare table (no keys, no indexes) | ${fmt(bare.rows / bare.seconds)} rows/s | |`,
    `| import ÷ raw (bare table) | **${fmt(bareRatio, 2)}** | ≥ 0.33 ${bareRatio >= 1 / 3 ? '✓' : '✗'} |`,
    `| \`who\` p50 / p99 (${fmt(latencies.length)} lookups, in process) | ${fmt(p50, 3)} ms / **${fmt(p99, 3)} ms** | p99 < 2 ms ${p99 < 2 ? '✓' : '✗'} |`,
    `| \`list --unowned\` (${fmt(unowned.total)} items) | ${fmt(listSeconds * 1000)} ms | |`,
    `| import peak RSS | **${fmt(imported.maxRssMb)} MB** | < 256 MB ${imported.maxRssMb < 256 ? '✓' : '✗'} |`,
    '',
    ...resyncSection(resync, aws),
    '',
    `What people type that is not an exact ref, and the lists chat shows a page of, in process against the same database (\`bench/query-bench.ts\`; 200 of each, drawn with a fixed seed).`,
    '',
    ...queryTable(queryFigures, { withSeconds: imported.seconds, withoutSeconds: unsearched.seconds, rebuildSeconds }),
    '',
    `Attestation loop: one tick with ${fmt(due)} identities due (nhi-0 … nhi-${fmt(due - 1)}, the same rows in both inventories, nothing else due), in process.`,
    '',
    '| measure | figure | target |',
    '|---|---|---|',
    `| tick, ${fmt(large.identities)} identities | ${fmt(large.tickMs)} ms (${fmt(large.attestationsOpened)} attestations opened, ${fmt(large.messages)} messages queued) | |`,
    `| tick, ${fmt(small.identities)} identities | ${fmt(small.tickMs)} ms (${fmt(small.attestationsOpened)} attestations opened, ${fmt(small.messages)} messages queued) | |`,
    `| ratio (large ÷ small) | **${fmt(tickRatio, 2)}** | < 1.5 ${tickRatio < 1.5 ? '✓' : '✗'} |`,
    `| the same tick again (nothing left to do) | ${fmt(large.idleTickMs, 1)} ms / ${fmt(small.idleTickMs, 1)} ms | |`,
    `| enqueue ${fmt(due)} prompts (outbox, one transaction) | ${fmt(enqueueMs)} ms | |`,
    '',
    `Digest: the security leads' digest over the same ${fmt(digest.identities)}-identity database, eight days after the tick (${fmt(digest.openAttestations)} attestations open and overdue), counted, worded and compared with the previous one, in process (\`bench/digest-bench.ts\`): first on a connection just opened, then seven times printed (nothing stored), then once stored and queued as the tick makes it.`,
    '',
    '| measure | figure | target |',
    '|---|---|---|',
    `| digest, first | ${fmt(digest.firstMs)} ms | < 1 s ${digest.firstMs < 1000 ? '✓' : '✗'} |`,
    `| digest, warm median / slowest | **${fmt(digest.medianMs)} ms** / ${fmt(digest.maxMs)} ms | < 1 s ${digest.maxMs < 1000 ? '✓' : '✗'} |`,
    `| digest, stored and queued | ${fmt(digest.storedMs)} ms | < 1 s ${digest.storedMs < 1000 ? '✓' : '✗'} |`,
    '',
    `Outbox: ${fmt(deliveries.messages)} queued DMs delivered to a platform that takes ${fmt(deliveries.callMs)} ms per call (as a Web API round trip does), first by one dispatcher, then by two on the same database file, each with its own connection and taking deliveries under leases stored in the database (\`bench/delivery-bench.ts\`), in one process.`,
    '',
    '| measure | figure | target |',
    '|---|---|---|',
    `| one dispatcher | ${fmt(deliveries.oneSeconds, 1)} s, ${fmt(deliveries.messages / deliveries.oneSeconds)} deliveries/s | |`,
    `| two dispatchers | ${fmt(deliveries.twoSeconds, 1)} s, ${fmt(deliveries.messages / deliveries.twoSeconds)} deliveries/s | |`,
    `| ratio (two ÷ one, deliveries per second) | **${fmt(deliveryRatio, 2)}** | close to 2: leases do not serialise the dispatchers |`,
    `| deliveries made twice | ${fmt(deliveries.duplicates)} | 0 ${deliveries.duplicates === 0 ? '✓' : '✗'} |`,
    '',
    `Slack: \`/steward\` over HTTP against the same ${fmt(shape.identities)}-identity database — Steward's Slack app (Bolt's HTTP receiver, signatures checked) in its own process with ${fmt(defaultCommandThreads())} store threads for commands, the Web API and response_url at a local fake Slack, every command signed as Slack signs it and typed by a different person. Slack's budget for the ack (the HTTP 200) is ${budget}. Mixed: ${mixText}.`,
    '',
    '| measure | figure | target |',
    '|---|---|---|',
    `| one command alone, to its answer: \`who\` hit / \`mine\` / \`unowned\` / \`who\` miss | ${alone} | |`,
    `| ${fmt(slack.hits.commands)} \`who\` hits at once: ack p50 / p99 / max | ${fmt(slack.hits.ackMs.p50)} / **${fmt(slack.hits.ackMs.p99)}** / ${fmt(slack.hits.ackMs.max)} ms | ${withinBudget(slack.hits)}; ${p99Within(slack.hits.ackMs, ackP99Ms.budget, ackP99Ms.hitsWas)} |`,
    `| ${fmt(slack.hits.commands)} \`who\` hits at once: answer at response_url p50 / p99 / max | ${answers(slack.hits)} | |`,
    `| ${fmt(slack.hits.commands)} \`who\` hits at once: right answers | ${rightAnswers(slack.hits)} | all ${slack.hits.wrong.length === 0 ? '✓' : '✗'} |`,
    `| ${fmt(slack.mixed.commands)} mixed at once: ack p50 / p99 / max | ${fmt(slack.mixed.ackMs.p50)} / **${fmt(slack.mixed.ackMs.p99)}** / ${fmt(slack.mixed.ackMs.max)} ms | ${withinBudget(slack.mixed)}; ${p99Within(slack.mixed.ackMs, ackP99Ms.budget, ackP99Ms.mixedWas)} |`,
    `| ${fmt(slack.mixed.commands)} mixed at once: answer at response_url p50 / p99 / max | ${answers(slack.mixed)} | ${p99Within(slack.mixed.answerMs, mixedAnswerP99Ms.budget, mixedAnswerP99Ms.was)} |`,
    `| ${fmt(slack.mixed.commands)} mixed at once: right answers | ${rightAnswers(slack.mixed)} | all ${slack.mixed.wrong.length === 0 ? '✓' : '✗'} |`,
    `| behind the mix, ${late}: ack p50 / p99 / max | ${fmt(slack.late.ackMs.p50)} / **${fmt(slack.late.ackMs.p99)}** / ${fmt(slack.late.ackMs.max)} ms | ${withinBudget(slack.late)} |`,
    `| behind the mix: answer at response_url p50 / p99 / max | ${answers(slack.late)} | ${p99Within(slack.late.answerMs, lateAnswerP99Ms.budget, lateAnswerP99Ms.was)} |`,
    `| behind the mix: right answers | ${rightAnswers(slack.late)} | all ${slack.late.wrong.length === 0 ? '✓' : '✗'} |`,
    '',
    ...evidenceSection(evidence),
    '',
    `The command line: whole processes, started as a user or a CI job starts them, to their exit (\`bench/cli-start-bench.ts\`; two unmeasured runs first).`,
    '',
    ...cliStartTable(cli, cliRef),
  ].join('\n');
  console.log(`\n${section}`);

  if (!values['no-write']) {
    const doc = path.join(root, 'docs/benchmarks.md');
    const text = fs.readFileSync(doc, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    const before = text.slice(0, text.indexOf(start) + start.length);
    const after = text.slice(text.indexOf(end));
    fs.writeFileSync(doc, `${before}\n${section}\n${after}`);
    console.log(`\nWrote ${path.relative(root, doc)}.`);
  }
}

await main();
