import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { exitCodes, type ExitCode } from '../commands/exit-codes.js';

/*
 * `npm run teams:package`: the Teams app package an admin uploads, a zip of adapters/teams/manifest/manifest.json
 * (with this deployment's app id and host filled in) and its two icons, all three at the zip's root. The committed
 * manifest keeps placeholders and validates against the schema as it is: the all-zero GUID for the ids (the schema's
 * GUID pattern refuses anything like {{MICROSOFT_APP_ID}}) and steward.example.com for the domain.
 */

/** The committed manifest's stand-in for the Azure bot's app id (`id` and `bots[0].botId`). */
export const placeholderAppId = '00000000-0000-0000-0000-000000000000';
/** The committed manifest's stand-in for the host Steward is served on (`validDomains`; its developer pages use it too, left for an admin to replace). */
export const placeholderHost = 'steward.example.com';
/** Where the package goes without `--out`, from the repository's root. */
export const defaultOutput = 'steward-teams.zip';

export const usage = `Usage: npm run teams:package [-- --out FILE]

Writes the Microsoft Teams app package an admin uploads (Teams admin center > Teams apps > Manage apps >
Upload new app, or in Teams: Apps > Manage your apps > Upload an app): manifest.json, color.png and
outline.png from adapters/teams/manifest/, the manifest's placeholders filled in from:
  MICROSOFT_APP_ID     the Azure bot's Microsoft App ID (a GUID): the app's id and its bot's id
  STEWARD_PUBLIC_HOST  the host name Teams reaches Steward on, alone (steward.corp.example, no https://),
                       whose https://HOST/api/messages is the bot's messaging endpoint: the app's valid domain
Options:
  --out FILE  where to write the zip (default: ${defaultOutput} in Steward's folder)
Exit codes: 0 written, 2 a variable missing or malformed, a bad option, or the file not writable.`;

/** What a deployment fills in. */
export interface PackageSettings {
  readonly appId: string;
  readonly host: string;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name of two labels or more (letters, digits, inner hyphens), as validDomains takes it: no scheme, port or path. */
const hostPattern = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * The settings from the environment, or what is wrong with them, one problem per variable. A message names the
 * variable and never repeats its value (someone may have pasted the app's password into the wrong one).
 */
export function packageSettings(env: Readonly<Record<string, string | undefined>>): { ok: true; settings: PackageSettings } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const appId = (env.MICROSOFT_APP_ID ?? '').trim();
  if (appId === '') problems.push("MICROSOFT_APP_ID is not set: give the Azure bot's Microsoft App ID (a GUID, on the bot's Configuration page)");
  else if (!guidPattern.test(appId)) problems.push("MICROSOFT_APP_ID is not a GUID (8-4-4-4-12 hexadecimal digits): give the Azure bot's Microsoft App ID");
  else if (appId === placeholderAppId) problems.push("MICROSOFT_APP_ID is the all-zero placeholder: give the Azure bot's Microsoft App ID");
  const host = (env.STEWARD_PUBLIC_HOST ?? '').trim().toLowerCase();
  if (host === '') problems.push('STEWARD_PUBLIC_HOST is not set: give the host name Teams reaches Steward on (its messaging endpoint is https://HOST/api/messages)');
  else if (!hostPattern.test(host)) problems.push('STEWARD_PUBLIC_HOST is not a host name: give it alone, e.g. steward.corp.example (no https://, port or path)');
  else if (host === placeholderHost) problems.push(`STEWARD_PUBLIC_HOST is the manifest's placeholder (${placeholderHost}): give the host name Teams reaches Steward on`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings: { appId, host } };
}

/** The parts of the manifest the packager reads or fills in; the rest is carried over as it is. */
export interface TeamsManifest {
  id: string;
  icons: { color: string; outline: string; [key: string]: unknown };
  bots: Array<{ botId: string; [key: string]: unknown }>;
  validDomains?: string[];
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** Reads manifest.json from `folder`, checking only the fields the packager relies on. */
export function readManifest(folder: string): TeamsManifest {
  const file = path.join(folder, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<TeamsManifest> | null;
  const fine =
    typeof manifest?.id === 'string' &&
    typeof manifest.icons?.color === 'string' &&
    typeof manifest.icons.outline === 'string' &&
    Array.isArray(manifest.bots) &&
    manifest.bots.length === 1 &&
    typeof manifest.developer?.websiteUrl === 'string';
  if (!fine) throw new Error(`${file} lacks an id, icons.color and icons.outline, one bot, or developer.websiteUrl`);
  return manifest as TeamsManifest;
}

/**
 * The manifest for one deployment: the app's id and its bot's id are the Azure bot's app id (one app, one bot), and
 * the placeholder domain becomes the host. Other valid domains an admin added are kept. The input is not changed.
 */
export function fillManifest(template: TeamsManifest, { appId, host }: PackageSettings): TeamsManifest {
  const manifest = structuredClone(template);
  manifest.id = appId;
  manifest.bots = manifest.bots.map((bot) => ({ ...bot, botId: appId }));
  const domains = (manifest.validDomains ?? []).map((domain) => (domain === placeholderHost ? host : domain));
  manifest.validDomains = domains.includes(host) ? domains : [...domains, host];
  return manifest;
}

/** The same bytes for the same inputs: every entry carries this time, not the time it was packaged. */
const entryTime = new Date(2026, 0, 1);

/** The zip: manifest.json and the two icons it names, at the root, nothing else. */
export function buildPackage(folder: string, settings: PackageSettings): { zip: Uint8Array; manifest: TeamsManifest } {
  const manifest = fillManifest(readManifest(folder), settings);
  const json = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const icon = (name: string) => new Uint8Array(readFileSync(path.join(folder, name)));
  const zip = zipSync(
    {
      'manifest.json': json,
      [manifest.icons.color]: [icon(manifest.icons.color), { level: 0 }],
      [manifest.icons.outline]: [icon(manifest.icons.outline), { level: 0 }],
    },
    { level: 9, mtime: entryTime },
  );
  return { zip, manifest };
}

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface PackagePaths {
  /** Steward's folder: the manifest is under it, and the default output. */
  readonly root: string;
  /** Where a relative `--out` starts. */
  readonly cwd: string;
}

const name = 'steward teams:package';

function parseArguments(argv: readonly string[]): { help: true } | { help: false; out?: string } | { error: string } {
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] as string;
    if (argument === '--help' || argument === '-h') return { help: true };
    if (argument === '--out' || argument.startsWith('--out=')) {
      const value = argument === '--out' ? argv[++i] : argument.slice('--out='.length);
      if (value === undefined || value === '') return { error: '--out takes a file name, e.g. --out steward-teams.zip' };
      out = value;
      continue;
    }
    return { error: `unknown ${argument.startsWith('-') ? 'option' : 'argument'} "${argument}"` };
  }
  return out === undefined ? { help: false } : { help: false, out };
}

/** The command: writes the package, or says in one line what stops it. */
export function runTeamsPackage(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, paths: PackagePaths, io: Io): ExitCode {
  const parsed = parseArguments(argv);
  if ('error' in parsed) {
    io.stderr(`${name}: ${parsed.error} (see npm run teams:package -- --help)\n`);
    return exitCodes.badInput;
  }
  if (parsed.help) {
    io.stdout(`${usage}\n`);
    return exitCodes.ok;
  }
  const read = packageSettings(env);
  if (!read.ok) {
    io.stderr(`${name}: ${read.problems.join('; ')}\n`);
    return exitCodes.badInput;
  }
  const folder = path.join(paths.root, 'adapters', 'teams', 'manifest');
  let built: ReturnType<typeof buildPackage>;
  try {
    built = buildPackage(folder, read.settings);
  } catch (error) {
    io.stderr(`${name}: cannot read the app's manifest or icons: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.internal;
  }
  const out = parsed.out === undefined ? path.join(paths.root, defaultOutput) : path.resolve(paths.cwd, parsed.out);
  const partial = `${out}.${process.pid}.partial`;
  try {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(partial, built.zip);
    renameSync(partial, out);
  } catch (error) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written where nothing can be (the folder is a file, or not writable).
    }
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    io.stderr(`${name}: cannot write ${out}: ${reason}\n`);
    return exitCodes.badInput;
  }
  io.stdout(`${name}: wrote ${path.relative(paths.cwd, out) || out} for ${read.settings.host}: upload it in the Teams admin center or with "Upload a custom app"\n`);
  const { websiteUrl, privacyUrl } = built.manifest.developer;
  if ([websiteUrl, privacyUrl].some((url) => URL.canParse(url) && new URL(url).hostname === placeholderHost)) {
    io.stdout(`${name}: note: the developer website and privacy URLs are still ${placeholderHost} placeholders: point them at your own pages in adapters/teams/manifest/manifest.json, then package again\n`);
  }
  return exitCodes.ok;
}
