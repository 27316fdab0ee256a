import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30000,
    pool: 'forks',
    // fails at once when dist/ is older than the source (many suites run the built CLI)
    globalSetup: ['tests/setup/dist-fresh.ts'],
  },
});
