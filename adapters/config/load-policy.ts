import { isNode, LineCounter, parseDocument } from 'yaml';
import { InputError } from '../../src/errors.js';
import { isWellFormedText, loneSurrogateMessage } from '../../src/inventory/well-formed-text.js';
import { defaultPolicy, parsePolicy, type Policy } from '../../src/policy/policy.js';
import { describeRefusal, readChecked } from '../sources/source-files.js';
import { yamlValue } from '../sources/yaml-value.js';
import { refuseSecretPath } from './secret-path.js';

/** A policy is a page of settings; a megabyte leaves room for long comments, and stops a device or a runaway file. */
export const maxPolicyFileBytes = 1 << 20;

/** The path of the first key or value that holds a lone surrogate, or null. */
function illFormedPath(value: unknown, path: Array<string | number>): Array<string | number> | null {
  if (typeof value === 'string') return isWellFormedText(value) ? null : path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = illFormedPath(item, [...path, i]);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = isWellFormedText(key) ? illFormedPath(item, [...path, key]) : [...path, key];
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * Reads the policy file (YAML, or JSON, which is YAML too). No file means the defaults. A bad file is refused
 * naming the file, the line and the field, so the process stops before it acts on a policy it misread.
 */
export function loadPolicy(file: string | undefined): Policy {
  if (file === undefined) return defaultPolicy;
  refuseSecretPath(file, 'the policy file path (--policy or STEWARD_POLICY)');
  // Read as the importers read a file named on the command line: a regular file or a pipe, never a device.
  const bytes = readChecked(file, { pipes: true, maxBytes: maxPolicyFileBytes });
  if (!bytes.ok) {
    const cause = bytes.refusal.code === 'unreadable' ? bytes.refusal.cause : undefined;
    throw new InputError(`${file}: cannot read the policy file (${describeRefusal(bytes.refusal)})`, [], cause === undefined ? undefined : { cause });
  }
  const text = bytes.value.toString('utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      at: { file, line: e.linePos?.[0].line ?? 1 },
      field: null,
      message: e.code === 'MULTIPLE_DOCS' ? 'YAML: holds more than one document; a policy file is one' : `YAML: ${e.message.split('\n')[0]}`,
    }));
    throw new InputError(`${file}: the policy file is not valid YAML`, problems);
  }
  const read = yamlValue(doc);
  if (!read.ok) {
    const line = read.offset === null ? 1 : lineCounter.linePos(read.offset).line;
    throw new InputError(`${file}: the policy file is not valid YAML`, [{ at: { file, line }, field: null, message: `YAML: ${read.message}` }]);
  }
  // A setting is shown in messages and stored with them: it must be text SQLite keeps as written.
  const broken = illFormedPath(read.value, []);
  if (broken !== null) {
    const node: unknown = doc.getIn(broken, true);
    const line = isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : 1;
    throw new InputError(`${file}: the policy file has 1 problem`, [{ at: { file, line }, field: broken.join('.'), message: loneSurrogateMessage }]);
  }
  const result = parsePolicy(read.value);
  if (result.ok) return result.policy;
  const problems = result.problems.map((p) => {
    // The deepest node that exists: an unknown key's parent, or the field itself.
    let line = 1;
    for (let depth = p.path.length; depth > 0; depth -= 1) {
      const node: unknown = doc.getIn(p.path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        line = lineCounter.linePos(node.range[0]).line;
        break;
      }
    }
    // The whole file is of the wrong shape (a list, a string): there is no field to name.
    if (p.path.length === 0) return { at: { file, line }, field: null, message: 'must be a mapping of policy settings (e.g. `gate:`)' };
    return { at: { file, line }, field: p.path.join('.'), message: p.message };
  });
  throw new InputError(`${file}: the policy file has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems);
}
