import type { Surface } from '../../src/commands/grammar.js';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { CommandDeps } from './run-command.js';

/** The commands that act as the person speaking, and what each asks when nobody is. */
export type SpeakerCommand = 'attest' | 'claim' | 'mine' | 'request' | 'decide' | 'delegate';

const unknownSpeaker: Readonly<Record<Surface, Readonly<Record<SpeakerCommand, string>>>> = {
  cli: {
    attest: 'Say who is answering: attest <ref> --as EMAIL (the accountable person or the backup).',
    claim: 'Say who is claiming it: claim is offered in chat and on the console.',
    mine: 'Say whose items: mine is offered in chat and on the console; here, list --owner EMAIL.',
    request: 'Say who is asking: add --as EMAIL (an owner of the item, its approver or its team).',
    decide: 'Say who is deciding: add --as EMAIL (an approver of the request, or the person a transfer is offered to).',
    delegate: 'Say whose work is delegated: add --as EMAIL.',
  },
  console: {
    attest: 'Say who is answering: act as them first (as EMAIL), or add --as EMAIL.',
    claim: 'Who is claiming it? Act as someone first: as EMAIL.',
    mine: 'Whose items? Act as someone first: as EMAIL.',
    request: 'Who is asking? Act as someone first (as EMAIL), or add --as EMAIL.',
    decide: 'Who is deciding? Act as someone first (as EMAIL), or add --as EMAIL.',
    delegate: 'Whose work? Act as someone first (as EMAIL), or add --as EMAIL.',
  },
  // A chat adapter always says who typed the command; reaching this is a bug in the adapter, said plainly.
  chat: {
    attest: 'Steward could not tell who you are, so nothing was recorded.',
    claim: 'Steward could not tell who you are, so nothing was claimed.',
    mine: 'Steward could not tell who you are.',
    request: 'Steward could not tell who you are, so nothing was asked.',
    decide: 'Steward could not tell who you are, so nothing was decided.',
    delegate: 'Steward could not tell who you are, so nothing changed.',
  },
};

/**
 * Who a command acts as: the person speaking (`chatActor`: the chat user, or whom the console acts as), or on
 * the CLI and the console, the person `--as` names. In chat only the speaker counts: nobody answers for another.
 * Null, with the question asked on `io.err`, when nobody is named.
 */
export function speakerOf(deps: CommandDeps, command: SpeakerCommand, as?: string): ActorKey | null {
  const named = deps.surface === 'chat' || as === undefined ? undefined : { email: as };
  const speaker = named ?? deps.chatActor ?? null;
  if (speaker === null) deps.io.err(unknownSpeaker[deps.surface][command]);
  return speaker;
}
