import type { EvidenceReport } from '../../src/evidence/evidence-report.js';
import type { TextSink } from './text-sink.js';

/** A field of the top-level object, indented as JSON.stringify would indent it there. */
const field = (name: string, value: unknown) => `  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')},\n`;

/**
 * The export as one JSON object — period, generatedAt, controls, policies (version → text), summary, records — written
 * as the records are read: the head first, then each record on its own line, then the closing brackets. It is valid
 * JSON only once finished, which is why a file is written under a temporary name and renamed at the end.
 */
export async function writeEvidenceJson(report: EvidenceReport, sink: TextSink): Promise<number> {
  await sink.write('{\n');
  await sink.write(field('period', report.period));
  await sink.write(field('generatedAt', report.generatedAt));
  await sink.write(field('controls', report.controls));
  await sink.write(field('policies', report.policies));
  await sink.write(field('summary', report.summary));
  await sink.write('  "records": [');
  let count = 0;
  for await (const record of report.records()) {
    await sink.write(`${count === 0 ? '' : ','}\n    ${JSON.stringify(record)}`);
    count += 1;
  }
  await sink.write(count === 0 ? ']\n}\n' : '\n  ]\n}\n');
  await sink.flush();
  return count;
}
