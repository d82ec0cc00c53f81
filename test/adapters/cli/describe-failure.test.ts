import { describe, expect, test } from 'vitest';
import { describeFailure } from '../../../adapters/commands/describe-failure.js';
import { InputError } from '../../../src/errors.js';
import { recordingLogger } from '../../support/recording-logger.js';

describe('describeFailure (the error boundary’s words)', () => {
  test('when the input was bad, then the message and every located problem are shown, and nothing is logged', () => {
    const { logger, records } = recordingLogger();
    const error = new InputError('catalog.yaml: 2 problems', [
      { at: { file: 'catalog.yaml', line: 12 }, field: 'spec.owner', message: 'is not an entity ref' },
      { at: { file: 'catalog.yaml', document: 3 }, field: null, message: 'is not a mapping' },
    ]);

    expect(describeFailure(error, logger)).toBe(
      ['catalog.yaml: 2 problems', '  catalog.yaml:12: spec.owner: is not an entity ref', '  catalog.yaml (document 3): is not a mapping'].join('\n'),
    );
    expect(records).toEqual([]);
  });

  test('when something broke on our side, then the user gets a reference and no details, and the log has the same reference and the error', () => {
    const { logger, records } = recordingLogger();

    const said = describeFailure(new Error('SQLITE_IOERR: disk I/O error at /var/lib/steward'), logger);

    const reference = /^Something went wrong on our side \(reference ([0-9a-f]{8})\); the details are in Steward's log\.$/.exec(said)?.[1];
    expect(reference).toBeDefined();
    expect(records).toEqual([expect.objectContaining({ level: 50, msg: 'command failed', reference, err: expect.objectContaining({ message: 'SQLITE_IOERR: disk I/O error at /var/lib/steward' }) })]);
  });

  test('when two failures happen, then each has its own reference', () => {
    const { logger } = recordingLogger();

    expect(describeFailure(new Error('a'), logger)).not.toBe(describeFailure(new Error('a'), logger));
  });
});
