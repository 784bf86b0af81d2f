import { defineConfig } from 'vitest/config';

export default defineConfig({
  // TypeScript in .cts files too (the CommonJS facades and run-time modules), which Vite leaves to its JS parser by default.
  oxc: { include: /\.(m|c)?tsx?$/ },
  test: {
    include: ['test/**/*.test.ts'],
    globals: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real-server tests bind loopback ports; files run in parallel, tests within a file in order.
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
