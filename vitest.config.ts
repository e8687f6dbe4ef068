import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          // The same files run on PGlite (DATABASE_URL unset) and on PostgreSQL (DATABASE_URL set).
          name: 'db',
          include: ['test/db/**/*.test.ts', 'test/api/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // The browser apps in headless Chromium against the real app, on the same engines as 'db'.
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts', 'test/helpers/build-web.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
