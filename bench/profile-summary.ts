// Where an import's time goes, from the V8 CPU profile of its process (node --cpu-prof): each sample is put in the
// first stage of the import found on its stack, from the leaf up. A native SQLite call shows as time in the
// JavaScript function that made it, so "writing items" is mostly SQLite executing the run's statements.
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileShare {
  readonly stage: string;
  readonly seconds: number;
  readonly share: number;
}

type Frame = ProfileNode['callFrame'];
const has = (test: (frame: Frame) => boolean) => (chain: readonly Frame[]) => chain.some(test);
const inFile = (file: string) => (frame: Frame) => frame.url.endsWith(file);

/** Stages in the order they are looked for on a sample's stack (leaf first); the first that matches names the sample. */
const stages: ReadonlyArray<readonly [stage: string, matches: (chain: readonly Frame[]) => boolean]> = [
  ['garbage collection', (chain) => chain[0]?.functionName === '(garbage collector)'],
  ['rebuilding indexes (secondary and trigram)', has((f) => f.functionName === 'restore' && /\/storage\/(secondary-indexes|search-index)\.[jt]s$/.test(f.url))],
  ['fingerprinting entries', has(inFile('/src/inventory/entry-fingerprint.ts'))],
  ['checking entries (schema, secrets, times)', has((f) => f.functionName === 'checkEntry')],
  ['reading the file (CSV parsing, building entries)', has((f) => /\/adapters\/sources\/|papaparse|node:string_decoder/.test(f.url))],
  ['finding unchanged items (one lookup each)', has((f) => f.functionName === 'keepUnchanged')],
  ['teams and people', has(inFile('/storage/import-directory.ts'))],
  ['vanishing, findings and audit events', has((f) => f.url.endsWith('/storage/audit-log.ts') || (f.url.endsWith('/storage/import-run.ts') && ['finish', 'addFinding'].includes(f.functionName)))],
  ['writing items (SQLite inserts, updates, links)', has(inFile('/storage/import-run.ts'))],
  ['commit and WAL checkpoint', (chain) => chain[0]?.functionName === 'sqliteTransaction'],
  ['idle (waiting)', (chain) => chain[0]?.functionName === '(idle)'],
];

/** The main thread's profile in a --cpu-prof-dir (worker threads, such as a module loader's, write their own). */
export function mainThreadProfile(dir: string): string {
  const files = fs.readdirSync(dir).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  const [file] = files;
  if (file === undefined || files.length > 1) throw new Error(`expected one main-thread profile in ${dir}, found ${files.length}`);
  return path.join(dir, file);
}

/** Seconds of samples per stage, largest first; what no stage claims (start-up, the report) is "other". */
export function summariseProfile(file: string): ProfileShare[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stageOf = new Map<number, string>();
  const stageFor = (leaf: number): string => {
    const known = stageOf.get(leaf);
    if (known !== undefined) return known;
    const chain: Frame[] = [];
    for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) chain.push((byId.get(id) as ProfileNode).callFrame);
    const stage = stages.find(([, matches]) => matches(chain))?.[0] ?? 'other';
    stageOf.set(leaf, stage);
    return stage;
  };
  const seconds = new Map<string, number>();
  profile.samples.forEach((leaf, i) => {
    const stage = stageFor(leaf);
    seconds.set(stage, (seconds.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1e6);
  });
  const total = [...seconds.values()].reduce((a, b) => a + b, 0);
  return [...seconds.entries()].map(([stage, s]) => ({ stage, seconds: s, share: s / total })).sort((a, b) => b.seconds - a.seconds);
}
