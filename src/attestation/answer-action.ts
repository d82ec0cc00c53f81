/** The facts an owner may correct with "Update…", by the name the prompt shows. */
export const editableFacts = ['purpose', 'scopes', 'expiresAt', 'recoveryProcedure', 'revocationPath'] as const;
export type EditableFact = (typeof editableFacts)[number];

/** What an owner can say about an attestation (DESIGN.md "Attestation"). */
export type AnswerAction =
  | { readonly type: 'confirm' }
  /** Attest, with the facts as they really are: the edits are recorded as a diff against what was shown. */
  /** `reason`: why, which a change of scopes needs (it becomes a scope change request for the approver). */
  | { readonly type: 'update'; readonly changes: Readonly<Record<string, string>>; readonly reason?: string | null }
  | { readonly type: 'dispute'; readonly reason: string | null; readonly suggestedOwner: string | null }
  | { readonly type: 'decommission'; readonly reason: string | null }
  | { readonly type: 'snooze'; readonly days: number; readonly reason: string };
