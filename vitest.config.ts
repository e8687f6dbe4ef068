import { defineConfig } from 'vitest/config'

// Timeouts are a safety net against a hung test, not a speed target (speed lives in npm run bench:*): they
// leave room for a busy two-core machine, where a command's tsx start and migration alone can take 40 s.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // The same files run on PGlite (DATABASE_URL unset) and on PostgreSQL (DATABASE_URL set).
          name: 'db',
          include: ['test/db/**/*.test.ts', 'test/api/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The browser apps in headless Chromium against the real app, on the same engines as 'db'.
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts', 'test/helpers/build-web.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
