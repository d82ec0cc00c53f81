import type { Command } from '../../src/commands/grammar.js';
import type { Addressee } from '../../src/messages/outgoing-message.js';
import { formatMinute } from '../text/render-tick.js';
import { unroutedAfterMs } from '../../src/outbox/stuck-after.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

/** Stuck messages listed at most. */
const shown = 200;

function to(addressee: Addressee): string {
  switch (addressee.kind) {
    case 'person':
      return addressee.email;
    case 'team_channel':
      return `team ${addressee.team}${addressee.channel === null ? '' : ` (${addressee.channel})`}`;
    case 'security_channel':
      return 'the security channel';
    case 'webhook':
      return 'the decision webhook';
  }
}

/**
 * `outbox --stuck`: the messages no chat platform could deliver — never routed (no `serve` delivering), routed
 * nowhere (no configured platform reaches the addressee), or given up on a platform — each with its reason, so a
 * message is never silently dropped. Exit 1 when there are any, as `check` does for findings.
 */
export async function runOutbox(command: Extract<Command, { name: 'outbox' }>, deps: CommandDeps): Promise<ExitCode> {
  const store = await deps.openStore();
  const before = new Date(deps.clock.now().getTime() - unroutedAfterMs).toISOString();
  const stuck = await store.stuckMessages(before, shown + 1);
  if (command.json) deps.io.out(JSON.stringify({ stuck: stuck.slice(0, shown), more: stuck.length > shown }, null, 2));
  else if (stuck.length === 0) deps.io.out('No message is stuck: everything queued was routed to a platform, and nothing was given up.');
  else
    deps.io.out(
      [
        `${stuck.length > shown ? `More than ${shown}` : stuck.length} ${stuck.length === 1 ? 'message' : 'messages'} no platform could deliver, oldest first:`,
        ...stuck.slice(0, shown).map((m) => {
          const where = m.platform === null ? '' : ` on ${m.platform}`;
          const why = m.reason === 'unrouted' ? 'not routed yet: is `steward serve` running with a chat platform?' : `${m.reason}${m.error === null ? '' : `: ${m.error}`}`;
          return `  ${formatMinute(m.createdAt)}  ${m.kind} → ${to(m.addressee)}${where} — ${why}`;
        }),
      ].join('\n'),
    );
  return stuck.length === 0 ? exitCodes.ok : exitCodes.findings;
}
