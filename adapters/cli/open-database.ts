import fs from 'node:fs';
import { InputError } from '../../src/errors.js';
import { SchemaTooNewError } from '../../storage/migrate.js';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';
import { refuseSecretPath } from '../config/secret-path.js';

// What a wrong `--db` or STEWARD_DB looks like when opening it: the user's to fix, not a bug.
const sqliteCodes: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'it is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_CANTOPEN: 'the file cannot be opened or created',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_PERM: 'permission denied',
  // A device, or a disk that fails: either way the path given cannot hold the database.
  SQLITE_IOERR: 'the file cannot be read or written (disk I/O error)',
};
const fileCodes: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EEXIST: 'a part of the path is a file, not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/** What is at `file` now, or undefined when nothing is (or the path cannot be looked at: SQLite then says why). */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * Opens the database at `--db` / STEWARD_DB, creating it only when `create` is set (`import`, `serve`): for every
 * other command a path with no database is a typing mistake, refused naming the path, not an empty inventory.
 * A path that cannot hold a Steward database is bad configuration, refused naming the path (exit 2); anything
 * else is an outage, for the error boundary.
 */
export function openDatabase(file: string, options: { readonly create?: boolean } = {}): SqliteStore {
  const create = options.create ?? true;
  refuseSecretPath(file, 'the database path (--db or STEWARD_DB)');
  const stats = file === ':memory:' ? undefined : statOf(file);
  if (!create && file !== ':memory:' && stats === undefined)
    throw new InputError(`${file}: there is no Steward database here. Check --db or STEWARD_DB; \`steward import\` and \`steward serve\` create one.`);
  // SQLite would open /dev/null and fail at its first write, as a disk I/O error; a folder fails as "cannot open".
  if (stats !== undefined && !stats.isFile()) throw new InputError(`${file}: cannot open the database: ${stats.isDirectory() ? 'it is a folder' : 'it is a device, FIFO or socket'}, not a file (set --db or STEWARD_DB to another path)`);
  try {
    return openSqliteStore(file, { mustExist: !create });
  } catch (error) {
    if (error instanceof SchemaTooNewError) throw new InputError(`${file}: ${error.message}`, [], { cause: error });
    const code = (error as { code?: unknown }).code;
    // Extended codes (SQLITE_IOERR_FSYNC) mean what their primary code means.
    const reason = typeof code === 'string' ? (sqliteCodes[code] ?? sqliteCodes[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')] ?? fileCodes[code]) : undefined;
    if (reason === undefined) throw error;
    throw new InputError(`${file}: cannot open the database: ${reason} (set --db or STEWARD_DB to another path)`, [], { cause: error });
  }
}
