// Runs one `steward evidence` export through the real command-line entry point, in its own process, so its peak
// resident memory is its own, and reports the time (wall and CPU), the peak RSS and the file's size.
import fs from 'node:fs';
import { main } from '../adapters/cli/main.js';

const [dbFile, from, to, format, out] = process.argv.slice(2);
if (!dbFile || !from || !to || !format || !out) throw new Error('usage: evidence-child <db> <from> <to> <csv|json> <out>');
fs.rmSync(out, { force: true });
const started = performance.now();
const code = await main(['evidence', '--from', from, '--to', to, '--format', format, '--out', out, '--db', dbFile], { ...process.env, LOG_LEVEL: 'warn' });
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
const bytes = fs.existsSync(out) ? fs.statSync(out).size : 0;
fs.rmSync(out, { force: true });
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stdout.write(`\n${JSON.stringify({ code, seconds, cpuSeconds, maxRssMb: usage.maxRSS / 1024, bytes })}`);
