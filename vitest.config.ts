import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests spawn bin/steward.js, which runs dist/: built first when a source is newer.
    globalSetup: ['test/support/build-dist.ts'],
    // CLI tests spawn the real binary; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
