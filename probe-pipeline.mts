import { inventoryCsv } from './adapters/sources/csv/inventory-csv.ts';
import { readCsvRecords } from './adapters/sources/csv/read-csv-records.ts';
import { checkEntry } from './src/inventory/check-entries.ts';
let t = performance.now(); let n = 0;
for (const r of readCsvRecords('/tmp/probe/ids100k.csv')) n++;
console.log('read', ((performance.now() - t) / n * 1000).toFixed(1), 'µs/row');
const [snap] = inventoryCsv.read(['/tmp/probe/ids100k.csv'], {}, { apiCodePaths: [] });
t = performance.now(); n = 0;
for (const e of snap!.entries) { n++; }
console.log('read+rowEntry', ((performance.now() - t) / n * 1000).toFixed(1), 'µs/row');
const [snap2] = inventoryCsv.read(['/tmp/probe/ids100k.csv'], {}, { apiCodePaths: [] });
t = performance.now(); n = 0;
for (const e of snap2!.entries) { n++; if (e.type !== 'invalid') checkEntry(e); }
console.log('read+rowEntry+check', ((performance.now() - t) / n * 1000).toFixed(1), 'µs/row');
