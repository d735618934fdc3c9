import { defineConfig } from 'vitest/config';

// The fault-matrix suite (test/reliability): child processes killed mid-write, two processes on
// one database. Run by .ci/run after `npm test`, which it keeps out of for speed.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    fileParallelism: false,
  },
});
