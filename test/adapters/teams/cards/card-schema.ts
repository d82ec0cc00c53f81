import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';

/**
 * The official Adaptive Cards 1.5.0 schema (microsoft/AdaptiveCards, schemas/1.5.0/adaptive-card.json), kept beside
 * the repository in ../shared/schemas as the issue names it. A checkout without it skips the schema tests, saying so.
 */
export const schemaPath = fileURLToPath(new URL('../../../../../shared/schemas/adaptive-card.schema.1.5.0.json', import.meta.url));
export const haveSchema = existsSync(schemaPath);

/**
 * Ajv in strict mode with the draft-06 meta-schema the file declares, so `enum`, `const`, `required` and
 * `additionalProperties: false` are all enforced. What the file needs besides, said rather than switched off:
 * draft-06 names a schema's id `$id` (the file writes draft-04's `id`: renamed in a copy); `version`, `features`
 * and `example` are the file's annotations; `uri` and `uri-reference` are checked with URL. Only the
 * schema-authoring lints `strictTypes` and `strictRequired` are off: the upstream file lists `required` names beside
 * `allOf` branches that define them, which changes nothing about what validates.
 */
export function cardValidator(): (card: unknown) => ErrorObject[] {
  const require = createRequire(import.meta.url);
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  for (const keyword of ['version', 'features', 'example']) ajv.addKeyword({ keyword });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'https://base.example/'));
  const { id, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as { id: string } & Record<string, unknown>;
  const validate = ajv.compile({ $id: id, ...schema });
  return (card) => (validate(card) ? [] : [...(validate.errors ?? [])]);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every object in a card, depth first: its elements, inputs, actions and the targets of its toggles. */
export function objectsIn(value: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      found.push(v as Record<string, unknown>);
      Object.values(v as Record<string, Json>).forEach(walk);
    }
  };
  walk(value);
  return found;
}

export interface ExecuteButton {
  readonly title: string;
  readonly verb: string;
  readonly value: string;
  readonly associatedInputs?: string;
}

export function executeButtons(card: unknown): ExecuteButton[] {
  return objectsIn(card)
    .filter((o) => o.type === 'Action.Execute')
    .map((o) => ({ title: String(o.title), verb: String(o.verb), value: String((o.data as { value: unknown }).value), ...(o.associatedInputs === undefined ? {} : { associatedInputs: String(o.associatedInputs) }) }));
}

export function inputsIn(card: unknown): Record<string, unknown>[] {
  return objectsIn(card).filter((o) => typeof o.type === 'string' && o.type.startsWith('Input.'));
}

/** The text a person reads on a card: every TextBlock, and both sides of every fact. */
export function textsIn(card: unknown): string[] {
  return objectsIn(card).flatMap((o) => (o.type === 'TextBlock' ? [String(o.text)] : 'title' in o && 'value' in o && typeof o.value === 'string' && !('type' in o) ? [String(o.title), o.value] : []));
}

/**
 * A card as the Adaptive Cards 1.5 schema sees it, and what Teams' own `msteams` extension holds (outside that
 * schema: mentions, learn.microsoft.com "Mention support within Adaptive Cards"). The card without it must validate;
 * each mention must be a `mention` entity whose text is written, exactly, in one of the card's TextBlocks.
 */
export function splitTeamsExtension(card: unknown): { readonly card: unknown; readonly mentionProblems: string[]; readonly mentions: Array<{ text: string; mentioned: { id: string; name: string } }> } {
  const { msteams, ...rest } = card as { msteams?: unknown } & Record<string, unknown>;
  if (msteams === undefined) return { card: rest, mentionProblems: [], mentions: [] };
  const problems: string[] = [];
  const keys = Object.keys(msteams as object);
  if (keys.join() !== 'entities') problems.push(`msteams holds ${keys.join(', ')}`);
  const entities = ((msteams as { entities?: unknown }).entities ?? []) as Array<{ type?: unknown; text?: unknown; mentioned?: { id?: unknown; name?: unknown } }>;
  const texts = objectsIn(rest).filter((o) => o.type === 'TextBlock').map((o) => String(o.text));
  for (const e of entities) {
    if (e.type !== 'mention') problems.push(`an entity of type ${String(e.type)}`);
    if (typeof e.text !== 'string' || !/^<at>[^<>]+<\/at>$/.test(e.text)) problems.push(`an entity's text ${String(e.text)}`);
    else if (!texts.some((t) => t.includes(e.text as string))) problems.push(`${e.text} is on no TextBlock`);
    if (typeof e.mentioned?.id !== 'string' || e.mentioned.id === '' || typeof e.mentioned.name !== 'string') problems.push('an entity names nobody');
  }
  if (new Set(entities.map((e) => e.text)).size !== entities.length) problems.push('two entities share a text');
  return { card: rest, mentionProblems: problems, mentions: entities as Array<{ text: string; mentioned: { id: string; name: string } }> };
}
