import { describe, expect, test } from 'vitest';
import { teamsFailure } from '../../../adapters/teams/teams-failure.js';

/*
 * What the Bot Connector's client throws, in the core's terms. The errors are shaped as connector-auth.test.ts
 * observed them from botframework-connector against the fake: a RestError (an Error named 'RestError') with
 * statusCode, Teams' error code, and the response, whose headers answer get() case-insensitively.
 */

const nowMs = Date.parse('2026-11-09T09:00:00.000Z');

function restError(statusCode: number | undefined, code: string | undefined, headers: Record<string, string> = {}, message = 'Connector error'): Error {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.assign(new Error(message), {
    name: 'RestError',
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(code === undefined ? {} : { code }),
    ...(statusCode === undefined ? {} : { response: { status: statusCode, headers: { get: (name: string) => lower.get(name.toLowerCase()) } } }),
  });
}

const throttled = (retryAfter?: string) => restError(429, 'Throttled', retryAfter === undefined ? {} : { 'Retry-After': retryAfter }, 'Too many requests.');

describe('teamsFailure: a 429 and its Retry-After', () => {
  test.each([
    ['in seconds', 7_000, throttled('7')],
    ['of 0 seconds', 0, throttled('0')],
    ['as an HTTP date 30 s ahead', 30_000, throttled(new Date(nowMs + 30_000).toUTCString())],
    ['as an HTTP date already past', 0, throttled(new Date(nowMs - 30_000).toUTCString())],
    ['missing', 1_000, throttled()],
    ['with no response at all', 1_000, Object.assign(new Error('Too many requests.'), { name: 'RestError', statusCode: 429 })],
    ['unreadable (soon)', 1_000, throttled('soon')],
    ['empty', 1_000, throttled('')],
    ['negative', 1_000, throttled('-5')],
  ])('when Teams answers 429 with a Retry-After %s, then it is rate_limited for %s ms', (_case, retryAfterMs, error) => {
    expect(teamsFailure(error, 'send', 'person', nowMs)).toEqual({ status: 'rate_limited', retryAfterMs });
  });

  test('when the 429 comes while creating a 1:1 chat, then it is rate_limited as well, never a failure', () => {
    expect(teamsFailure(throttled('2'), 'create conversation', 'person', nowMs)).toEqual({ status: 'rate_limited', retryAfterMs: 2_000 });
  });
});

describe('teamsFailure: every other answer', () => {
  test.each([
    ['401 (our token refused)', restError(401, undefined), 'send', 'person', { status: 'transient_error', error: expect.stringMatching(/^Teams send: 401: .*MICROSOFT_APP_PASSWORD/) }],
    ['403 to a person', restError(403, 'ConversationBlockedByUser'), 'send', 'person', { status: 'permanent_error', reason: 'unreachable', error: 'Teams send: 403 ConversationBlockedByUser' }],
    ['403 to a person on update', restError(403, 'BotNotInConversationRoster'), 'update', 'person', { status: 'permanent_error', reason: 'unreachable', error: 'Teams update: 403 BotNotInConversationRoster' }],
    ['403 on creating the 1:1 chat', restError(403, 'ForbiddenOperationException'), 'create conversation', 'person', { status: 'permanent_error', reason: 'unreachable', error: 'Teams create conversation: 403 ForbiddenOperationException' }],
    ['403 to a channel', restError(403, 'BotNotInConversationRoster'), 'send', 'channel', { status: 'permanent_error', reason: 'not_in_channel', error: 'Teams send: 403 BotNotInConversationRoster' }],
    ['404 on send to a person', restError(404, 'NotFound'), 'send', 'person', { status: 'permanent_error', reason: 'unreachable', error: 'Teams send: 404 NotFound' }],
    ['404 on send to a channel', restError(404, 'NotFound'), 'send', 'channel', { status: 'permanent_error', reason: 'not_in_channel', error: 'Teams send: 404 NotFound' }],
    ['404 on update to a person', restError(404, 'NotFound'), 'update', 'person', { status: 'permanent_error', reason: 'gone', error: 'Teams update: 404 NotFound' }],
    ['404 on update to a channel', restError(404, 'NotFound'), 'update', 'channel', { status: 'permanent_error', reason: 'gone', error: 'Teams update: 404 NotFound' }],
    ['400 (the card refused)', restError(400, 'BadSyntax'), 'send', 'person', { status: 'permanent_error', reason: 'refused', error: 'Teams send: 400 BadSyntax' }],
    ['413 (the message too big)', restError(413, 'MessageSizeTooBig'), 'update', 'channel', { status: 'permanent_error', reason: 'refused', error: 'Teams update: 413 MessageSizeTooBig' }],
    ['502', restError(502, 'ServiceError'), 'send', 'person', { status: 'transient_error', error: 'Teams send: 502 ServiceError' }],
    ['503 without a code', restError(503, undefined), 'update', 'channel', { status: 'transient_error', error: 'Teams update: 503' }],
    ['a network error (no statusCode)', restError(undefined, 'ECONNREFUSED', {}, 'connect ECONNREFUSED 127.0.0.1:9'), 'send', 'person', { status: 'transient_error', error: 'Teams send: connect ECONNREFUSED 127.0.0.1:9' }],
    ['a plain object without a status', { code: 'ETIMEDOUT' }, 'send', 'channel', { status: 'transient_error', error: 'Teams send: no answer ETIMEDOUT' }],
    ['a string thrown', 'boom', 'send', 'person', { status: 'transient_error', error: 'Teams send: no answer' }],
    ['undefined thrown', undefined, 'update', 'person', { status: 'transient_error', error: 'Teams update: no answer' }],
    ['null thrown', null, 'send', 'channel', { status: 'transient_error', error: 'Teams send: no answer' }],
  ] as const)('when Teams answers %s, then it is what the core expects', (_case, error, what, to, expected) => {
    expect(teamsFailure(error, what, to, nowMs)).toEqual(expected);
  });

  test('when an answer with a status carries a message, then the error kept is its status and code, not the connector\'s words', () => {
    const failure = teamsFailure(restError(500, 'InternalServerError', {}, 'upstream said: Authorization: Bearer eyJ...'), 'send', 'person', nowMs);

    expect(failure).toEqual({ status: 'transient_error', error: 'Teams send: 500 InternalServerError' });
  });
});
