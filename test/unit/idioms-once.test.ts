import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'dist', 'data'].includes(entry.name)) return []
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : []
  })
}

const files = ['api', 'analysis', 'survey-definitions', 'web'].flatMap((folder) => sources(join(root, folder)))

/** The files whose text matches `pattern`, repository-relative. */
function filesWith (pattern: RegExp): string[] {
  return files.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file)).sort()
}

/** Small idioms that were copied by hand into several files, each now defined in one place. */
describe('idioms defined once', () => {
  it('the error answers of a route: errorReplies in api/schemas/common.ts', () => {
    expect(filesWith(/statuses\.map\(\(status\) => \[status, ErrorReplySchema\]\)|\]\.map\(\(status\) => \[status, ErrorReplySchema\]\)/))
      .toEqual(['api/schemas/common.ts'])
  })

  it('the UUID pattern: UUID_PATTERN in api/schemas/common.ts', () => {
    expect(filesWith(/\[0-9a-f\]\{8\}-\[0-9a-f\]\{4\}-/)).toEqual(['api/schemas/common.ts'])
  })

  it('transactions: opened by services (and commands), never by a query module, which takes the caller\'s', () => {
    expect(filesWith(/\.transaction\(\)/).filter((file) => file.startsWith('api/db/queries/'))).toEqual([])
  })

  it('the equations an attacker writes from the tables\' relations: relationEquations in the disclosure control\'s lattice', () => {
    expect(filesWith(/for \(const \[cell, \w+\] of termsOf\(relation\)\)/)).toEqual(['analysis/disclosure-control/lattice.ts'])
  })

  it('the calendar-date check: isCalendarDate in survey-definitions/calendar-date.ts', () => {
    expect(filesWith(/toISOString\(\)\.slice\(0, 10\) (===|!==) date/)).toEqual(['survey-definitions/calendar-date.ts'])
  })
})

/** Comments and docs cite what a reader of the repository can open: ARCHITECTURE.md and the README. */
describe('citations inside the repository', () => {
  const texts = [...files, ...sources(join(root, 'test')), join(root, 'README.md'), join(root, 'ARCHITECTURE.md'), join(root, '.ci', 'run')]
  const citing = (pattern: RegExp): string[] => texts.filter((file) => pattern.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file)).sort()

  it('no design document from outside the repository', () => {
    expect(citing(new RegExp(['DESIGN', 'md'].join('\\.')))).toEqual([])
  })

  it('no issue number and no author', () => {
    expect(citing(new RegExp(['\\bissues? \\d', ['section of', 'engineer'].join(' ')].join('|'), 'i'))).toEqual([])
  })
})
