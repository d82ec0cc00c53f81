import { LogLevel } from '@slack/bolt';
import { describe, expect, test } from 'vitest';
import { boltLogger } from '../../../adapters/slack/bolt-logger.js';
import { recordingLogger } from '../../support/recording-logger.js';

describe('boltLogger: Bolt and the Slack clients, in Steward’s log', () => {
  test('when a Slack library logs a payload at debug, then it is dropped, even at LOG_LEVEL=trace, so nothing typed reaches the log', () => {
    const { logger, records } = recordingLogger('trace');
    const bolt = boltLogger(logger);

    bolt.debug('Received a message on the WebSocket:', { payload: { view: { state: { reason: 'ghp_pasted-secret' } } } });

    expect(records).toEqual([]);
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
  });

  test('when a Slack library warns with an error, then the record keeps the message and the error as a field', () => {
    const { logger, records } = recordingLogger('info');

    boltLogger(logger).warn('socket closed', new Error('ECONNRESET'), 'retrying');

    expect(records).toEqual([expect.objectContaining({ level: 40, component: 'slack', msg: 'socket closed retrying', err: expect.objectContaining({ message: 'ECONNRESET' }) })]);
  });
});
