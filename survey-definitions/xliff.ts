/**
 * A translator's round trip: a version's texts for one language out as XLIFF 2.0 (toXliff), and back in with
 * every check a translation must pass (fromXliff), before it becomes a draft `v<N>.lang.<code>.json`.
 *
 * Why XLIFF 2.0: translation tools open it (OmegaT, memoQ, Trados, Weblate, Crowdin and the Poedit
 * alternatives), it carries source and target side by side with notes and a state per unit, and it is an
 * OASIS standard (https://docs.oasis-open.org/xliff/xliff-core/v2.0/xliff-core-v2.0.html). A spreadsheet loses
 * placeholders and HTML silently; here a unit whose `{percent}` or `<p>` went missing is refused by key.
 *
 * The shape written: one `<file id="<slug>-v<N>" original="<slug>/v<N>">`, its `trgDir` the language's
 * direction and its `<notes>` the language's name (note id `language-name`); one `<unit id="<key>">` per text
 * of sourceTexts (languages.ts), in the order a translator reads them, each with notes saying what it is, the
 * placeholders and HTML tags to keep, and for a short label a length hint. HTML stays escaped text inside
 * `<source>`/`<target>` (no XLIFF inline codes): the simplest thing that round-trips exactly, and the
 * notes say the tags must be kept. A file split into several segments by a tool is joined back per unit.
 *
 * Pure: no Node imports, so the console's routes and the commands (api/cli/translation-*.ts) share it.
 */
import { BASE_LANGUAGES, LANGUAGE_CODE, sourceTexts, translationProblems } from './languages.js'
import type { BaseLanguage, Direction, SourceText } from './languages.js'
import type { JsonObject } from './index.js'
import { childElements, escapeAttribute, escapeText, parseXml } from './xml-tree.js'
import type { XmlElement } from './xml-tree.js'

export const XLIFF_NAMESPACE = 'urn:oasis:names:tc:xliff:document:2.0'
/** 2.1 keeps 2.0's core and namespace, so a tool that writes it back as 2.1 is read alike. */
export const XLIFF_VERSIONS: readonly string[] = ['2.0', '2.1']
const NAME_NOTE = 'language-name'

export interface XliffExport {
  slug: string
  version: number
  survey: JsonObject
  /** The language translated into. */
  code: string
  /** The language translated from: its texts are the units' sources. */
  source: BaseLanguage
  /** The words a translation already has (a draft being revised): they become the targets. */
  existing?: Readonly<Record<string, string>>
  /** The language's name in its own script, carried in the file's notes. */
  name?: string
  direction?: Direction
}

export interface XliffImport {
  /** The target language (`trgLang`) and the source language (`srcLang`), when the file's header could be read. */
  code?: string
  source?: BaseLanguage
  name?: string
  direction?: Direction
  /** Key → translated text, in the order of sourceTexts; complete only when `problems` is empty. */
  strings: Record<string, string>
  /** What refuses the file, each naming the unit's key where there is one. */
  problems: Array<{ key?: string, problem: string }>
  /** What a person should look at but may accept: a label likely too long for the tablet. */
  warnings: Array<{ key: string, warning: string }>
}

/**
 * The length rule for short labels (titles, choices, the kiosk's words): a target longer than 1.5 × its
 * source's length + 10 characters would likely wrap or overflow on the tablet. Characters are code points.
 */
export const lengthLimit = (source: string): number => Math.floor(1.5 * [...source].length + 10)
export const isShortLabel = (text: Pick<SourceText, 'key' | 'kind'>): boolean =>
  text.kind === 'kiosk' || text.key.endsWith('.title') || text.key.includes('.choice.')

/**
 * The HTML tags of a text in order, without attributes: `<h3>`, `</h3>`, `<br/>`. A tag name runs as a
 * browser reads it (a letter, then up to white space, `/` or `>`), so `<płeć>` is a tag and `a < b` is not.
 */
export const htmlTags = (text: string): string[] =>
  [...text.matchAll(/<(\/?)([a-zA-Z][^\s/<>]*)[^<>]*?(\/?)>/g)].map(([, close, name, selfClosing]) => `<${close}${name!.toLowerCase()}${selfClosing}>`)

/** The XLIFF 2.0 document of a version's texts for one language. */
export function toXliff (input: XliffExport): string {
  const { slug, version, survey, code, source, existing = {}, name, direction } = input
  const units = sourceTexts(survey, code).map((text) => unitXml(text, source, code, existing[text.key]))
  const fileNotes = [
    note('about', 'general', `Prevalens survey "${slug}" version ${version}: its texts and the tablet's own words, from ${LANGUAGE_NAMES[source]} (${source}) into ${code}. Keep {placeholders} and HTML tags exactly as they are; each unit's notes say what it is.`),
    ...(name === undefined ? [] : [note(NAME_NOTE, 'language-name', name)]),
  ]
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="${XLIFF_NAMESPACE}" version="2.0" srcLang="${escapeAttribute(source)}" trgLang="${escapeAttribute(code)}">`,
    `  <file id="${escapeAttribute(`${slug}-v${version}`)}" original="${escapeAttribute(`${slug}/v${version}`)}" canResegment="no" xml:space="preserve"${direction === undefined ? '' : ` trgDir="${direction}"`}>`,
    '    <notes>',
    ...fileNotes.map((line) => `      ${line}`),
    '    </notes>',
    ...units,
    '  </file>',
    '</xliff>',
    '',
  ].join('\n')
}

const LANGUAGE_NAMES: Record<BaseLanguage, string> = { nb: 'Norwegian bokmål', en: 'English' }

const note = (id: string, category: string, text: string): string =>
  `<note id="${escapeAttribute(id)}" category="${escapeAttribute(category)}">${escapeText(text)}</note>`

function unitXml (text: SourceText, source: BaseLanguage, code: string, target: string | undefined): string {
  const other: BaseLanguage = source === 'en' ? 'nb' : 'en'
  const tags = htmlTags(text[source])
  const notes = [
    note('what', 'context', describe(text, code)),
    ...(text.placeholders.length > 0 ? [note('placeholders', 'placeholders', `Keep ${text.placeholders.map((name) => `{${name}}`).join(', ')} exactly as written: the tablet fills ${text.placeholders.length === 1 ? 'it' : 'them'} in.`)] : []),
    ...(tags.length > 0 ? [note('html', 'format', `HTML: keep the tags ${[...new Set(tags)].join(' ')} as they are and in the same order (${tags.length} in all); translate the text between them.`)] : []),
    ...(isShortLabel(text) ? [note('length', 'length', `A short label on a tablet: at most about ${lengthLimit(text[source])} characters (the source has ${[...text[source]].length}); a longer one may wrap or overflow.`)] : []),
    ...(text[other] !== text[source] ? [note('reference', 'reference', `In ${LANGUAGE_NAMES[other]}: ${text[other]}`)] : []),
  ]
  const translated = target !== undefined && target.trim() !== ''
  return [
    `    <unit id="${escapeAttribute(text.key)}">`,
    '      <notes>',
    ...notes.map((line) => `        ${line}`),
    '      </notes>',
    `      <segment state="${translated ? 'translated' : 'initial'}">`,
    `        <source>${escapeText(text[source])}</source>`,
    `        <target>${translated ? escapeText(target) : ''}</target>`,
    '      </segment>',
    '    </unit>',
  ].join('\n')
}

/** What a key is, for the translator: where it shows, and for a plural which counts use the form. */
function describe (text: SourceText, code: string): string {
  const parts = text.key.split('.')
  if (text.kind === 'kiosk') {
    const [, word, category] = parts
    if (category === undefined) return `Kiosk word "${word}": the tablet's own words around the survey (buttons, help, messages).`
    return `Kiosk word "${word}", plural form "${category}": used for counts such as ${pluralExamples(code, category).join(', ')}.`
  }
  if (parts[0] === 'q' && parts[2] === 'choice') return `Survey text: an answer choice of question "${parts[1]}" (code ${parts.slice(3).join('.')}).`
  if (parts[0] === 'q' && parts[2] === 'html') return `Survey text: the text block "${parts[1]}" (HTML).`
  if (parts[0] === 'q' && parts.length === 3) return `Survey text: the ${parts[2]} of question "${parts[1]}".`
  if (parts[0] === 'page' && parts.length === 3) return `Survey text: the ${parts[2]} of page "${parts[1]}".`
  if (parts[0] === 'survey' && parts.length === 2) return `Survey text: the survey's ${parts[1]}.`
  return `Survey text at ${text.key}.`
}

function pluralExamples (code: string, category: string): string[] {
  const rules = new Intl.PluralRules(code)
  const candidates = [...Array.from({ length: 201 }, (_, n) => n), 0.5, 1.5, 2.5]
  return candidates.filter((n) => rules.select(n) === category).slice(0, 5).map(String)
}

/** The instrument and version a file was exported from (`original="<slug>/v<N>"`), or why it cannot say. */
export function xliffOriginal (xml: string): { slug: string, version: number } | { problem: string } {
  const { root, problems } = parseXml(xml)
  if (root === undefined) return { problem: `is not well-formed XML: ${problems.join('; ')}` }
  const header = readHeader(root)
  if ('problem' in header) return header
  return parseOriginal(header.file.attributes.original)
}

const parseOriginal = (original: string | undefined): { slug: string, version: number } | { problem: string } => {
  const match = /^([a-z0-9][a-z0-9_-]*)\/v([1-9][0-9]*)$/.exec(original ?? '')
  return match === null
    ? { problem: `its <file original="${original ?? ''}"> names no survey version (expected "<slug>/v<N>", as exported)` }
    : { slug: match[1]!, version: Number(match[2]) }
}

function readHeader (root: XmlElement): { file: XmlElement, srcLang?: string, trgLang?: string } | { problem: string } {
  if (root.local !== 'xliff' || root.uri !== XLIFF_NAMESPACE) {
    const found = `<${root.local}>${root.uri === '' ? '' : ` in namespace ${root.uri}`}`
    return { problem: root.local === 'xliff' && /xliff:document:1\./.test(root.uri) ? `is XLIFF 1.x (${found}); export the file as XLIFF 2.0` : `is not an XLIFF 2.0 document: its root is ${found}` }
  }
  const version = root.attributes.version
  if (version === undefined || !XLIFF_VERSIONS.includes(version)) return { problem: `has version="${version ?? ''}"; XLIFF ${XLIFF_VERSIONS.join(' or ')} expected` }
  const files = childElements(root, XLIFF_NAMESPACE, 'file')
  if (files.length !== 1) return { problem: `has ${files.length} <file> elements; one expected (one survey version)` }
  return { file: files[0]!, srcLang: primary(root.attributes.srcLang), trgLang: primary(root.attributes.trgLang) }
}

/** A BCP 47 tag's language subtag, lower case: a tool may write `pl-PL` for `pl`. */
const primary = (tag: string | undefined): string | undefined => tag?.split(/[-_]/)[0]?.toLowerCase()

/**
 * A translated XLIFF file read back and checked against the version's texts. `expected` is the version the
 * file must be for. Nothing in it is to be stored unless `problems` is empty.
 */
export function fromXliff (xml: string, survey: JsonObject, expected?: { slug: string, version: number }): XliffImport {
  const refused = (problem: string): XliffImport => ({ strings: {}, problems: [{ problem }], warnings: [] })
  const { root, problems: xmlProblems } = parseXml(xml)
  if (root === undefined) return refused(`is not well-formed XML: ${xmlProblems.join('; ')}`)
  const header = readHeader(root)
  if ('problem' in header) return refused(header.problem)
  const { file, srcLang, trgLang } = header
  const original = parseOriginal(file.attributes.original)
  if ('problem' in original) return refused(original.problem)
  if (expected !== undefined && (original.slug !== expected.slug || original.version !== expected.version)) {
    return refused(`is for ${original.slug} v${original.version}, not ${expected.slug} v${expected.version}`)
  }
  if (srcLang === undefined || !(BASE_LANGUAGES as readonly string[]).includes(srcLang)) return refused(`has srcLang="${root.attributes.srcLang ?? ''}"; the source is nb or en`)
  if (trgLang === undefined || !LANGUAGE_CODE.test(trgLang) || (BASE_LANGUAGES as readonly string[]).includes(trgLang)) {
    return refused(`has trgLang="${root.attributes.trgLang ?? ''}"; the target is a language code other than nb and en (pl, uk, ar…)`)
  }
  const source = srcLang as BaseLanguage
  const code = trgLang
  const result: XliffImport = { code, source, strings: {}, problems: [], warnings: [] }
  const trgDir = file.attributes.trgDir
  if (trgDir === 'ltr' || trgDir === 'rtl') result.direction = trgDir
  const name = childElements(file, XLIFF_NAMESPACE, 'notes').flatMap((notes) => childElements(notes, XLIFF_NAMESPACE, 'note'))
    .find((element) => element.attributes.id === NAME_NOTE)
  const nameText = name === undefined ? '' : textOf(name).trim()
  if (nameText !== '') result.name = nameText

  const texts = sourceTexts(survey, code)
  const byKey = new Map(texts.map((text) => [text.key, text]))
  const found = new Map<string, string>()
  const refusedKeys = new Set<string>()
  const refuse = (key: string, problem: string): void => { result.problems.push({ key, problem }); refusedKeys.add(key) }
  for (const unit of unitsOf(file)) {
    const key = unit.attributes.id ?? ''
    const text = byKey.get(key)
    if (text === undefined) { refuse(key, `is not a text of ${original.slug} v${original.version} (unknown unit id)`); continue }
    if (found.has(key) || refusedKeys.has(key)) { refuse(key, 'has two units'); continue }
    const read = unitText(unit)
    if ('problem' in read) { refuse(key, read.problem); continue }
    if (read.target.trim() === '') { refuse(key, 'is untranslated (empty target)'); continue }
    found.set(key, read.target)
    if (read.source !== text[source]) result.warnings.push({ key, warning: `its source in the file differs from the version's ${source} text: was it translated from another text?` })
  }
  for (const text of texts) {
    if (!found.has(text.key) && !refusedKeys.has(text.key)) refuse(text.key, 'has no unit in the file (untranslated)')
  }
  result.strings = Object.fromEntries(texts.filter((text) => found.has(text.key)).map((text) => [text.key, found.get(text.key)!]))
  for (const { key, problem } of translationProblems(survey, { code, strings: result.strings })) {
    if (!refusedKeys.has(key)) result.problems.push({ key, problem })
  }
  for (const [key, target] of Object.entries(result.strings)) {
    const text = byKey.get(key)!
    const sourceTags = htmlTags(text[source])
    const targetTags = htmlTags(target)
    if (sourceTags.join('') !== targetTags.join('')) {
      result.problems.push({ key, problem: `has the HTML tags ${tagList(targetTags)} where the source has ${tagList(sourceTags)}: keep the same tags in the same order` })
    }
    const limit = lengthLimit(text[source])
    const length = [...target].length
    if (isShortLabel(text) && length > limit) {
      result.warnings.push({ key, warning: `is ${length} characters, its source ${[...text[source]].length}: more than ${limit} (1.5 × source + 10) may wrap or overflow on the tablet` })
    }
  }
  // In the order a translator reads the texts, so a long list can be worked through from the top.
  const order = new Map(texts.map((text, index) => [text.key, index]))
  const rank = (key: string | undefined): number => (key === undefined ? -1 : order.get(key) ?? texts.length)
  result.problems.sort((a, b) => rank(a.key) - rank(b.key))
  result.warnings.sort((a, b) => rank(a.key) - rank(b.key))
  return result
}

const tagList = (tags: string[]): string => (tags.length === 0 ? 'none' : tags.join(''))

/** The units of a file, those inside `<group>`s too (a tool may group them), in document order. */
function unitsOf (element: XmlElement): XmlElement[] {
  return childElements(element, XLIFF_NAMESPACE).flatMap((child) =>
    child.local === 'unit' ? [child] : child.local === 'group' ? unitsOf(child) : [])
}

/**
 * A unit's source and target text: its segments and ignorables joined in order (XLIFF 2.0, 4.2.2: an
 * ignorable without a target keeps its source). A segment without a target leaves the unit untranslated.
 */
function unitText (unit: XmlElement): { source: string, target: string } | { problem: string } {
  let source = ''
  let target = ''
  let untranslated = false
  for (const part of childElements(unit, XLIFF_NAMESPACE).filter((child) => child.local === 'segment' || child.local === 'ignorable')) {
    const sourceElement = childElements(part, XLIFF_NAMESPACE, 'source')[0]
    const targetElement = childElements(part, XLIFF_NAMESPACE, 'target')[0]
    for (const element of [sourceElement, targetElement]) {
      const inline = element?.children.find((child) => typeof child !== 'string')
      if (inline !== undefined) return { problem: `has XLIFF inline markup <${inline.local}> in its ${element!.local}: write the HTML tags as plain text, as exported` }
    }
    const sourceText = sourceElement === undefined ? '' : textOf(sourceElement)
    source += sourceText
    if (targetElement !== undefined) target += textOf(targetElement)
    else if (part.local === 'ignorable') target += sourceText
    else untranslated = true
  }
  return { source, target: untranslated ? '' : target }
}

const textOf = (element: XmlElement): string => element.children.filter((child) => typeof child === 'string').join('')
