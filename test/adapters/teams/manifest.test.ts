import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { accentColor, drawColorIcon, drawOutlineIcon, type RgbaImage } from '../../../adapters/teams/manifest/draw-icons.js';
import { placeholderAppId, placeholderHost } from '../../../adapters/teams/package-app.js';
import { commandsFor } from '../../../src/commands/grammar.js';
import { projectRoot } from '../../support/fixtures.js';

const manifestDir = path.join(projectRoot, 'adapters/teams/manifest');

interface Command {
  title: string;
  description: string;
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: Array<{ botId: string; scopes: string[]; supportsFiles?: boolean; isNotificationOnly?: boolean; commandLists?: Array<{ scopes: string[]; commands: Command[] }> }>;
  validDomains?: string[];
  webApplicationInfo?: unknown;
}

const manifest = JSON.parse(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8')) as Manifest;

// The official schema lives beside the repository (../shared/schemas, see its PROVENANCE.md); a checkout without it
// skips the schema tests and says so in their names.
const schemaVersion = '1.19';
const schemaPath = path.resolve(projectRoot, `../shared/schemas/teams-manifest.schema.v${schemaVersion}.json`);
const haveSchema = existsSync(schemaPath);
const skipped = haveSchema ? '' : ' — SKIPPED: ../shared/schemas is absent';

/**
 * The Teams schema says it is draft-04 (`$schema`), which Ajv 8 does not load, and a draft-04 validator would skip
 * its `const` checks (manifestVersion's among them): so `$schema` is dropped and the schema is compiled under Ajv's
 * default draft-07 rules, where `const` holds. Strict mode stays on (an unknown keyword would stop the compile); only
 * two schema-authoring lints are off, about how upstream writes `type` and `required`, which change nothing about
 * what validates. `format: uri` (the manifest's own `$schema`) is checked as a URL.
 */
function manifestValidator() {
  const { $schema: _draft04, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictRequired: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(schema);
}

describe('manifest.json against the Teams app manifest schema', () => {
  test.skipIf(!haveSchema)(`when the committed manifest is validated against schema v${schemaVersion} under draft-07 rules${skipped}, then it is valid`, () => {
    const validate = manifestValidator();

    const valid = validate(manifest);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test.skipIf(!haveSchema)(`when a manifest names another manifestVersion${skipped}, then the validator refuses it (its const check runs)`, () => {
    const validate = manifestValidator();

    expect(validate({ ...manifest, manifestVersion: '1.29' })).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword])).toEqual([['/manifestVersion', 'const']]);
  });

  test.skipIf(!haveSchema)(`when the app id and the bot id are not GUIDs (a {{MICROSOFT_APP_ID}} template)${skipped}, then the validator refuses both`, () => {
    const validate = manifestValidator();
    const templated = structuredClone(manifest);
    templated.id = '{{MICROSOFT_APP_ID}}';
    (templated.bots[0] as { botId: string }).botId = '{{MICROSOFT_APP_ID}}';

    expect(validate(templated)).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword]).sort()).toEqual([
      ['/bots/0/botId', 'pattern'],
      ['/id', 'pattern'],
    ]);
  });

  test.skipIf(!haveSchema)(`when a command list breaks the schema's limits (11 commands, a 33-character title)${skipped}, then the validator refuses it`, () => {
    const validate = manifestValidator();
    const crowded = structuredClone(manifest);
    const list = crowded.bots[0]?.commandLists?.[0] as { commands: Command[] };
    list.commands = Array.from({ length: 11 }, (_, i) => ({ title: i === 0 ? 'x'.repeat(33) : `command${i}`, description: 'd' }));

    expect(validate(crowded)).toBe(false);
    expect(validate.errors?.map((e) => [e.instancePath, e.keyword]).sort()).toEqual([
      ['/bots/0/commandLists/0/commands', 'maxItems'],
      ['/bots/0/commandLists/0/commands/0/title', 'maxLength'],
    ]);
  });

  test('when Teams reads $schema and manifestVersion, then they name the same schema version the test validates against', () => {
    expect(manifest.manifestVersion).toBe(schemaVersion);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${schemaVersion}/MicrosoftTeams.schema.json`);
  });
});

describe('manifest.json against the chat grammar', () => {
  const bot = manifest.bots[0];
  /**
   * Teams' menu holds 10 commands per list and the grammar has more: these are typed, not picked from the menu, as
   * a card's button or another command in the menu covers them (Approve / Reject / Accept / Decline, `request
   * ownership_transfer`). A chat command the grammar gains must join the menu or this list, by someone's decision.
   */
  const typedOnly = ['decide', 'transfer'];
  const chatCommands = commandsFor('chat').filter((spec) => !typedOnly.includes(spec.name));

  /** A command as the menu shows it: its usage without options, then its summary, clipped to the schema's 128. */
  function menuDescription(usage: string, summary: string): string {
    const text = `${usage.replace(/ \[--[^\]]*\]/g, '')} — ${summary}`;
    return text.length <= 128 ? text : `${text.slice(0, 127).replace(/\s+\S*$/, '')}…`;
  }

  test('when a user opens the bot’s command menu in a personal chat, a channel or a group chat, then it lists exactly the chat grammar’s commands, in its order', () => {
    for (const scope of ['personal', 'team', 'groupChat']) {
      const lists = (bot?.commandLists ?? []).filter((list) => list.scopes.includes(scope));
      expect(lists, `one command list for ${scope}`).toHaveLength(1);
      // A chat command added to (or removed from) src/commands/grammar.ts fails here until manifest.json follows.
      expect(lists[0]?.commands.map((c) => c.title)).toEqual(chatCommands.map((spec) => spec.name));
    }
    expect(typedOnly.every((name) => commandsFor('chat').some((spec) => spec.name === name))).toBe(true);
    expect(chatCommands.length).toBeLessThanOrEqual(10);
  });

  test('when a command is shown in the menu, then its description is its usage without options and its summary, as the grammar writes them', () => {
    const expected = chatCommands.map((spec) => ({ title: spec.name, description: menuDescription(spec.usage, spec.summary) }));
    for (const list of bot?.commandLists ?? []) expect(list.commands).toEqual(expected);
  });

  test('when a description would pass the schema’s 128 characters, then it is clipped at a word with an ellipsis', () => {
    const clipped = menuDescription('who <query> [--json]', 'word '.repeat(40).trim());
    expect(clipped.length).toBeLessThanOrEqual(128);
    expect(clipped).toMatch(/^who <query> — word( word)*…$/);
  });
});

describe('manifest.json as the packager and an admin meet it', () => {
  const bot = manifest.bots[0];

  test('when the bot is installed, then it talks in personal chats, channels and group chats, takes no files and is not notification-only', () => {
    expect(manifest.bots).toHaveLength(1);
    expect([...(bot?.scopes ?? [])].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.supportsFiles).toBe(false);
    expect(bot?.isNotificationOnly).toBe(false);
  });

  test('when the manifest is committed, then the app id, the bot id and the domain are the placeholders the packager fills in', () => {
    expect(manifest.id).toBe(placeholderAppId);
    expect(bot?.botId).toBe(placeholderAppId);
    expect(manifest.validDomains).toEqual([placeholderHost]);
    // No SSO or Graph calls: Steward's bot reads rosters through the Bot Framework, so no webApplicationInfo.
    expect(manifest.webApplicationInfo).toBeUndefined();
  });

  test('when Steward is released, then the app’s version is Steward’s (Teams takes an update by a higher version)', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(pkg.version);
  });

  test('when an admin reads who made the app, then it is Steward, its terms the Apache License 2.0 of the repository, its pages placeholders on the example host', () => {
    expect(manifest.developer.name).toBe('Steward');
    expect(readFileSync(path.join(projectRoot, 'LICENSE'), 'utf8')).toContain('Apache License');
    expect(manifest.developer.termsOfUseUrl).toBe('https://www.apache.org/licenses/LICENSE-2.0');
    expect([manifest.developer.websiteUrl, manifest.developer.privacyUrl].map((url) => new URL(url).hostname)).toEqual([placeholderHost, placeholderHost]);
  });
});

/** A PNG decoded: its header and 8-bit RGBA pixels. Checks the signature and every chunk's CRC; unfilters all five filters. */
function decodePng(bytes: Buffer): RgbaImage & { colourType: number; bitDepth: number; interlace: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  if (header === undefined) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [bitDepth, colourType, , , interlace] = [...header.subarray(8, 13)] as [number, number, number, number, number];
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (bitDepth !== 8 || channels === 0 || interlace !== 0) return { width, height, rgba: new Uint8Array(0), colourType, bitDepth, interlace };
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? (rows[y * stride + x - channels] as number) : 0;
      const b = y > 0 ? (rows[(y - 1) * stride + x] as number) : 0;
      const c = x >= channels && y > 0 ? (rows[(y - 1) * stride + x - channels] as number) : 0;
      const paeth = () => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const predicted = [0, a, b, (a + b) >> 1, paeth()][filter];
      if (predicted === undefined) throw new Error(`row ${y}: unknown filter ${filter}`);
      rows[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set(channels === 4 ? rows.subarray(i * 4, i * 4 + 4) : [...rows.subarray(i * 3, i * 3 + 3), 0xff], i * 4);
  return { width, height, rgba, colourType, bitDepth, interlace };
}

function pixels(image: RgbaImage): Array<[number, number, number, number]> {
  return Array.from({ length: image.width * image.height }, (_, i) => [...image.rgba.subarray(i * 4, i * 4 + 4)] as [number, number, number, number]);
}

describe('the icons Teams requires', () => {
  const color = decodePng(readFileSync(path.join(manifestDir, manifest.icons.color)));
  const outline = decodePng(readFileSync(path.join(manifestDir, manifest.icons.outline)));

  test('when Teams reads the colour icon, then it is a 192×192 8-bit PNG, opaque, in several colours, its corners the accent colour', () => {
    expect([color.width, color.height, color.bitDepth, color.interlace]).toEqual([192, 192, 8, 0]);
    const all = pixels(color);
    expect(all.every(([, , , a]) => a === 255)).toBe(true);
    expect(new Set(all.map((p) => p.join())).size).toBeGreaterThan(3);
    const accent = [1, 3, 5].map((i) => Number.parseInt(manifest.accentColor.slice(i, i + 2), 16));
    expect(manifest.accentColor).toBe(accentColor);
    for (const corner of [0, 191, 192 * 191, 192 * 192 - 1]) expect(all[corner]?.slice(0, 3)).toEqual(accent);
  });

  test('when Teams reads the outline icon, then it is a 32×32 8-bit PNG whose every pixel is white or fully transparent, and something is drawn', () => {
    expect([outline.width, outline.height, outline.bitDepth, outline.colourType, outline.interlace]).toEqual([32, 32, 8, 6, 0]);
    const all = pixels(outline);
    const offending = all.filter(([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255));
    expect(offending).toEqual([]);
    expect(all.filter(([, , , a]) => a === 255).length).toBeGreaterThan(50);
    expect(all.filter(([, , , a]) => a === 0).length).toBeGreaterThan(32 * 32 / 2);
  });

  test('when the icons are drawn again by draw-icons.ts, then the committed PNGs hold the same pixels', () => {
    expect(Buffer.from(color.rgba).equals(Buffer.from(drawColorIcon().rgba))).toBe(true);
    expect(Buffer.from(outline.rgba).equals(Buffer.from(drawOutlineIcon().rgba))).toBe(true);
  });
});
