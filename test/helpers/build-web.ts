import { buildWebApps } from '../../web/build.js'

/** Builds the browser apps once per run, exactly as `npm run build:web` does, so the browser tests use the shipped files. */
export default async function setup (): Promise<void> {
  await buildWebApps()
}
