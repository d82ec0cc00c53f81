import { claimItem } from '../../src/attestation/claim-item.js';
import type { ClaimResult } from '../../src/attestation/decide-claim.js';
import type { Command } from '../../src/commands/grammar.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { resolveItem } from './resolve-item.js';
import type { CommandDeps } from './run-command.js';
import { speakerOf } from './speaker.js';

export type ClaimCommand = Extract<Command, { name: 'claim' }>;

/** A refused claim: the data said no (1), or the request needs more from the person (2). */
function refusalExitCode(result: Extract<ClaimResult, { ok: false }>): ExitCode {
  switch (result.code) {
    case 'not_found':
    case 'not_queued':
    case 'not_in_team':
      return exitCodes.findings;
    case 'unknown_person':
    case 'needs_team':
      return exitCodes.badInput;
  }
}

/**
 * `claim <ref> [--team SLUG]`: what the Claim (security queue) or Take it (team queue) button does, as the person
 * speaking: they become the item's accountable person and are asked to confirm it at the next tick.
 */
export async function runClaim(command: ClaimCommand, deps: CommandDeps): Promise<ExitCode> {
  const actor = speakerOf(deps, 'claim');
  if (actor === null) return exitCodes.badInput;
  const store = await deps.openStore();
  const item = await resolveItem(store, command.ref);
  if (!item.ok) {
    deps.io.err(item.message);
    return exitCodes.badInput;
  }
  const result = await claimItem(store, deps.clock, { actor, itemId: item.id, team: command.team ?? null });
  if (result.ok) {
    deps.io.out(result.text);
    return exitCodes.ok;
  }
  deps.io.err(result.text);
  return refusalExitCode(result);
}
