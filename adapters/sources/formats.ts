import type { SourceFormat } from './source-format.js';

/** Every import format, by the name `steward import <format>` takes. */
export const sourceFormats: ReadonlyMap<string, SourceFormat> = new Map(
  ([] as SourceFormat[]).map((format) => [format.name, format]),
);
