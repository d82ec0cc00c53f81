import { Writable } from 'node:stream';
import pino from 'pino';

/** A pino logger whose records a test can read, as probot's tests capture logs as data. */
export function recordingLogger(level = 'info') {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      records.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), records };
}
