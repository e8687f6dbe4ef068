// npm run translation:import -- FILE.xlf [--name NAME] [--dir DIR] [--new-version]
// Reads a translated XLIFF 2.0 file (made by translation:export) back into `<slug>/v<N>.lang.<code>.json` as a
// draft, after every check of survey-definitions/xliff.ts and translation-files.ts. Prints each problem as
// `file: key: problem` and each warning, and on any problem exits 1 having written nothing.
//
// A reviewed translation's words are frozen (its checksum is what the review vouches for), so it is never
// overwritten: `--new-version` copies version N (survey, indicator map, audio, the other languages as drafts)
// to N+1 and writes the translation there.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { audioFolder, recordingsFolder } from '../../survey-definitions/audio-manifest.js'
import { definitionsDir, findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import type { DefinitionLocation } from '../../survey-definitions/index.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { findTranslationFiles, readTranslationFile, scriptDirection, translationFilePath, translationShapeProblems } from '../../survey-definitions/translation-files.js'
import { fromXliff, xliffOriginal } from '../../survey-definitions/xliff.js'

const usage = 'usage: translation-import FILE.xlf [--name NAME] [--dir DIR] [--new-version]'
const shown = (file: string): string => relative(process.cwd(), file) || file
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

function main (): number {
  let input: string
  let values: { name?: string, dir?: string, 'new-version'?: boolean }
  try {
    const parsed = parseArgs({ options: { name: { type: 'string' }, dir: { type: 'string' }, 'new-version': { type: 'boolean' } }, allowPositionals: true, strict: true })
    if (parsed.positionals.length !== 1) throw new Error('give one XLIFF file')
    input = resolve(parsed.positionals[0]!)
    values = parsed.values
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    return 2
  }
  let xml: string
  try {
    xml = readFileSync(input, 'utf8')
  } catch (error) {
    console.error(`${shown(input)}: cannot be read: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
  const dir = resolve(values.dir ?? definitionsDir)
  const problems: string[] = []
  const fail = (): number => {
    for (const line of problems) console.error(line)
    console.error(`nothing written (${problems.length} problem${problems.length === 1 ? '' : 's'})`)
    return 1
  }
  const refuse = (problem: string, file = input): number => {
    problems.push(`${shown(file)}: ${problem}`)
    return fail()
  }

  const original = xliffOriginal(xml)
  if ('problem' in original) return refuse(original.problem)
  const { slug, version } = original
  const locations = findDefinitions(dir)
  const location = locations.find((candidate) => candidate.slug === slug && candidate.version === version)
  if (location === undefined) return refuse(`is for ${slug} v${version}, which ${shown(dir)} does not have`)
  const read = fromXliff(xml, readDefinition(location).survey, original)
  for (const { key, warning } of read.warnings) console.error(`warning: ${shown(input)}: ${key}: ${warning}`)
  problems.push(...read.problems.map(({ key, problem }) => `${shown(input)}: ${key === undefined ? '' : `${key}: `}${problem}`))
  if (problems.length > 0 || read.code === undefined || read.source === undefined) return fail()
  const code = read.code

  const current = translationFilePath(location.files.survey, version, code)
  const existing = existsSync(current) ? readTranslationFile(current) : undefined
  if (existing !== undefined && existing.translation === undefined) return refuse(`cannot be read (${existing.problems.join('; ')}): fix or remove it first`, current)
  const name = values.name ?? read.name ?? existing?.translation?.name
  const direction = read.direction ?? scriptDirection(code)
  if (name === undefined) return refuse('names no language: give --name with its name in its own script (Polski, Українська, العربية)')
  if (direction === undefined) return refuse(`states no direction (trgDir) and Intl does not know the direction of ${code}: export it again with trgDir`)
  const translation: TranslationFile = { code, name, direction, status: 'draft', source: read.source, strings: read.strings }
  for (const problem of translationShapeProblems(translation)) problems.push(`${shown(input)}: ${problem}`)
  if (problems.length > 0) return fail()

  if (values['new-version'] !== true) {
    if (existing?.translation?.status === 'reviewed') {
      return refuse(`is reviewed: its words are frozen; use --new-version to put the new words in ${slug} v${version + 1}`, current)
    }
    writeFileSync(current, json(translation))
    console.log(`wrote ${shown(current)}: ${name} (${code}, ${direction}), draft, ${Object.keys(read.strings).length} texts`)
    return 0
  }

  const next = version + 1
  if (locations.some((candidate) => candidate.slug === slug && candidate.version === next)) {
    return refuse(`${slug} v${next} exists already: export from it and import into it instead`)
  }
  const others = findTranslationFiles(location.files.survey, version).filter((other) => other.code !== code)
  const carried: Array<{ from: string, translation: TranslationFile }> = []
  for (const other of others) {
    const otherRead = readTranslationFile(other.file)
    if (otherRead.translation === undefined) return refuse(`cannot be carried over to v${next} (${otherRead.problems.join('; ')}): fix it first`, other.file)
    carried.push({ from: other.file, translation: otherRead.translation })
  }
  const written = copyVersion(location, next, carried.map(({ translation: other }) => {
    const { review: _review, ...rest } = other
    return { ...rest, status: 'draft' }
  }))
  const target = translationFilePath(location.files.survey, next, code)
  writeFileSync(target, json(translation))
  for (const file of written) console.log(`wrote ${shown(file)}`)
  console.log(`wrote ${shown(target)}: ${name} (${code}, ${direction}), draft, ${Object.keys(read.strings).length} texts`)
  console.log(`${slug} v${next} is v${version} with these words; its other languages are drafts again until reviewed`)
  return 0
}

/**
 * Version N's files as version N+1: survey, indicator map, audio and recordings, the other languages (as
 * drafts), and the instrument's rules for N if it states any (README.md, "The instrument file"), so N+1
 * resolves to the same rules. Returns the files and folders written.
 */
function copyVersion (location: DefinitionLocation, next: number, translations: TranslationFile[]): string[] {
  const folder = dirname(location.files.survey)
  const written: string[] = []
  const copy = (from: string, to: string): void => {
    if (!existsSync(from)) return
    cpSync(from, to, { recursive: true, errorOnExist: true, force: false })
    written.push(to)
  }
  copy(location.files.survey, join(folder, `v${next}.survey.json`))
  copy(location.files.indicators, join(folder, `v${next}.indicators.json`))
  copy(audioFolder(location), audioFolder({ ...location, version: next }))
  copy(recordingsFolder(location), recordingsFolder({ ...location, version: next }))
  for (const translation of translations) {
    const file = translationFilePath(location.files.survey, next, translation.code)
    writeFileSync(file, json(translation))
    written.push(file)
  }
  const instrument = JSON.parse(readFileSync(location.files.instrument, 'utf8')) as { versions?: Record<string, unknown> }
  const rules = instrument.versions?.[String(location.version)]
  if (rules !== undefined && instrument.versions !== undefined) {
    instrument.versions[String(next)] = rules
    writeFileSync(location.files.instrument, json(instrument))
    written.push(location.files.instrument)
  }
  return written
}

process.exitCode = main()
