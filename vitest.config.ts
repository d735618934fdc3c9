import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The fault-matrix suite spawns and kills processes: `npm run test:reliability`, run by .ci/run.
    exclude: ['test/reliability/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    // At least two test processes, also on a two-core machine (vitest's default would leave one).
    maxWorkers: Math.max(2, availableParallelism()),
    // Each process loads lacuna's modules once for all its files rather than once per file, which
    // was two thirds of the suite's time. Tests share no state through them: no module is mocked,
    // no global or environment variable is changed, and the suite passes in shuffled order
    // (`npx vitest run --sequence.shuffle`).
    isolate: false,
  },
});
