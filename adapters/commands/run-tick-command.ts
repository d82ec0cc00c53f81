import type { Command } from '../../src/commands/grammar.js';
import { runTick, type TickReport } from '../../src/attestation/run-tick.js';
import { decisionRecord, formatMinute, renderTickReport } from '../text/render-tick.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';
import { tickTime, timeDoesNotGoBack, tooFarAhead } from './tick-time.js';

export type TickCommand = Extract<Command, { name: 'tick' }>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Runs the tick a `tick` command asks for and prints its decisions: JSON lines on `out`, or words. A tick refused
 * because the database has recorded a later time (`notBefore`) prints nothing: the caller says why.
 */
export async function tickAndReport(command: TickCommand, deps: CommandDeps, at: Date, options: { readonly list?: boolean } = {}): Promise<TickReport> {
  const report = await runTick(await deps.openStore(), deps.policy, at, { dryRun: command.dryRun });
  if (report.notBefore !== undefined) return report;
  if (command.json) {
    for (const decision of report.decisions) deps.io.out(JSON.stringify(decisionRecord(decision)));
  } else deps.io.out(renderTickReport(report, options));
  return report;
}

/**
 * `steward tick` on the command line. The CLI has no chat platform: the messages the tick decides wait in the
 * outbox for `steward serve` to deliver, and it says how many. Under --json, standard output is only the
 * decisions, one JSON line each; that note goes to standard error. A tick before what the database has
 * recorded is refused (exit 2): time does not go back.
 */
export async function runTickCommand(command: TickCommand, deps: CommandDeps): Promise<ExitCode> {
  const at = tickTime(command.at, deps.clock, await (await deps.openStore()).latestRecordedAt());
  const typo = tooFarAhead(at, deps.clock, command.dryRun);
  if (typo !== null) {
    deps.io.err(typo);
    return exitCodes.badInput;
  }
  const report = await tickAndReport(command, deps, at);
  if (report.notBefore !== undefined) {
    deps.io.err(timeDoesNotGoBack(report.notBefore, at));
    return exitCodes.badInput;
  }
  const note = command.json ? deps.io.err : deps.io.out;
  if (report.dryRun) note(`Dry run: nothing was written; ${plural(report.messages, 'message')} would be queued.`);
  else if (report.messages === 0) note('No new messages.');
  else {
    const later = at.getTime() > deps.clock.now().getTime() ? ` from ${formatMinute(report.at)}, the time they were queued for` : '';
    note(`${plural(report.messages, 'message')} queued in the outbox; \`steward serve\` delivers them${later}.`);
  }
  return exitCodes.ok;
}
