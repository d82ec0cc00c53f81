/**
 * Checks rendered Block Kit against Slack's documented limits, walking every block, element and text object.
 * It knows the block and element types Steward renders and refuses any other, so a new kind of block cannot
 * slip past unchecked. Written from Slack's reference pages (docs.slack.dev/reference/block-kit), not from
 * `adapters/slack/blocks/limits.ts`, so a wrong limit there is caught here.
 */

export type Surface = 'message' | 'home' | 'modal';

const maxBlocks: Record<Surface, number> = { message: 50, home: 100, modal: 100 };

type Json = Record<string, unknown>;

class Violation extends Error {}

function fail(path: string, problem: string): never {
  throw new Violation(`${path}: ${problem}`);
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, path: string): Json {
  if (!isObject(value)) fail(path, 'is not an object');
  return value;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'is not an array');
  return value;
}

function onlyKeys(value: Json, path: string, allowed: readonly string[]): void {
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) fail(`${path}.${extra}`, 'is not a field of this object');
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function string(value: unknown, path: string, max: number, min = 1): string {
  if (typeof value !== 'string') fail(path, 'is not a string');
  if (value.length > max) fail(path, `${value.length} characters > ${max}`);
  if (value.length < min) fail(path, `${value.length} characters < ${min}`);
  if (loneSurrogate.test(value)) fail(path, 'splits a surrogate pair');
  return value;
}

/** Mrkdwn must escape `&`, `<` and `>` except in the link and user mention syntax Steward writes (`<https://…>`, `<@U…>`). */
function mrkdwnEscaping(text: string, path: string): void {
  const outsideLinks = text.replace(/<https?:\/\/[^\s<>|]+>/g, '').replace(/<@[UW][A-Z0-9]+>/g, '');
  if (/[<>]/.test(outsideLinks)) fail(path, `has an unescaped < or > in ${JSON.stringify(text.slice(0, 80))}`);
  const ampersand = /&(?!amp;|lt;|gt;)/.exec(text);
  if (ampersand) fail(path, `has an unescaped & or half an entity near ${JSON.stringify(text.slice(Math.max(0, ampersand.index - 20), ampersand.index + 20))}`);
}

function textObject(value: unknown, path: string, max: number, only: 'plain_text' | 'any' = 'any'): void {
  const text = object(value, path);
  if (text.type === 'plain_text') {
    onlyKeys(text, path, ['type', 'text', 'emoji']);
  } else if (text.type === 'mrkdwn' && only === 'any') {
    onlyKeys(text, path, ['type', 'text', 'verbatim']);
    mrkdwnEscaping(string(text.text, `${path}.text`, max), `${path}.text`);
  } else fail(`${path}.type`, `${String(text.type)} is not allowed here (${only === 'plain_text' ? 'plain_text only' : 'plain_text or mrkdwn'})`);
  string(text.text, `${path}.text`, max);
}

function optionalString(value: Json, key: string, path: string, max: number): void {
  if (value[key] !== undefined) string(value[key], `${path}.${key}`, max);
}

function confirm(value: unknown, path: string): void {
  const dialog = object(value, path);
  onlyKeys(dialog, path, ['title', 'text', 'confirm', 'deny', 'style']);
  textObject(dialog.title, `${path}.title`, 100, 'plain_text');
  textObject(dialog.text, `${path}.text`, 300);
  textObject(dialog.confirm, `${path}.confirm`, 30, 'plain_text');
  textObject(dialog.deny, `${path}.deny`, 30, 'plain_text');
  if (dialog.style !== undefined && dialog.style !== 'primary' && dialog.style !== 'danger') fail(`${path}.style`, 'is neither primary nor danger');
}

function element(value: unknown, path: string, actionIds: Set<string>): void {
  const el = object(value, path);
  if (el.action_id !== undefined) {
    const id = string(el.action_id, `${path}.action_id`, 255);
    if (actionIds.has(id)) fail(`${path}.action_id`, `${id} is used twice in one block`);
    actionIds.add(id);
  }
  const placeholder = () => el.placeholder !== undefined && textObject(el.placeholder, `${path}.placeholder`, 150, 'plain_text');
  switch (el.type) {
    case 'button':
      onlyKeys(el, path, ['type', 'text', 'action_id', 'value', 'url', 'style', 'confirm', 'accessibility_label']);
      textObject(el.text, `${path}.text`, 75, 'plain_text');
      optionalString(el, 'value', path, 2000);
      optionalString(el, 'url', path, 3000);
      optionalString(el, 'accessibility_label', path, 75);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') fail(`${path}.style`, 'is neither primary nor danger');
      if (el.confirm !== undefined) confirm(el.confirm, `${path}.confirm`);
      return;
    case 'plain_text_input': {
      onlyKeys(el, path, ['type', 'action_id', 'initial_value', 'multiline', 'min_length', 'max_length', 'placeholder', 'focus_on_load', 'dispatch_action_config']);
      const maxLength = el.max_length === undefined ? 3000 : Number(el.max_length);
      if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 3000) fail(`${path}.max_length`, `${String(el.max_length)} is not 1 to 3000`);
      if (el.min_length !== undefined && !(Number.isInteger(el.min_length) && (el.min_length as number) >= 0 && (el.min_length as number) <= 3000)) fail(`${path}.min_length`, 'is not 0 to 3000');
      optionalString(el, 'initial_value', path, maxLength);
      placeholder();
      return;
    }
    case 'email_text_input':
      onlyKeys(el, path, ['type', 'action_id', 'initial_value', 'placeholder', 'focus_on_load', 'dispatch_action_config']);
      placeholder();
      return;
    case 'number_input': {
      onlyKeys(el, path, ['type', 'action_id', 'is_decimal_allowed', 'initial_value', 'min_value', 'max_value', 'placeholder', 'focus_on_load', 'dispatch_action_config']);
      if (typeof el.is_decimal_allowed !== 'boolean') fail(`${path}.is_decimal_allowed`, 'is required');
      const bound = (key: string) => (el[key] === undefined ? undefined : Number(string(el[key], `${path}.${key}`, 50)));
      const [min, max] = [bound('min_value'), bound('max_value')];
      if (min !== undefined && max !== undefined && !(min <= max)) fail(path, `min_value ${min} is greater than max_value ${max}`);
      placeholder();
      return;
    }
    default:
      fail(`${path}.type`, `${String(el.type)} is not an element this checker knows`);
  }
}

function block(value: unknown, path: string, surface: Surface, blockIds: Set<string>): void {
  const b = object(value, path);
  if (b.block_id !== undefined) {
    const id = string(b.block_id, `${path}.block_id`, 255);
    if (blockIds.has(id)) fail(`${path}.block_id`, `${id} is used twice`);
    blockIds.add(id);
  }
  const actionIds = new Set<string>();
  switch (b.type) {
    case 'header':
      onlyKeys(b, path, ['type', 'text', 'block_id']);
      textObject(b.text, `${path}.text`, 150, 'plain_text');
      return;
    case 'divider':
      onlyKeys(b, path, ['type', 'block_id']);
      return;
    case 'section': {
      onlyKeys(b, path, ['type', 'text', 'fields', 'accessory', 'block_id', 'expand']);
      if (b.text === undefined && b.fields === undefined) fail(path, 'has neither text nor fields');
      if (b.text !== undefined) textObject(b.text, `${path}.text`, 3000);
      if (b.fields !== undefined) {
        const fields = array(b.fields, `${path}.fields`);
        if (fields.length > 10) fail(`${path}.fields`, `${fields.length} fields > 10`);
        fields.forEach((field, i) => textObject(field, `${path}.fields[${i}]`, 2000));
      }
      if (b.accessory !== undefined) element(b.accessory, `${path}.accessory`, actionIds);
      return;
    }
    case 'actions': {
      onlyKeys(b, path, ['type', 'elements', 'block_id']);
      const elements = array(b.elements, `${path}.elements`);
      if (elements.length === 0 || elements.length > 25) fail(`${path}.elements`, `${elements.length} elements, not 1 to 25`);
      elements.forEach((el, i) => element(el, `${path}.elements[${i}]`, actionIds));
      return;
    }
    case 'context': {
      onlyKeys(b, path, ['type', 'elements', 'block_id']);
      const elements = array(b.elements, `${path}.elements`);
      if (elements.length === 0 || elements.length > 10) fail(`${path}.elements`, `${elements.length} elements, not 1 to 10`);
      elements.forEach((el, i) => textObject(el, `${path}.elements[${i}]`, 3000));
      return;
    }
    case 'input':
      if (surface === 'message') fail(`${path}.type`, 'an input block has no place in a message');
      onlyKeys(b, path, ['type', 'label', 'element', 'block_id', 'hint', 'optional', 'dispatch_action']);
      textObject(b.label, `${path}.label`, 2000, 'plain_text');
      if (b.hint !== undefined) textObject(b.hint, `${path}.hint`, 2000, 'plain_text');
      element(b.element, `${path}.element`, actionIds);
      return;
    default:
      fail(`${path}.type`, `${String(b.type)} is not a block this checker knows`);
  }
}

/** The first limit `blocks` break, with its path (`blocks[3].elements[1].text.text: 80 characters > 75`), or null. */
export function findBlockKitViolation(blocks: readonly unknown[], surface: Surface = 'message'): string | null {
  try {
    if (blocks.length > maxBlocks[surface]) fail('blocks', `${blocks.length} blocks > ${maxBlocks[surface]} (${surface})`);
    const blockIds = new Set<string>();
    blocks.forEach((b, i) => block(b, `blocks[${i}]`, surface, blockIds));
    return null;
  } catch (error) {
    if (error instanceof Violation) return error.message;
    throw error;
  }
}

/** The first limit a view breaks (its own fields, then its blocks), or null. */
export function findViewViolation(view: unknown): string | null {
  try {
    const v = object(view, 'view');
    if (v.type === 'modal') {
      onlyKeys(v, 'view', ['type', 'title', 'blocks', 'close', 'submit', 'private_metadata', 'callback_id', 'clear_on_close', 'notify_on_close', 'external_id']);
      textObject(v.title, 'view.title', 24, 'plain_text');
      if (v.close !== undefined) textObject(v.close, 'view.close', 24, 'plain_text');
      if (v.submit !== undefined) textObject(v.submit, 'view.submit', 24, 'plain_text');
      const blocks = array(v.blocks, 'view.blocks');
      if (blocks.some((b) => isObject(b) && b.type === 'input') && v.submit === undefined) fail('view.submit', 'is required when the view has inputs');
    } else if (v.type === 'home') {
      onlyKeys(v, 'view', ['type', 'blocks', 'private_metadata', 'callback_id', 'external_id']);
    } else fail('view.type', `${String(v.type)} is not modal or home`);
    optionalString(v, 'private_metadata', 'view', 3000);
    optionalString(v, 'callback_id', 'view', 255);
    return findBlockKitViolation(array(v.blocks, 'view.blocks'), v.type === 'home' ? 'home' : 'modal');
  } catch (error) {
    if (error instanceof Violation) return error.message;
    throw error;
  }
}

/** Fails with the path of the first violated limit. */
export function checkBlockKitLimits(blocks: readonly unknown[], surface: Surface = 'message'): void {
  const violation = findBlockKitViolation(blocks, surface);
  if (violation !== null) throw new Error(`Block Kit limit broken: ${violation}`);
}

/** Fails with the path of the first violated limit of a modal or Home view. */
export function checkViewLimits(view: unknown): void {
  const violation = findViewViolation(view);
  if (violation !== null) throw new Error(`Block Kit limit broken: ${violation}`);
}

/** Every button action id in the blocks, in order. */
export function buttonActionIds(blocks: readonly unknown[]): string[] {
  const ids: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      if (value.type === 'button' && typeof value.action_id === 'string') ids.push(value.action_id);
      Object.values(value).forEach(walk);
    }
  };
  walk(blocks);
  return ids;
}

/** Every button in the blocks: where it is, its action id and value. */
export function buttons(blocks: readonly unknown[]): Array<{ actionId: string; value: string | undefined; label: string; style: string | undefined }> {
  const found: Array<{ actionId: string; value: string | undefined; label: string; style: string | undefined }> = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isObject(value)) {
      if (value.type === 'button') {
        const text = value.text as { text: string };
        found.push({ actionId: String(value.action_id), value: value.value as string | undefined, label: text.text, style: value.style as string | undefined });
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}
