import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared fixtures (real example data) live beside the project, in ../shared/fixtures. */
export const sharedFixturesDir = path.resolve(root, '../shared/fixtures');

/** False on a checkout without ../shared: tests that need the real fixtures say so and skip. */
export const sharedFixturesAvailable = fs.existsSync(sharedFixturesDir);

export function sharedFixture(...parts: string[]): string {
  return path.join(sharedFixturesDir, ...parts);
}

/** The project's own small test files, under test/fixtures. */
export function projectFixture(...parts: string[]): string {
  return path.join(root, 'test/fixtures', ...parts);
}

export const projectRoot = root;
