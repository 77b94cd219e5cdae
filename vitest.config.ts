import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    // One Azurite (Table, Queue, Blob) for the whole run; tests reach it with inject('azurite').
    globalSetup: ['test/support/globalSetup.ts'],
  },
});
