// npm run translation:export -- --slug SLUG --version N --language CODE [--source en|nb] [--name NAME] [--out FILE] [--dir DIR]
// Writes a version's texts for one language as XLIFF 2.0 (survey-definitions/xliff.ts) for a translator's
// tool: to stdout, or to FILE. Where the version already has a translation file for the language (a draft
// being revised), its words are the targets and its name and direction go along; otherwise the targets are
// empty and the direction is the one Intl knows for the language.
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { definitionsDir, findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import { BASE_LANGUAGES, LANGUAGE_CODE } from '../../survey-definitions/languages.js'
import type { BaseLanguage } from '../../survey-definitions/languages.js'
import { readTranslationFile, scriptDirection, translationFilePath } from '../../survey-definitions/translation-files.js'
import { toXliff } from '../../survey-definitions/xliff.js'

const usage = 'usage: translation-export --slug SLUG --version N --language CODE [--source en|nb] [--name NAME] [--out FILE] [--dir DIR]'

function main (): number {
  let values: { slug?: string, version?: string, language?: string, source?: string, name?: string, out?: string, dir?: string }
  try {
    ({ values } = parseArgs({
      options: { slug: { type: 'string' }, version: { type: 'string' }, language: { type: 'string' }, source: { type: 'string' }, name: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string' } },
      strict: true,
    }))
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    return 2
  }
  const { slug, language: code, source = 'en', name, out } = values
  const version = Number(values.version)
  const wrong = argumentProblem(slug, values.version, code, source)
  if (wrong !== undefined) {
    console.error(`${wrong}\n${usage}`)
    return 2
  }

  const dir = resolve(values.dir ?? definitionsDir)
  const location = findDefinitions(dir).find((candidate) => candidate.slug === slug && candidate.version === version)
  if (location === undefined) {
    console.error(`${dir} has no ${slug} v${version} (no ${slug}/v${version}.survey.json)`)
    return 1
  }
  const definition = readDefinition(location)
  const file = translationFilePath(location.files.survey, version, code!)
  let existing: { strings: Record<string, string>, name: string, direction: 'ltr' | 'rtl' } | undefined
  if (existsSync(file)) {
    const read = readTranslationFile(file)
    if (read.translation === undefined) {
      for (const problem of read.problems) console.error(`${file}: ${problem}`)
      return 1
    }
    existing = read.translation
  }
  const xml = toXliff({
    slug: slug!,
    version,
    survey: definition.survey,
    code: code!,
    source: source as BaseLanguage,
    existing: existing?.strings,
    name: name ?? existing?.name,
    direction: existing?.direction ?? scriptDirection(code!),
  })
  if (out === undefined) {
    process.stdout.write(xml)
  } else {
    writeFileSync(out, xml)
    console.error(`wrote ${out}: ${slug} v${version}, ${source} → ${code}${existing === undefined ? '' : `, with the words of ${file}`}`)
  }
  return 0
}

function argumentProblem (slug: string | undefined, version: string | undefined, code: string | undefined, source: string): string | undefined {
  const base = BASE_LANGUAGES as readonly string[]
  if (slug === undefined) return '--slug is required'
  if (!/^[1-9][0-9]*$/.test(version ?? '')) return `--version "${version ?? ''}" is not a version number`
  if (code === undefined || !LANGUAGE_CODE.test(code)) return `--language "${code ?? ''}" is not a language code (two or three lower-case letters: pl, uk, ar)`
  if (base.includes(code)) return `--language ${code} is in the survey file itself; a translation is into another language`
  if (!base.includes(source)) return `--source "${source}" is not nb or en`
  return undefined
}

process.exitCode = main()
