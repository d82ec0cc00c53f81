import type { Writable } from 'node:stream';
import type { Command, EvidenceFormat } from '../../src/commands/grammar.js';
import { evidenceReport } from '../../src/evidence/evidence-report.js';
import { writeEvidenceCsv } from '../evidence/evidence-csv.js';
import { writeEvidenceJson } from '../evidence/evidence-json.js';
import { checkEvidenceOut, fileOutput, stdoutOutput } from '../evidence/evidence-output.js';
import type { EvidenceWriter } from '../evidence/evidence-writer.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { Store } from '../../src/ports/store.js';
import type { CommandDeps } from './run-command.js';

/** Each format's writer; the HTML report also shows the audit trail's head when it was made, for an auditor to keep. */
async function writerFor(format: EvidenceFormat, store: Store): Promise<EvidenceWriter> {
  switch (format) {
    case 'csv':
      return writeEvidenceCsv;
    case 'json':
      return writeEvidenceJson;
    case 'html': {
      // Loaded for the HTML alone: its charts' library (ECharts) takes a third of a second and tens of MB to load,
      // which neither a CSV export nor any other command should pay.
      const { writeEvidenceHtml } = await import('../evidence/evidence-html.js');
      const head = await store.auditHead();
      return (report, sink) => writeEvidenceHtml(report, sink, head === null ? {} : { auditHead: { events: head.events, headHash: head.hash } });
    }
  }
}

/**
 * `evidence --from DATE --to DATE [--format csv|json|html] [--out FILE]`: every attestation, approval, exception,
 * transfer and claim that ended in the period, with the controls each evidences, streamed to the file or to standard
 * output (`stdout`: the process's unless a caller gives another). `--out` is checked before anything is read; the
 * file appears under its name only once whole.
 */
export async function runEvidence(command: Extract<Command, { name: 'evidence' }>, deps: CommandDeps, stdout: Writable = process.stdout): Promise<ExitCode> {
  const file = command.out === undefined ? null : checkEvidenceOut(command.out);
  const store = await deps.openStore();
  const writer = await writerFor(command.format, store);
  const report = await evidenceReport(store, deps.clock, { from: command.from, to: command.to });
  const output = file === null ? stdoutOutput(stdout) : await fileOutput(file);
  let count: number;
  try {
    count = await writer(report, output.sink);
    await output.finish();
  } catch (error) {
    await output.discard();
    throw error;
  }
  if (output.file !== null) deps.io.out(`Wrote ${count.toLocaleString('en')} record${count === 1 ? '' : 's'} (from ${command.from} up to ${command.to}, UTC) to ${output.file}.`);
  return exitCodes.ok;
}
