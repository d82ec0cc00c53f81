/**
 * DESIGN.md: 0 ok, 1 findings (nothing matched, `check` failed), 2 bad input or configuration.
 * 70 (EX_SOFTWARE) is a bug or an outage: the message carries a reference to find it in the log.
 * 75 (EX_TEMPFAIL): the database is busy with another writer (a long import); the same command works later.
 */
export const exitCodes = { ok: 0, findings: 1, badInput: 2, internal: 70, busy: 75 } as const;
export type ExitCode = number;
