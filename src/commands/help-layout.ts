/** The help fits a 100-column terminal, and a chat platform's code block (Slack's) without side-scrolling. */
export const helpWidth = 100;

/** `text` broken at spaces into lines of at most `width` characters (a longer word keeps a line of its own). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `text` wrapped to `width`, its first line after `first` and the rest indented by `hang` spaces. */
export function hanging(first: string, text: string, hang: number, width = helpWidth): string[] {
  const [head = '', ...tail] = wrapText(text, width - Math.max(first.length, hang));
  const rest = wrapText(tail.join(' '), width - hang);
  return [`${first}${head}`, ...rest.map((line) => `${' '.repeat(hang)}${line}`)];
}

/**
 * Rows of a term (a usage, an option) and its description, in two columns: the description column starts after
 * the widest term up to `maxTerm` characters and is wrapped within `width`; a wider term has a line (or more)
 * of its own, and its description starts on the next line, in the column.
 */
export function twoColumns(rows: ReadonlyArray<readonly [string, string]>, options: { readonly indent: number; readonly maxTerm: number; readonly width?: number }): string[] {
  const width = options.width ?? helpWidth;
  const indent = ' '.repeat(options.indent);
  const termWidth = Math.max(0, ...rows.map(([term]) => term.length).filter((length) => length <= options.maxTerm));
  const column = options.indent + termWidth + 2;
  const lines: string[] = [];
  for (const [term, description] of rows) {
    const described = wrapText(description, width - column).map((line) => `${' '.repeat(column)}${line}`);
    if (term.length <= termWidth) {
      const [first = '', ...rest] = described;
      lines.push(`${indent}${term.padEnd(termWidth)}  ${first.trimStart()}`.trimEnd(), ...rest);
    } else lines.push(...hanging(indent, term, options.indent + 4, width), ...described);
  }
  return lines;
}
