import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
    // builds the workspace once first: the session worker and the bins the tests start are then current
    globalSetup: ['./vitest.build.ts'],
    reporters: ['default', ['json', { outputFile: 'tmp/vitest-report.json' }]],
  },
});
