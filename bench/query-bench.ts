// The queries people type that are not an exact ref: `who` for a miss, a part of a ref or name, and a typo, and the
// first page of `unowned`, `team` and `mine` with their totals, in process against the imported bench database.
import { fixedClock } from '../src/ports/clock.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { listInventory } from '../src/queries/list-inventory.js';
import { myItems } from '../src/queries/my-items.js';
import { whoOwns, type WhoResult } from '../src/queries/who-owns.js';
import { openSqliteStore } from '../storage/sqlite-store.js';
import { randomSource, type InventoryShape } from './generate-inventory.js';
import { percentile } from './percentile.js';

/** Items shown per answer in chat (adapters/commands/run-list.ts): the first page. */
const pageSize = 50;

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface WhoSet {
  readonly queries: number;
  readonly ms: Latency;
  /** The process's CPU time per query: what the query itself costs, whatever else the machine is running. */
  readonly cpuMs: Latency;
  /** Answers of each kind, and for typos how often the intended item was found or offered. */
  readonly found: number;
  readonly ambiguous: number;
  readonly notFound: number;
  readonly withSuggestions: number;
  readonly intended: number;
}

export interface PageFigures {
  readonly asked: number;
  readonly ms: Latency;
  readonly cpuMs: Latency;
  /** The totals the answers gave: the smallest, the median and the largest. */
  readonly totals: { readonly min: number; readonly median: number; readonly max: number };
}

export interface QueryFigures {
  readonly miss: WhoSet;
  readonly part: WhoSet;
  readonly typo: WhoSet;
  readonly unowned: PageFigures;
  readonly team: PageFigures;
  readonly mine: PageFigures;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const edits = [
  (s: string, at: number) => s.slice(0, at) + s.slice(at + 1), // a letter dropped
  (s: string, at: number) => s.slice(0, at) + (s[at + 1] ?? '') + (s[at] ?? '') + s.slice(at + 2), // two swapped
  (s: string, at: number) => s.slice(0, at) + (s[at] === 'x' ? 'y' : 'x') + s.slice(at + 1), // one replaced
  (s: string, at: number) => s.slice(0, at) + (s[at] ?? '') + s.slice(at), // one doubled
];

interface Sample {
  readonly kind: string;
  readonly ref: string;
  readonly name: string;
}

/** Queries for each set, drawn from items of the database with a fixed seed, so every run asks the same. */
function querySets(samples: readonly Sample[]) {
  const random = randomSource(11);
  const pick = (n: number) => Math.floor(random() * n);
  const products = ['gateway', 'warehouse', 'scheduler', 'notifier', 'exporter', 'vault', 'mailer'];
  // Names nothing in the inventory has, with numbers as real ones carry.
  const miss = samples.map(() => ({ query: `${products[pick(products.length)]}-${pick(10_000)}` }));
  // A part of a ref or a name (4 to 12 characters), never its start.
  const part = samples.map(({ kind, ref, name }) => {
    const text = random() < 0.5 ? ref : name;
    const from = 1 + pick(text.length - 4);
    return { query: text.slice(from, from + 4 + pick(Math.min(9, text.length - from - 3))), kind, ref };
  });
  // One edit in a ref or a name, past its first two characters.
  const typo = samples.map(({ kind, ref, name }) => {
    const text = random() < 0.5 ? ref : name;
    return { query: edits[pick(edits.length)]?.(text, 2 + pick(text.length - 3)) ?? text, kind, ref };
  });
  return { miss, part, typo };
}

async function timeWho(
  store: ReturnType<typeof openSqliteStore>,
  queries: ReadonlyArray<{ query: string; kind?: string; ref?: string }>,
): Promise<WhoSet> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let found = 0;
  let ambiguous = 0;
  let notFound = 0;
  let withSuggestions = 0;
  let intended = 0;
  for (const q of queries) {
    const [started, cpu] = [process.hrtime.bigint(), process.cpuUsage()];
    const result: WhoResult = await whoOwns(store, defaultPolicy, q.query);
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpuMs.push(cpuMsSince(cpu));
    const offered =
      result.kind === 'found' ? [result.detail.item] : result.kind === 'ambiguous' ? result.candidates : result.nearest;
    if (result.kind === 'found') found += 1;
    else if (result.kind === 'ambiguous') ambiguous += 1;
    else {
      notFound += 1;
      if (result.nearest.length > 0) withSuggestions += 1;
    }
    if (q.ref !== undefined && offered.some((item) => item.kind === q.kind && item.ref === q.ref)) intended += 1;
  }
  return { queries: queries.length, ms: latency(ms), cpuMs: latency(cpuMs), found, ambiguous, notFound, withSuggestions, intended };
}

async function timePages(asks: ReadonlyArray<() => Promise<number>>): Promise<PageFigures> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const totals: number[] = [];
  for (const ask of asks) {
    const [started, cpu] = [process.hrtime.bigint(), process.cpuUsage()];
    totals.push(await ask());
    ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpuMs.push(cpuMsSince(cpu));
  }
  totals.sort((a, b) => a - b);
  return { asked: asks.length, ms: latency(ms), cpuMs: latency(cpuMs), totals: { min: totals[0] ?? 0, median: percentile(totals, 50), max: totals.at(-1) ?? 0 } };
}

/** Times each kind of query `count` times (after a warm-up of each) against the database the bench imported. */
export async function timeQueries(dbFile: string, shape: InventoryShape, count = 200): Promise<QueryFigures> {
  const store = openSqliteStore(dbFile);
  const clock = fixedClock('2026-11-28T00:00:00Z');
  const random = randomSource(13);
  const pick = (n: number) => Math.floor(random() * n);
  const byId = store.db.prepare<[number], Sample>('SELECT kind, ref, name FROM items WHERE id = ?');
  const samples = Array.from({ length: count }, () => byId.get(1 + pick(shape.apis + shape.identities))).filter((s): s is Sample => s !== undefined);
  const sets = querySets(samples);
  const page = { limit: pageSize };
  const teams = Array.from({ length: count }, () => `team-${pick(shape.teams)}`);
  const people = Array.from({ length: count }, () => `person${pick(shape.people)}@example.com`);
  const unownedAsk = async () => (await listInventory(store, clock, { unowned: true, ...page })).total;
  const teamAsk = (team: string) => async () => (await listInventory(store, clock, { team, ...page })).total;
  // `mine` answers with every item of the person's, and chat shows the first of each group.
  const mineAsk = (email: string) => async () => {
    const mine = await myItems(store, { email });
    return mine === null ? 0 : mine.pending.length + mine.owned.length + mine.backing.length;
  };
  // Warm the page cache as a running server's would be: a few of each, not reported.
  for (const { query } of [...sets.miss.slice(0, 20), ...sets.part.slice(0, 20), ...sets.typo.slice(0, 20)]) await whoOwns(store, defaultPolicy, query);
  await unownedAsk();
  const figures: QueryFigures = {
    miss: await timeWho(store, sets.miss),
    part: await timeWho(store, sets.part),
    typo: await timeWho(store, sets.typo),
    unowned: await timePages(Array.from({ length: 20 }, () => unownedAsk)),
    team: await timePages(teams.map(teamAsk)),
    mine: await timePages(people.map(mineAsk)),
  };
  await store.close();
  return figures;
}

/** Drops the triggers that keep the trigram index in step: an import into this database does not maintain it. */
export async function withoutSearchIndex(dbFile: string): Promise<void> {
  const store = openSqliteStore(dbFile);
  store.db.exec('DROP TRIGGER items_search_insert; DROP TRIGGER items_search_update; DROP TRIGGER items_search_delete');
  await store.close();
}

/**
 * The same sets timed before the trigram index and the list indexes (commit f6743c9, the same generated inventory,
 * 60 queries per set, on the machine named in docs/benchmarks.md): the figures these replace.
 */
const before = {
  miss: '1,106 / 1,895 ms',
  part: '489 / 1,649 ms',
  typo: '943 / 2,396 ms, suggestions for 19 of 49 misses',
  unowned: '357 / 754 ms',
  team: '2.6 / 25 ms',
  mine: '0.4 / 9.7 ms',
};

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export interface ImportWithoutIndex {
  /** The bench's import, with the trigram index (rebuilt once at the end of its bulk load). */
  readonly withSeconds: number;
  /** The same import into a database whose trigram index is not kept. */
  readonly withoutSeconds: number;
  /** What that rebuild costs alone, from timeSearchRebuild: the index's share of the import, without the noise of two runs. */
  readonly rebuildSeconds: number;
}

/** Rebuilds the trigram index as a bulk load ends (rebuild, then optimize), in one transaction, and times it. */
export async function timeSearchRebuild(dbFile: string): Promise<number> {
  const store = openSqliteStore(dbFile);
  const started = performance.now();
  store.db.transaction(() => store.db.exec("INSERT INTO items_search (items_search) VALUES ('rebuild'); INSERT INTO items_search (items_search) VALUES ('optimize')"))();
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return seconds;
}

/** The rows of the benchmark's query table: each figure beside its target and the one it replaced. */
export function queryTable(figures: QueryFigures, imports: ImportWithoutIndex): string[] {
  const ms = (wall: Latency, cpu: Latency) => `${fmt(wall.p50, 1)} / **${fmt(wall.p99, 1)}** ms (CPU ${fmt(cpu.p50, 1)} / ${fmt(cpu.p99, 1)} ms)`;
  const within = (l: Latency, budget: number) => `p99 < ${budget} ms ${l.p99 < budget ? '✓' : '✗'}`;
  const whoRow = (label: string, set: WhoSet, was: string, what: string) =>
    `| \`who\` ${label} (${fmt(set.queries)}, in process): p50 / p99 | ${ms(set.ms, set.cpuMs)}; ${what} | ${within(set.ms, 20)} (was ${was}) |`;
  const pageRow = (label: string, page: PageFigures, was: string) =>
    `| ${label} (${fmt(page.asked)} asked): p50 / p99 | ${ms(page.ms, page.cpuMs)}; totals ${fmt(page.totals.min)} … ${fmt(page.totals.max)} | ${within(page.ms, 50)} (was ${was}) |`;
  const { miss, part, typo } = figures;
  const ratio = imports.withSeconds / imports.withoutSeconds;
  return [
    '| measure | figure | target |',
    '|---|---|---|',
    whoRow('a miss', miss, before.miss, `${fmt(miss.withSuggestions)} offered suggestions`),
    whoRow('a part of a ref or name', part, before.part, `${fmt(part.found)} found, ${fmt(part.ambiguous)} listed to choose from`),
    whoRow('a typo', typo, before.typo, `${fmt(typo.found)} found outright, suggestions for ${fmt(typo.withSuggestions)} of ${fmt(typo.notFound)} misses, the intended item among the answer ${fmt(typo.intended)} times`),
    pageRow('`unowned` first page of 50 and its total', figures.unowned, before.unowned),
    pageRow('`team <t>` first page of 50 and its total', figures.team, before.team),
    pageRow('`mine` (every group, with their counts)', figures.mine, before.mine),
    `| import with the trigram index ÷ without it (same files, one run) | ${fmt(imports.withSeconds, 1)} s ÷ ${fmt(imports.withoutSeconds, 1)} s = **${fmt(ratio, 2)}** | (its cost) |`,
    `| the index's rebuild at the end of that bulk load, alone | ${fmt(imports.rebuildSeconds, 1)} s (${fmt((100 * imports.rebuildSeconds) / imports.withSeconds, 0)} % of the import) | |`,
  ];
}
