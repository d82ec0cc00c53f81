import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from './support/fixtures.js';

describe('the licence', () => {
  test('when package.json names a licence, then LICENSE at the root holds that licence’s text', () => {
    const { license } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { license: string };
    const text = fs.readFileSync(path.join(projectRoot, 'LICENSE'), 'utf8');

    expect(license).toBe('Apache-2.0');
    expect(text.trimStart()).toMatch(/^Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\/\s+TERMS AND CONDITIONS/);
    expect(text).toContain('END OF TERMS AND CONDITIONS');
  });
});
