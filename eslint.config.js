// The dependency rule of DESIGN.md, enforced: arrows point inward (adapters -> src <- storage).
// `npm test` runs this lint, so a breach fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const chatAndStorageLibraries = [
  { group: ['**/adapters/**', '**/storage/**'], message: 'src/ is the core: it must not import adapters or storage (DESIGN.md, dependency rule).' },
  { group: ['@slack/*', 'botbuilder', 'botbuilder-*', 'botframework-*'], message: 'No chat SDK in the core: render in an adapter.' },
  { group: ['better-sqlite3', 'node-cron', 'pino'], message: 'No storage, scheduler or logger library in the core: take a port.' },
];

const noAmbientState = [
  { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'No process.env in the core: config is parsed at the edge and passed in.' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No Date.now() in the core: time comes from a Clock.' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No new Date() in the core: time comes from a Clock.' },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'No Math.random() in the core: ids are passed in.' },
];

const rawSqlInTests =
  'No raw SQL outside test/storage: use the store port, or a helper in test/storage/support/ (loop-state, dump-tables, sqlite-faults, …) that takes the store.';

const noStorage = { group: ['**/storage/**'], message: 'Only the composition root (adapters/cli/) may import storage/.' };

/**
 * The platforms' adapter folders (the decision webhook among them), and the other adapter folders, which import none of them: the shared chat
 * folder, the generic ones, the scheduler and the importers. The composition root, adapters/cli/, imports all.
 */
const chatPlatforms = ['slack', 'teams', 'console', 'webhook'];
const platformFreeFolders = ['chat', 'commands', 'text', 'logging', 'config', 'http', 'scheduler', 'sources', 'evidence', 'charts'];

/** Imports of these platforms' folders, as a sibling adapter folder writes them (`../slack/…`, `../../slack/…`). */
function platformFiles(platforms) {
  return {
    regex: `^(?:\\.\\./)+(?:adapters/)?(?:${platforms.join('|')})(?:/|$)`,
    message: `No adapter imports another chat platform's files (${platforms.join(', ')}): share through adapters/chat/ or a generic folder; only adapters/cli/ wires platforms together.`,
  };
}

export default tseslint.config(
  // dist/ is what `npm run build` compiles from the sources linted here (dist.*/: a build in progress).
  { ignores: ['node_modules/**', 'data/**', 'bench/out/**', 'coverage/**', 'dist/**', 'dist.*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', performance: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: chatAndStorageLibraries }],
      'no-restricted-syntax': ['error', ...noAmbientState],
    },
  },
  {
    files: ['storage/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/adapters/**'], message: 'storage/ implements the core store port; it must not import adapters.' }] }],
    },
  },
  // Only the composition root (adapters/cli/) wires storage to the core; other adapters take ports.
  {
    files: ['adapters/**/*.ts'],
    ignores: ['adapters/cli/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noStorage] }] },
  },
  // A chat platform plugs in beside the others, never into them: what two platforms share lives in adapters/chat/
  // or a generic folder. (A later block replaces the rule's options for its files: each repeats noStorage.)
  ...chatPlatforms.map((platform) => ({
    files: [`adapters/${platform}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [noStorage, platformFiles(chatPlatforms.filter((other) => other !== platform))] }] },
  })),
  {
    files: platformFreeFolders.map((folder) => `adapters/${folder}/**/*.ts`),
    rules: { 'no-restricted-imports': ['error', { patterns: [noStorage, platformFiles(chatPlatforms)] }] },
  },
  // Tests outside test/storage go through the store port, so any store implementation can run them; what must look
  // at or fault SQLite itself (rows, table dumps, a held lock, a failing trigger) is a helper in test/storage/support/.
  {
    files: ['test/**/*.ts'],
    ignores: ['test/storage/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['better-sqlite3', 'better-sqlite3/*'], message: rawSqlInTests }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[computed=false][property.name='db'], MemberExpression[computed=true][property.value='db']", message: rawSqlInTests },
        { selector: "ImportExpression[source.value='better-sqlite3']", message: rawSqlInTests },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
