// Imports the bench inventory through the real `steward import` entry point, in its own process, and reports
// the time and the process's peak resident memory.
import { main } from '../adapters/cli/main.js';

const [dbFile, ...rest] = process.argv.slice(2);
if (!dbFile) throw new Error('usage: import-child <db> [--format NAME] <file…>');
// `csv` unless `--format NAME` (`aws-credential-report`) comes first.
const [format, files] = rest[0] === '--format' ? [rest[1] ?? 'csv', rest.slice(2)] : ['csv', rest];
const started = performance.now();
const code = await main(['import', format, ...files, '--db', dbFile, '--json'], { ...process.env, LOG_LEVEL: 'warn' });
const seconds = (performance.now() - started) / 1000;
process.stderr.write(`import exit code ${code}\n`);
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stdout.write(`\n${JSON.stringify({ code, seconds, cpuSeconds, maxRssMb: usage.maxRSS / 1024 })}`);
