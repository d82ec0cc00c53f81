import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './fixtures.js';

/** A line of a README shell block: the command, and the comment after it (which may say its exit code). */
export interface ReadmeLine {
  readonly command: string;
  readonly comment: string;
}

/** The shell block under a README heading, one command a line, each with its comment. */
export function readmeBlockLines(heading: string): ReadmeLine[] {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`the README has no heading ${heading}`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => {
      const hash = line.search(/\s+#/);
      return hash < 0 ? { command: line.trim(), comment: '' } : { command: line.slice(0, hash).trim(), comment: line.slice(hash).replace(/^\s+#\s*/, '') };
    })
    .filter((line) => line.command !== '');
}

/** The shell block under a README heading, one command a line, without the comments. */
export function readmeBlock(heading: string): string[] {
  return readmeBlockLines(heading).map((line) => line.command);
}
