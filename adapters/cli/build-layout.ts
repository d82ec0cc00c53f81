import { fileURLToPath } from 'node:url';

/*
 * Where this code runs from: the TypeScript sources (the tests under vitest, the bench under tsx) or the JavaScript
 * that `npm run build` compiles to dist/ (bin/steward.js). Paths to files beside the code differ between the two.
 */

/** True when running the `.ts` sources themselves, false when running the build in dist/. */
export const fromSources = import.meta.url.endsWith('.ts');

/** Steward's folder: two above `adapters/cli/` in the sources, three above `dist/adapters/cli/` once built. */
export const projectRoot = fileURLToPath(new URL(fromSources ? '../../' : '../../../', import.meta.url));
