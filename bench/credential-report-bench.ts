// The AWS credential report part of `npm run bench` alone: a bare parse-and-insert of a generated report, then
// `steward import aws-credential-report` twice into one database (first, unchanged), each profiled. Prints the
// figures, the ratio and where each import's time went; writes nothing into docs/benchmarks.md.
//   npx tsx bench/credential-report-bench.ts [--aws-users 200000] [--out bench/out]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timeCredentialReport, type TimedImport } from './resync-bench.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'aws-users': { type: 'string', default: '200000' },
    out: { type: 'string', default: path.join(root, 'bench/out') },
  },
});
const users = Number(values['aws-users']);
const aws = await timeCredentialReport(root, path.join(values.out, 'aws'), users);
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const profile = (t: TimedImport) => t.profile.map((p) => `    ${p.stage}: ${fmt(p.seconds)} s (${fmt(100 * p.share, 0)} %)`).join('\n');
console.log(`AWS credential report, ${users.toLocaleString('en-US')} users`);
console.log(`  bare parse-and-insert ${fmt(aws.bare.seconds)} s, peak RSS ${fmt(aws.bare.maxRssMb, 0)} MB`);
console.log(`  first import ${fmt(aws.first.seconds)} s, peak RSS ${fmt(aws.first.maxRssMb, 0)} MB; ${fmt(aws.bare.seconds / aws.first.seconds, 2)} of the bare rate`);
console.log(`  unchanged re-import ${fmt(aws.unchanged.seconds)} s, peak RSS ${fmt(aws.unchanged.maxRssMb, 0)} MB; ${fmt(aws.first.seconds / aws.unchanged.seconds, 2)}× faster than the first`);
console.log(`  first import's profile:\n${profile(aws.first)}`);
console.log(`  unchanged re-import's profile:\n${profile(aws.unchanged)}`);
