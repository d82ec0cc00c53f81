import { describe, expect, it } from 'vitest';
import { formatLocation, formatProblem } from '../../../src/inventory/source-location.js';

describe('formatLocation', () => {
  it.each([
    [{ file: 'apis.csv', line: 12 }, 'apis.csv:12'],
    [{ file: 'all.yaml', document: 3 }, 'all.yaml (document 3)'],
    [{ file: 'all.yaml', line: 40, document: 3 }, 'all.yaml:40'],
    [{ file: 'keys.json' }, 'keys.json'],
  ])('when the location is %j, then it reads %s', (at, text) => {
    expect(formatLocation(at)).toBe(text);
  });
});

describe('formatProblem', () => {
  it('when the problem names a field, then it reads file:line: field: message', () => {
    expect(formatProblem({ at: { file: 'apis.csv', line: 12 }, field: 'data_sensitivity', message: 'must be one of …' })).toBe('apis.csv:12: data_sensitivity: must be one of …');
  });

  it('when the problem names no field, then it reads file:line: message', () => {
    expect(formatProblem({ at: { file: 'apis.csv', line: 3 }, field: null, message: 'has 3 fields, the header has 4' })).toBe('apis.csv:3: has 3 fields, the header has 4');
  });
});
