import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/** Every browser app that has a web/<app>/vite.config.ts, in a fixed order. */
export const APPS = ['kiosk', 'console', 'results'] as const

export function viteConfigOf (app: string): string {
  return fileURLToPath(new URL(`./${app}/vite.config.ts`, import.meta.url))
}

/** Builds each app into dist/<app>/ exactly as `npm run build:web` does; each config prints its JavaScript weight. */
export async function buildWebApps (): Promise<void> {
  for (const app of APPS) {
    if (existsSync(viteConfigOf(app))) await build({ configFile: viteConfigOf(app), logLevel: 'warn' })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWebApps()
