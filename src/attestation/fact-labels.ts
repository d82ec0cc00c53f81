import type { EditableFact } from './answer-action.js';

/**
 * How Update… names each fact a person may correct, and what it asks for: the same words on every platform's form
 * (Slack's modal, Teams' card, the console's help).
 */
export const factLabels: Readonly<Record<EditableFact, string>> = {
  purpose: 'Purpose',
  scopes: 'Scopes',
  expiresAt: 'Expires',
  recoveryProcedure: 'Recovery procedure',
  revocationPath: 'Revocation path',
};

/** A sentence under (or inside) each fact's input, saying what to write. */
export const factHints: Readonly<Record<EditableFact, string>> = {
  purpose: 'What it is for, in a sentence a newcomer would understand.',
  scopes: 'Separated by spaces.',
  expiresAt: 'A date, like 2027-01-31.',
  recoveryProcedure: 'How to rotate or replace it: runbook text or a link.',
  revocationPath: 'How to revoke access: runbook text or a link.',
};
