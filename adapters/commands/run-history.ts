import type { Command } from '../../src/commands/grammar.js';
import { renderHistory } from '../text/render-history.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { resolveItem } from './resolve-item.js';
import type { CommandDeps } from './run-command.js';

/** Events shown by `history`; the trail of an item asked about for years can be long. */
export const historyLimit = 100;

/** `history <ref>`: the item's audit trail, and where its attestation stands now. */
export async function runHistory(command: Extract<Command, { name: 'history' }>, deps: CommandDeps): Promise<ExitCode> {
  const store = await deps.openStore();
  const item = await resolveItem(store, command.ref);
  if (!item.ok) {
    deps.io.err(item.message);
    return exitCodes.badInput;
  }
  const trail = await store.itemAuditTrail(item.kind, item.ref, historyLimit);
  if (trail === null) throw new Error(`history: ${item.kind} ${item.ref} was found and then was not`);
  const open = await store.openAttestationOf(item.kind, item.ref);
  if (command.json) {
    deps.io.out(JSON.stringify({ kind: item.kind, ref: item.ref, openAttestation: open.id, nextAttestationAt: open.id === null ? open.nextAt : null, ...trail }, null, 2));
    return exitCodes.ok;
  }
  const now =
    open.id !== null ? `Now: attestation ${open.id} is open, waiting for an answer.` : open.nextAt === null ? 'Now: nothing is scheduled to ask about it.' : `Now: next asked on ${open.nextAt.slice(0, 10)}.`;
  deps.io.out(`${renderHistory(`${item.ref} (${item.kind === 'api' ? 'API' : 'identity'})`, trail)}\n${now}`);
  return exitCodes.ok;
}
