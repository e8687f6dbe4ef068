import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string }
  dependencies: Record<string, string>
}
const pinned = manifest.dependencies['node']!
const majorOf = (version: string): number => Number(/^v?(\d+)\./.exec(version)?.[1])

describe('the Node.js runtime', () => {
  it('is the release pinned in package.json, whatever Node the machine has', () => {
    // npm puts node_modules/.bin first on every script's PATH, so the pinned `node` package runs vitest and its workers.
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)
    expect(process.version).toBe(`v${pinned}`)
    expect(majorOf(process.version)).toBe(majorOf(pinned))
  })

  it('satisfies engines, and the README installs with the same release', () => {
    const minimum = /^>=(\d+)$/.exec(manifest.engines.node)?.[1]
    expect(minimum, `engines.node "${manifest.engines.node}" is not of the form >=N`).toBeDefined()
    expect(majorOf(pinned)).toBeGreaterThanOrEqual(Number(minimum))
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const named = new Set([...readme.matchAll(/\bnode@(\d+\.\d+\.\d+)/g)].map((match) => match[1]))
    expect([...named]).toEqual([pinned])
  })
})
