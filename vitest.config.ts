import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The fault-matrix suite spawns and kills processes: `npm run test:reliability`, run by .ci/run.
    exclude: ['test/reliability/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
