import { describe, expect, test } from 'vitest';
import { ConversationPace } from '../../../adapters/teams/conversation-pace.js';

/*
 * The pace of one conversation, on a clock the test moves. Whether a turn waits is read without timing it: a turn
 * that need not wait settles before the next round of the event loop (setImmediate), one that waits does not. The
 * real waits are a few milliseconds (the interval is 30 ms), and only their lower bound is checked.
 */

const intervalMs = 30;

class FixedClock {
  constructor(public ms: number) {}
  readonly now = () => this.ms;
}

/** 'goes at once' when the turn settled before the event loop went round, 'waits' otherwise (it is then awaited). */
async function howItGoes(turn: Promise<void>): Promise<'goes at once' | 'waits'> {
  const settled = await Promise.race([turn.then(() => 'goes at once' as const), new Promise<'waits'>((resolve) => setImmediate(() => resolve('waits')))]);
  await turn;
  return settled;
}

async function timed(turn: Promise<void>): Promise<number> {
  const started = performance.now();
  await turn;
  return performance.now() - started;
}

describe('ConversationPace', () => {
  test('when a conversation is written to for the first time, then it goes at once', async () => {
    const pace = new ConversationPace(intervalMs, new FixedClock(1_000).now);

    expect(await howItGoes(pace.turn('a:1-ana'))).toBe('goes at once');
  });

  test.each([
    ['the same conversation, at the same moment', 'a:1-ana', 0, 'waits'],
    ['the same conversation, 20 ms later', 'a:1-ana', 20, 'waits'],
    ['the same conversation, a whole interval later', 'a:1-ana', intervalMs, 'goes at once'],
    ['the same conversation, long after', 'a:1-ana', 60_000, 'goes at once'],
    ['another conversation, at the same moment', 'a:1-ben', 0, 'goes at once'],
    ['a channel, at the same moment', '19:payments@thread.tacv2', 0, 'goes at once'],
  ] as const)('when a message follows one to Ana\'s chat, to %s, then it %s', async (_case, conversation, laterMs, expected) => {
    const clock = new FixedClock(1_000);
    const pace = new ConversationPace(intervalMs, clock.now);
    await pace.turn('a:1-ana');

    clock.ms += laterMs;

    expect(await howItGoes(pace.turn(conversation))).toBe(expected);
  });

  test('when a message follows another to the same conversation, then it waits the rest of the interval, no less', async () => {
    const clock = new FixedClock(1_000);
    const pace = new ConversationPace(intervalMs, clock.now);
    await pace.turn('a:1-ana');

    const atOnce = await timed(pace.turn('a:1-ana'));
    clock.ms += 20;
    const later = await timed(pace.turn('a:1-ana'));

    // Timers may fire up to a millisecond early by performance.now's reckoning.
    expect(atOnce).toBeGreaterThanOrEqual(intervalMs - 1);
    expect(later).toBeGreaterThanOrEqual(intervalMs - 20 - 1);
  });

  test('when three messages go to one conversation and one to another in between, then only the three are spaced', async () => {
    const clock = new FixedClock(1_000);
    const pace = new ConversationPace(intervalMs, clock.now);
    const order: string[] = [];
    const send = (conversation: string, text: string) => pace.turn(conversation).then(() => void order.push(text));

    await send('a:1-ana', 'ana 1');
    const ana2 = howItGoes(send('a:1-ana', 'ana 2'));
    const ben = await howItGoes(send('a:1-ben', 'ben 1'));

    expect(ben).toBe('goes at once');
    expect(await ana2).toBe('waits');
    expect(await howItGoes(send('a:1-ana', 'ana 3'))).toBe('waits');
    expect(order).toEqual(['ana 1', 'ben 1', 'ana 2', 'ana 3']);
  });

  test('when the pace forgets conversations not written to for a while, then one written to just now is still spaced', async () => {
    const clock = new FixedClock(1_000);
    const pace = new ConversationPace(intervalMs, clock.now);
    for (let i = 0; i < 10_000; i += 1) await pace.turn(`a:1-${i}`);
    clock.ms += intervalMs + 1;

    // The 10,001st conversation: past the bound, the ones written to more than an interval ago are dropped.
    expect(await howItGoes(pace.turn('a:1-ana'))).toBe('goes at once');

    expect(await howItGoes(pace.turn('a:1-ana'))).toBe('waits');
    expect(await howItGoes(pace.turn('a:1-0'))).toBe('goes at once');
  });
});
