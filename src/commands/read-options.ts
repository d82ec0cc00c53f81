import { didYouMean } from './did-you-mean.js';

export interface OptionShape {
  readonly type: 'boolean' | 'string';
  /** What the value stands for in the help (`--team T`). */
  readonly value?: string;
  /** May be given several times (`--set a=1 --set b=2`). */
  readonly multiple?: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export type ReadOptions = { readonly ok: true; readonly values: OptionValues; readonly positionals: string[] } | { readonly ok: false; readonly message: string };

/** `--name`, or `--name=value` in one word. */
const longOption = /^--([^=]+)(?:=([\s\S]*))?$/;

/** Phones type `--` as a dash (`—json`, smart punctuation is on by default on iOS): an option all the same. */
const phoneDash = /^[\u2013\u2014](?=[a-z])/i;

/**
 * Splits the words after a command into its options and its other words, and says in Steward's words what is
 * wrong: an option the command does not take (with the nearest it does), a value missing or given to a switch,
 * an option given twice. A string option takes the next word as its value even when it starts with one dash
 * (`--at -3d`, `--reason -`), unless it starts with two (`--team --json` is a forgotten value). After `--`,
 * every word is a word. One dash and a digit is a word too (`-3d`): only `-h` is a short option, and the
 * grammar answers it before this. A dash a phone made of `--` (`—json`) counts as `--`.
 *
 * `elsewhere` names the options the command takes on other surfaces, so a refusal can say "not here".
 */
export function readOptions(command: string, words: readonly string[], options: Readonly<Record<string, OptionShape>>, elsewhere: readonly string[] = []): ReadOptions {
  const values: OptionValues = {};
  const positionals: string[] = [];
  const names = Object.keys(options);
  for (let i = 0; i < words.length; i += 1) {
    const word = (words[i] ?? '').replace(phoneDash, '--');
    if (word === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (word === '-' || /^-\d/.test(word) || !word.startsWith('-')) {
      positionals.push(word);
      continue;
    }
    const match = longOption.exec(word);
    const name = match?.[1] ?? word.replace(/^-+/, '');
    const option = match ? options[name] : undefined;
    if (option === undefined) return { ok: false, message: unknownOption(command, word, name, names, elsewhere) };
    let value: string | boolean | undefined = match?.[2];
    if (option.type === 'boolean') {
      if (value !== undefined) return { ok: false, message: `--${name} takes no value` };
      value = true;
    } else if (value === undefined) {
      const next = words[i + 1];
      if (next === undefined || next.startsWith('--')) return { ok: false, message: `--${name} needs a value, e.g. --${name} ${option.value ?? 'VALUE'}` };
      value = next;
      i += 1;
    }
    const before = values[name];
    if (option.multiple === true) values[name] = [...(Array.isArray(before) ? before : []), String(value)];
    else if (before !== undefined) return { ok: false, message: `--${name} is given twice` };
    else values[name] = value;
  }
  return { ok: true, values, positionals };
}

function unknownOption(command: string, typed: string, name: string, names: readonly string[], elsewhere: readonly string[]): string {
  const here = elsewhere.includes(name) ? ' here' : '';
  if (names.length === 0) return here === '' ? `${command} takes no options` : `\`${typed}\` is not an option of ${command} here; it takes none`;
  const nearest = here === '' ? didYouMean(name, names, (n) => `--${n}`) : '';
  return `\`${typed}\` is not an option of ${command}${here}${nearest || `; its options: ${names.map((n) => `--${n}`).join(', ')}`}`;
}
