import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createLogger } from '../../../adapters/logging/logger.js';
import { removeTempDirs, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

function logTo(level: string, options: { stacks?: boolean } = {}) {
  const file = path.join(tempDir(), 'logs', 'steward.log');
  const logger = createLogger(level, { file, ...options });
  return { logger, records: () => fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createLogger', () => {
  test('when a one-shot command logs an error, then the record has its type, message and code but no stack', () => {
    const { logger, records } = logTo('warn');
    const error = Object.assign(new Error('no such table: items', { cause: new Error('schema damaged') }), { code: 'SQLITE_ERROR' });

    logger.error({ err: error, reference: 'abc12345' }, 'command failed');

    expect(records()).toEqual([
      expect.objectContaining({ level: 50, reference: 'abc12345', err: { type: 'Error', message: 'no such table: items', code: 'SQLITE_ERROR', cause: { type: 'Error', message: 'schema damaged' } } }),
    ]);
  });

  test('when LOG_LEVEL is debug, or for a service’s own log, then stacks are kept', () => {
    for (const { logger, records } of [logTo('debug'), logTo('info', { stacks: true })]) {
      logger.error({ err: new Error('boom') }, 'failed');

      expect((records()[0]?.err as { stack?: string }).stack).toMatch(/^Error: boom\n\s+at /);
    }
  });

  test('when something named like a credential is logged, then its value is redacted', () => {
    const { logger, records } = logTo('info');

    logger.info({ slack: { token: 'xoxb-123456789012-abcdefghijkl', signingSecret: 'shh' } }, 'configured');

    expect(records()[0]?.slack).toEqual({ token: '[redacted]', signingSecret: '[redacted]' });
  });
});
