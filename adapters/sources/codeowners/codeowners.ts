import { InputError } from '../../../src/errors.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import { cannotRead, readChecked, sourcePathOf } from '../source-files.js';
import type { ReadContext, SourceFormat } from '../source-format.js';
import { parseCodeowners, teamSlugOf, type CodeownersRule, type CodeownersRules } from './codeowners-rules.js';
import { locateCodeowners, type CodeownersFile } from './locate-codeowners.js';

type ApiCodePath = ReadContext['apiCodePaths'][number];

// A code path ending in `/` is a directory: we ask who owns a file directly inside it. The stand-in name holds a
// space, which no pattern can (owners are split off at whitespace), so only wildcards (`*`, `docs/*`) match it.
const anyFileInDirectory = ' (any file)';

/** The repository path CODEOWNERS patterns are tested against: relative to the root, no leading `/` or `./`. */
function repositoryPath(codePath: string): string {
  const relative = codePath.trim().replace(/^(?:\.?\/)+/, '');
  return relative === '' || relative.endsWith('/') ? relative + anyFileInDirectory : relative;
}

// The core refuses a team slug it cannot store (and with it the whole import); such a team stays in `owners` only.
const storableSlug = /^[a-z0-9][a-z0-9._-]*$/;

/** The one team a line names, when it names exactly one; a line naming several teams does not pick one. */
function soleTeam(rule: CodeownersRule): string | undefined {
  const slugs = new Set(rule.owners.map(teamSlugOf).filter((slug) => slug !== null));
  const [slug] = slugs;
  return slugs.size === 1 && slug !== undefined && storableSlug.test(slug) ? slug : undefined;
}

function reasonFor(rule: CodeownersRule): string {
  const pattern = rule.pattern.length > 300 ? `${rule.pattern.slice(0, 300)}…` : rule.pattern;
  const reason = `CODEOWNERS line ${rule.line}: ${pattern}`;
  return rule.owners.length === 0 ? `${reason} (no owners: the path is explicitly unowned at line ${rule.line})` : reason;
}

function readText({ file, rules }: CodeownersFile): string {
  const read = readChecked(file, rules);
  if (!read.ok) {
    if (read.refusal.code === 'too_large')
      throw new InputError(`${file}: larger than 3 MB (${read.refusal.size} bytes); GitHub does not load such a CODEOWNERS file, so Steward does not either`);
    throw cannotRead(file, read.refusal);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(read.value);
  } catch (error) {
    throw new InputError(`${file}: cannot read the file (not UTF-8 text)`, [], { cause: error });
  }
}

function* entries(file: string, codeowners: CodeownersRules, apis: readonly ApiCodePath[]): Generator<RawEntry | InvalidEntry> {
  for (const refused of codeowners.refused) {
    const at = { file, line: refused.line };
    yield { type: 'invalid', at, problems: [{ at, field: refused.field, message: refused.message }] };
  }
  for (const skipped of codeowners.skipped) {
    const at = { file, line: skipped.line };
    const subject = `${file}:${skipped.line}`;
    yield { type: 'finding', at, sourceKey: subject, data: { severity: 'warning', code: 'codeowners_invalid_line', subject, message: skipped.reason } };
  }
  for (const api of apis) {
    const rule = codeowners.ownersOf(repositoryPath(api.codePath));
    if (rule === undefined) continue; // no line covers this path: CODEOWNERS has no opinion
    yield {
      type: 'suggestion',
      at: { file, line: rule.line },
      sourceKey: `api:${api.ref}`,
      data: { itemKind: 'api', itemRef: api.ref, owners: [...rule.owners], team: soleTeam(rule), reason: reasonFor(rule) },
    };
  }
}

/**
 * GitHub CODEOWNERS. It names reviewers for paths, not owners, so it only suggests owners for APIs whose code
 * path is known. Each path given is a CODEOWNERS file or a repository directory; each gives one snapshot.
 */
export const codeowners: SourceFormat = {
  name: 'codeowners',
  summary: 'GitHub CODEOWNERS files (or repositories): suggest owners for APIs with a known code path',
  needsApiCodePaths: true,
  read(paths, options, context): readonly SourceSnapshot[] {
    // Each snapshot replaces its source's earlier suggestions, so two files under one name would erase each other.
    if (options.source !== undefined && paths.length > 1)
      throw new InputError(`--source names one source, but ${paths.length} CODEOWNERS files were given: import them one at a time`);
    return paths.map((given) => {
      const located = locateCodeowners(given);
      const file = located.file;
      // Read now, so a file that is not UTF-8 stops the import before it starts.
      const rules = parseCodeowners(readText(located));
      // Iterable again on every pass (a generator object is spent after one), so a dry run can be repeated.
      return { source: options.source ?? `codeowners:${sourcePathOf(given)}`, format: 'codeowners', entries: { [Symbol.iterator]: () => entries(file, rules, context.apiCodePaths) } };
    });
  },
};
