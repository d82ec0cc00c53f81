import { parseArgs } from 'node:util';
import { ItemKind } from '../model/vocabulary.js';

/**
 * The one command grammar shared by the CLI, the console and chat (`/steward …`): each surface offers the
 * commands that make sense there, parsed the same way, so `who payments-api` means the same everywhere.
 */
export type Surface = 'cli' | 'console' | 'chat';

export type Command =
  | { readonly name: 'who'; readonly query: string; readonly json: boolean }
  | {
      readonly name: 'list';
      readonly unowned: boolean;
      readonly team?: string;
      readonly owner?: string;
      readonly kind?: ItemKind;
      readonly expiringDays?: number;
      readonly json: boolean;
    }
  | { readonly name: 'help'; readonly topic?: string }
  | { readonly name: 'import'; readonly format: string; readonly paths: readonly string[]; readonly dryRun: boolean; readonly json: boolean; readonly source?: string }
  | { readonly name: 'check'; readonly paths: readonly string[]; readonly format?: 'backstage' | 'csv'; readonly policy?: string; readonly json: boolean }
  | { readonly name: 'serve' };

export type CommandName = Command['name'];

export type ParseResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly code: 'unknown_command' | 'bad_usage'; readonly message: string; readonly usage?: string };

interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly value?: string;
  readonly help: string;
}

type Values = Record<string, string | boolean | undefined>;

interface CommandSpec {
  readonly name: CommandName;
  readonly usage: string;
  readonly summary: string;
  readonly surfaces: readonly Surface[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Builds the command, or returns what is wrong with the words given. */
  build(values: Values, positionals: readonly string[]): Command | string;
}

const json: OptionSpec = { type: 'boolean', help: 'print data as JSON' };

const specs: readonly CommandSpec[] = [
  {
    name: 'who',
    usage: 'who <query> [--json]',
    summary: 'who owns an API or identity: by ref, name, or an unambiguous part of either (api:… or identity:… to pick a kind)',
    surfaces: ['cli', 'console', 'chat'],
    options: { json },
    build: (values, positionals) => {
      // A quoted empty or blank query (`who ""`) would match everything by prefix: treat it as no query.
      const query = positionals.join(' ').trim();
      return query === '' ? 'say what to look up, e.g. `who payments-api`' : { name: 'who', query, json: values.json === true };
    },
  },
  {
    name: 'list',
    usage: 'list [--unowned] [--team T] [--owner EMAIL] [--kind api|identity] [--expiring DAYS] [--json]',
    summary: 'list APIs and identities, filtered',
    surfaces: ['cli', 'console', 'chat'],
    options: {
      unowned: { type: 'boolean', help: 'only items with no owning team, no accountable person, or one who has left' },
      team: { type: 'string', value: 'T', help: "only the team's items" },
      owner: { type: 'string', value: 'EMAIL', help: 'only items this person is accountable for or backs up' },
      kind: { type: 'string', value: 'api|identity', help: 'only APIs or only identities' },
      expiring: { type: 'string', value: 'DAYS', help: 'only credentials expiring within DAYS (or already expired)' },
      json,
    },
    build: (values, positionals) => {
      if (positionals.length > 0) return `list takes no words of its own (got "${positionals[0]}")`;
      const kind = values.kind === undefined ? undefined : ItemKind.safeParse(String(values.kind).toLowerCase());
      if (kind && !kind.success) return '--kind must be api or identity';
      let expiringDays: number | undefined;
      if (values.expiring !== undefined) {
        // Digits only: Number() would read '' as 0 and '1e2' or '0x10' as numbers nobody meant.
        if (!/^\d+$/.test(String(values.expiring))) return '--expiring takes a whole number of days';
        expiringDays = Number(values.expiring);
      }
      return {
        name: 'list',
        unowned: values.unowned === true,
        json: values.json === true,
        ...(typeof values.team === 'string' ? { team: values.team } : {}),
        ...(typeof values.owner === 'string' ? { owner: values.owner } : {}),
        ...(kind?.success ? { kind: kind.data } : {}),
        ...(expiringDays !== undefined ? { expiringDays } : {}),
      };
    },
  },
  {
    name: 'import',
    usage: 'import <format> <paths…> [--dry-run] [--source NAME] [--json]',
    summary: 'import an inventory snapshot (formats: backstage, csv, aws-credential-report, gcp-keys, kubernetes, codeowners)',
    surfaces: ['cli', 'console'],
    options: {
      'dry-run': { type: 'boolean', help: 'check and count, change nothing' },
      source: { type: 'string', value: 'NAME', help: 'name the source (for several catalogs or clusters of one format)' },
      json,
    },
    build: (values, [format, ...paths]) =>
      format === undefined || paths.length === 0
        ? 'give a format and at least one file, e.g. `import backstage catalog-info.yaml`'
        : {
            name: 'import',
            format,
            paths,
            dryRun: values['dry-run'] === true,
            json: values.json === true,
            ...(typeof values.source === 'string' ? { source: values.source } : {}),
          },
  },
  {
    name: 'check',
    usage: 'check <paths…> [--format backstage|csv] [--policy FILE] [--json]',
    summary: 'the release gate: exit 1 listing every API or identity that lacks what the policy requires',
    surfaces: ['cli', 'console'],
    options: {
      format: { type: 'string', value: 'backstage|csv', help: 'the files’ format (default: by extension)' },
      policy: { type: 'string', value: 'FILE', help: 'the policy file whose `gate` section says what is required' },
      json,
    },
    build: (values, paths) => {
      if (paths.length === 0) return 'give at least one catalog file, e.g. `check catalog-info.yaml`';
      const format = values.format;
      if (format !== undefined && format !== 'backstage' && format !== 'csv') return '--format must be backstage or csv';
      return {
        name: 'check',
        paths,
        json: values.json === true,
        ...(format !== undefined ? { format } : {}),
        ...(typeof values.policy === 'string' ? { policy: values.policy } : {}),
      };
    },
  },
  {
    name: 'serve',
    usage: 'serve',
    summary: 'run Steward: chat adapters when credentials are set, else the console; GET /healthz on PORT',
    surfaces: ['cli'],
    options: {},
    build: (_values, positionals) => (positionals.length > 0 ? 'serve takes no arguments' : { name: 'serve' }),
  },
  {
    name: 'help',
    usage: 'help [command]',
    summary: 'this help, or one command’s',
    surfaces: ['cli', 'console', 'chat'],
    options: {},
    build: (_values, [topic]) => (topic === undefined ? { name: 'help' } : { name: 'help', topic }),
  },
];

export function commandsFor(surface: Surface): readonly CommandSpec[] {
  return specs.filter((spec) => spec.surfaces.includes(surface));
}

function usageOf(spec: CommandSpec, surface: Surface): string {
  return surface === 'chat' ? `/steward ${spec.usage}` : surface === 'cli' ? `steward ${spec.usage}` : spec.usage;
}

/** Parses the words after the program name (or `/steward`). Never throws: bad words get a usage message. */
export function parseCommand(words: readonly string[], surface: Surface): ParseResult {
  const [name, ...rest] = words;
  if (name === undefined || name === '--help' || name === '-h') return { ok: true, command: { name: 'help' } };
  const spec = commandsFor(surface).find((s) => s.name === name.toLowerCase());
  if (!spec) return { ok: false, code: 'unknown_command', message: `${name} is not a command here` };
  if (rest.includes('--help') || rest.includes('-h')) return { ok: true, command: { name: 'help', topic: spec.name } };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: Object.fromEntries(Object.entries(spec.options).map(([key, o]) => [key, { type: o.type }])),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs errors start with a plain sentence naming the option, then advice about `--` that fits a
    // shell, not chat; keep the first sentence.
    const message = (error as Error).message.split(/(?<=\.)\s/)[0] ?? (error as Error).message;
    return { ok: false, code: 'bad_usage', message, usage: usageOf(spec, surface) };
  }
  const built = spec.build(parsed.values as Values, parsed.positionals);
  return typeof built === 'string' ? { ok: false, code: 'bad_usage', message: built, usage: usageOf(spec, surface) } : { ok: true, command: built };
}

/** Help text for a surface, or for one command (its options too). */
export function helpText(surface: Surface, topic?: string): string {
  const available = commandsFor(surface);
  const spec = topic === undefined ? undefined : available.find((s) => s.name === topic.toLowerCase());
  if (spec) {
    const options = Object.entries(spec.options).map(([key, o]) => `  --${key}${o.value ? ` ${o.value}` : ''}  ${o.help}`);
    return [`Usage: ${usageOf(spec, surface)}`, '', spec.summary, ...(options.length > 0 ? ['', 'Options:', ...options] : [])].join('\n');
  }
  const width = Math.max(...available.map((s) => usageOf(s, surface).length));
  const lines = available.map((s) => `  ${usageOf(s, surface).padEnd(width)}  ${s.summary}`);
  const header = topic === undefined ? 'Commands:' : `${topic} is not a command here. Commands:`;
  return [header, ...lines].join('\n');
}
