import type { Command } from '../../src/commands/grammar.js';
import { makeDigestNow } from '../../src/digest/make-digest.js';
import { renderDigest } from '../text/render-digest.js';
import { formatMinute } from '../text/render-tick.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';
import { tickTime, tooFarAhead } from './tick-time.js';

/**
 * `digest`: the security leads' digest as of now — the later of the clock and the database's own time, so a
 * database moved ahead by `tick --at` (the console walkthrough) is counted where it stands — or `--at`. Printed
 * (`--print`, `--json`) it changes nothing; otherwise it is stored, so the next digest shows its changes against
 * it, and queued for the security channel.
 */
export async function runDigest(command: Extract<Command, { name: 'digest' }>, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  const store = await deps.openStore();
  const latest = await store.latestRecordedAt();
  const at = tickTime(command.at ?? { relativeDays: 0 }, deps.clock, latest);
  const storing = !command.print && !command.json;
  if (storing) {
    const typo = tooFarAhead(at, deps.clock, false);
    if (typo !== null) {
      io.err(typo.replace('A tick moves', 'A digest is recorded at its time, and moves'));
      return exitCodes.badInput;
    }
    if (latest !== null && at.toISOString() < latest) {
      io.err(`Steward's records already reach ${formatMinute(latest)}: a digest at ${formatMinute(at.toISOString())} would be recorded before them. Look at one then with --print, or make it at ${formatMinute(latest)} or later.`);
      return exitCodes.badInput;
    }
  }
  const outcome = await makeDigestNow(store, deps.policy, at, { print: !storing, actor: deps.actor });
  if (outcome.status !== 'made') throw new Error(`a digest asked for now came back ${outcome.status}`);
  const { plan, figures } = outcome;
  if (command.json) {
    io.out(JSON.stringify({ at: at.toISOString(), figures, anchor: plan.view.anchor, view: plan.view }, null, 2));
    return exitCodes.ok;
  }
  const { message } = plan.message;
  io.out([message.title, plan.view.period, '', message.text, ...renderDigest(plan.view)].join('\n'));
  if (storing)
    io.out(
      outcome.queued > 0
        ? `\nStored, and queued for the security channel${deps.surface === 'cli' ? ': `steward serve` delivers it, with its chart' : ''}.`
        : '\nStored; a digest for this time was queued already.',
    );
  return exitCodes.ok;
}
