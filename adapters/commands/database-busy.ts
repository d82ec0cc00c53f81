/**
 * True when another process held the database's write lock past the busy timeout: a long import, most likely
 * (an import writes in one transaction). Not a bug: the same command succeeds once that writer is done.
 * SQLite's result code is on the error (better-sqlite3's SqliteError), or on its cause when wrapped.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) return true;
  }
  return false;
}

export const busyMessage =
  'the database is busy: another Steward process is writing to it (an import, most likely) and did not finish within 5 seconds. Nothing was changed; try again when it is done (exit code 75).';
