import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/** Builds the kiosk once per run, exactly as `npm run build:web` does, so the browser tests use the shipped files. */
export default async function setup (): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../web/kiosk/vite.config.ts', import.meta.url)), logLevel: 'warn' })
}
