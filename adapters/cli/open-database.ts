import fs from 'node:fs';
import { InputError } from '../../src/errors.js';
import { SchemaTooNewError } from '../../storage/migrate.js';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';

// What a wrong `--db` or STEWARD_DB looks like when opening it: the user's to fix, not a bug.
const sqliteCodes: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'it is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is damaged',
  SQLITE_CANTOPEN: 'the file cannot be opened or created',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_PERM: 'permission denied',
};
const fileCodes: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EEXIST: 'a part of the path is a file, not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
};

/**
 * Opens the database at `--db` / STEWARD_DB, creating it only when `create` is set (`import`, `serve`): for every
 * other command a path with no database is a typing mistake, refused naming the path, not an empty inventory.
 * A path that cannot hold a Steward database is bad configuration, refused naming the path (exit 2); anything
 * else is an outage, for the error boundary.
 */
export function openDatabase(file: string, options: { readonly create?: boolean } = {}): SqliteStore {
  const create = options.create ?? true;
  if (!create && file !== ':memory:' && !fs.existsSync(file))
    throw new InputError(`${file}: there is no Steward database here. Check --db or STEWARD_DB; \`steward import\` and \`steward serve\` create one.`);
  try {
    return openSqliteStore(file, { mustExist: !create });
  } catch (error) {
    if (error instanceof SchemaTooNewError) throw new InputError(`${file}: ${error.message}`, [], { cause: error });
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? (sqliteCodes[code] ?? fileCodes[code]) : undefined;
    if (reason === undefined) throw error;
    throw new InputError(`${file}: cannot open the database: ${reason} (set --db or STEWARD_DB to another path)`, [], { cause: error });
  }
}
