import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { definitionsDir } from '../../survey-definitions/index.js'
import { TRANSLATION_FILE, translationKeys } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { escapeText } from '../../survey-definitions/xml-tree.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const execute = promisify(execFile)
const survey = JSON.parse(readFileSync(join(definitionsDir, 'hverdag', 'v2.survey.json'), 'utf8'))

/** One of the real commands, as `npm run` starts it; its exit code and what it printed. */
async function run (command: 'translation-export' | 'translation-import' | 'definitions-check', ...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  return await execute('npx', ['tsx', `api/cli/${command}.ts`, ...args], { cwd: root, encoding: 'utf8' }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number, stdout: string, stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }))
}

const copies: string[] = []
afterEach(() => { for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true }) })

/**
 * A temporary copy of survey-definitions/hverdag to import into, as an instrument with no translation yet:
 * without the shipped drafts, and without audio (whose clips read those drafts).
 */
function definitionsCopy (): string {
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-translation-'))
  copies.push(dir)
  const source = join(definitionsDir, 'hverdag')
  cpSync(source, join(dir, 'hverdag'), { recursive: true, filter: (path) => !TRANSLATION_FILE.test(basename(path)) && !path.startsWith(join(source, 'audio')) })
  return dir
}

const unescape = (text: string): string =>
  text.replace(/&(lt|gt|quot|apos|amp|#13);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&', '#13': '\r' })[name]!)

/** What a translator does in their tool: fill each empty target, keeping tags and placeholders ("PL: " + source). */
const translate = (xml: string, prefix: string): string =>
  xml.replace(/<source>([^<]*)<\/source>(\s*)<target><\/target>/g, (_, source: string, space: string) =>
    `<source>${source}</source>${space}<target>${escapeText(`${prefix}${unescape(source)}`)}</target>`)

const listing = (dir: string): string[] => readdirSync(join(dir, 'hverdag')).sort()

describe('npm run translation:export / translation:import', () => {
  it('exports, takes the translated file back as a draft that definitions:check accepts, and exports its words again', async () => {
    const dir = definitionsCopy()
    const xlf = join(dir, 'pl.xlf')
    const exported = await run('translation-export', '--slug', 'hverdag', '--version', '2', '--language', 'pl', '--dir', dir)
    expect(exported.code).toBe(0)
    expect(exported.stdout).toContain('trgLang="pl"')
    expect(exported.stdout.match(/<target><\/target>/g)).toHaveLength(translationKeys(survey, 'pl').length)
    writeFileSync(xlf, translate(exported.stdout, 'PL: '))

    const imported = await run('translation-import', xlf, '--name', 'Polski', '--dir', dir)
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const file = join(dir, 'hverdag', 'v2.lang.pl.json')
    expect(imported.stdout).toContain('v2.lang.pl.json: Polski (pl, ltr), draft')
    const translation = JSON.parse(readFileSync(file, 'utf8')) as TranslationFile
    expect({ ...translation, strings: undefined }).toEqual({ code: 'pl', name: 'Polski', direction: 'ltr', status: 'draft', source: 'en', strings: undefined })
    expect(Object.keys(translation.strings)).toEqual(translationKeys(survey, 'pl'))
    expect(translation.strings['q.consent_info.html']).toMatch(/^PL: <h3>Welcome<\/h3><p>This is an anonymous survey/)
    expect(translation.strings['kiosk.progress']).toContain('{percent}')

    const check = await run('definitions-check', '--dir', dir)
    expect(check.stderr).toBe('')
    expect(check.stdout).toMatch(/^OK hverdag v2 /m)
    expect(check.code).toBe(0)

    // A revision: the next export carries the draft's words, name and direction.
    const again = await run('translation-export', '--slug', 'hverdag', '--version', '2', '--language', 'pl', '--dir', dir, '--out', xlf)
    expect(again.code).toBe(0)
    const revised = readFileSync(xlf, 'utf8')
    expect(revised).not.toContain('<target></target>')
    expect(revised).toContain('<note id="language-name" category="language-name">Polski</note>')
    expect(revised).toContain(`<target>${escapeText(translation.strings['q.gender.title']!)}</target>`)
  }, 60_000)

  it('refuses a file with an untranslated unit, naming file and key, and writes nothing', async () => {
    const dir = definitionsCopy()
    const xlf = join(dir, 'ar.xlf')
    const exported = await run('translation-export', '--slug', 'hverdag', '--version', '2', '--language', 'ar', '--source', 'nb', '--name', 'العربية', '--dir', dir)
    expect(exported.stdout).toContain('trgDir="rtl"')
    const translated = translate(exported.stdout, 'AR: ')
    writeFileSync(xlf, translated.replace(/(<unit id="q\.gender\.choice\.man">[\s\S]*?<target>)[^<]*(<\/target>)/, '$1$2'))
    const before = listing(dir)
    const imported = await run('translation-import', xlf, '--dir', dir)
    expect(imported.code).toBe(1)
    expect(imported.stderr).toContain('ar.xlf: q.gender.choice.man: is untranslated (empty target)')
    expect(imported.stderr).toContain('nothing written (1 problem)')
    expect(listing(dir)).toEqual(before)

    // The same file complete: the name and direction come from the file.
    writeFileSync(xlf, translated)
    expect((await run('translation-import', xlf, '--dir', dir)).code).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'hverdag', 'v2.lang.ar.json'), 'utf8'))).toMatchObject({ code: 'ar', name: 'العربية', direction: 'rtl', status: 'draft', source: 'nb' })
  }, 60_000)

  it('keeps a reviewed translation\'s words frozen, and with --new-version writes them into a copy of the version', async () => {
    const dir = definitionsCopy()
    const xlf = join(dir, 'pl.xlf')
    const exported = await run('translation-export', '--slug', 'hverdag', '--version', '2', '--language', 'pl', '--name', 'Polski', '--dir', dir)
    writeFileSync(xlf, translate(exported.stdout, 'PL: '))
    expect((await run('translation-import', xlf, '--dir', dir)).code).toBe(0)
    const reviewedFile = join(dir, 'hverdag', 'v2.lang.pl.json')
    const reviewed = { ...JSON.parse(readFileSync(reviewedFile, 'utf8')) as TranslationFile, status: 'reviewed', review: { by: 'Ola Nordmann', on: '2026-12-01' } }
    writeFileSync(reviewedFile, JSON.stringify(reviewed, null, 2))
    // A second language, reviewed too: carried to the new version as a draft.
    writeFileSync(xlf.replace('pl.xlf', 'uk.xlf'), translate((await run('translation-export', '--slug', 'hverdag', '--version', '2', '--language', 'uk', '--name', 'Українська', '--dir', dir)).stdout, 'UK: '))
    expect((await run('translation-import', xlf.replace('pl.xlf', 'uk.xlf'), '--dir', dir)).code).toBe(0)
    const ukFile = join(dir, 'hverdag', 'v2.lang.uk.json')
    writeFileSync(ukFile, JSON.stringify({ ...JSON.parse(readFileSync(ukFile, 'utf8')) as TranslationFile, status: 'reviewed', review: { by: 'Ola Nordmann', on: '2026-12-01' } }, null, 2))

    // Version 2 states its own rules: version 3 must resolve to the same ones.
    const instrumentFile = join(dir, 'hverdag', 'instrument.json')
    const instrument = JSON.parse(readFileSync(instrumentFile, 'utf8')) as Record<string, unknown>
    writeFileSync(instrumentFile, JSON.stringify({ ...instrument, versions: { 2: { privacyCheckBefore: 'page_gender' } } }))

    writeFileSync(xlf, translate(exported.stdout, 'PL2: '))
    const before = listing(dir)
    const refused = await run('translation-import', xlf, '--dir', dir)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('v2.lang.pl.json: is reviewed: its words are frozen; use --new-version')
    expect(listing(dir)).toEqual(before)
    expect(JSON.parse(readFileSync(reviewedFile, 'utf8'))).toEqual(reviewed)

    const next = await run('translation-import', xlf, '--dir', dir, '--new-version')
    expect(next.stderr).toBe('')
    expect(next.code).toBe(0)
    expect(listing(dir)).toEqual([...before, 'v3.indicators.json', 'v3.lang.pl.json', 'v3.lang.uk.json', 'v3.survey.json'].sort())
    expect(readFileSync(join(dir, 'hverdag', 'v3.survey.json'), 'utf8')).toBe(readFileSync(join(dir, 'hverdag', 'v2.survey.json'), 'utf8'))
    const v3 = JSON.parse(readFileSync(join(dir, 'hverdag', 'v3.lang.pl.json'), 'utf8')) as TranslationFile
    expect(v3.status).toBe('draft')
    expect(v3.strings['q.gender.title']).toBe('PL2: What is your gender?')
    expect(JSON.parse(readFileSync(join(dir, 'hverdag', 'v3.lang.uk.json'), 'utf8'))).toMatchObject({ status: 'draft', name: 'Українська' })
    expect(JSON.parse(readFileSync(join(dir, 'hverdag', 'v3.lang.uk.json'), 'utf8'))).not.toHaveProperty('review')
    expect(JSON.parse(readFileSync(reviewedFile, 'utf8'))).toEqual(reviewed)
    expect(JSON.parse(readFileSync(instrumentFile, 'utf8'))).toEqual({ ...instrument, versions: { 2: { privacyCheckBefore: 'page_gender' }, 3: { privacyCheckBefore: 'page_gender' } } })

    const check = await run('definitions-check', '--dir', dir)
    expect(check.stderr).toBe('')
    expect(check.stdout).toMatch(/^OK hverdag v3 /m)
    // Once v3 exists, --new-version from v2 is refused rather than overwriting it.
    const twice = await run('translation-import', xlf, '--dir', dir, '--new-version')
    expect(twice.code).toBe(1)
    expect(twice.stderr).toContain('hverdag v3 exists already')
  }, 120_000)
})
