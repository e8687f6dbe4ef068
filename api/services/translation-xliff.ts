/**
 * The console's side of a translator's round trip (survey-definitions/xliff.ts): a version's texts out as
 * XLIFF 2.0 for one language, and a translated file back in as a draft of that version, stored by the same
 * frozen-words rules as publishing (storeLanguage in ./survey-version-languages.ts).
 */
import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { findVersionLanguage } from '../db/queries/survey-version-languages.js'
import { AppError } from '../errors.js'
import type { TranslationProblem, TranslationWarning, XliffImportReply } from '../schemas/survey-version-languages.js'
import { inTransaction } from './in-transaction.js'
import { consoleLanguage, storeLanguage, versionById } from './survey-version-languages.js'
import { isBaseLanguage } from '../../survey-definitions/languages.js'
import type { BaseLanguage, TranslationFile } from '../../survey-definitions/languages.js'
import { scriptDirection, translationShapeProblems } from '../../survey-definitions/translation-files.js'
import { fromXliff, toXliff } from '../../survey-definitions/xliff.js'

/** A translation file that cannot be stored: every problem, each naming its key where it has one. */
export class TranslationInvalidError extends Error {
  override name = 'TranslationInvalidError'
  constructor (readonly problems: TranslationProblem[], readonly warnings: TranslationWarning[]) {
    super(`the translation cannot be stored (${problems.length} problem${problems.length === 1 ? '' : 's'}): ` +
      problems.slice(0, 5).map(({ key, problem }) => (key === undefined ? problem : `${key} ${problem}`)).join('; '))
  }
}

const refusedBase = (code: string): AppError =>
  new AppError(400, 'bad_request', `"${code}" is one of the survey's own languages (bokmål, English), written in its SurveyJS JSON; a translation is into another language`)

/**
 * The XLIFF file to translate a version into `code` from `source` (default: the language's own source, else
 * English). A language the version has comes with its words as targets, to revise; a new one with none.
 * @throws {AppError} 404 when no version has the id, 400 for bokmål or English
 */
export async function exportXliff (db: Kysely<Database>, id: number, code: string, source?: BaseLanguage): Promise<{ fileName: string, xliff: string }> {
  if (isBaseLanguage(code)) throw refusedBase(code)
  const version = await versionById(db, id)
  const stored = await findVersionLanguage(db, id, code)
  const from = source ?? stored?.source ?? 'en'
  const direction = stored?.direction ?? scriptDirection(code)
  const xliff = toXliff({
    slug: version.slug,
    version: version.version,
    survey: version.definition,
    code,
    source: from,
    ...(stored === undefined ? {} : { existing: stored.strings, name: stored.name }),
    ...(direction === undefined ? {} : { direction }),
  })
  return { fileName: `${version.slug}-v${version.version}.${from}-${code}.xlf`, xliff }
}

/**
 * A translated XLIFF file stored as a draft of the version, audited. Checked whole first: for this version,
 * into this language, every text translated with its placeholders and HTML tags kept; the direction from the
 * file (`trgDir`) or the platform's language data. Nothing is stored when anything is wrong.
 *
 * A draft that was never reviewed may be replaced by a new import (the translator's corrections before the
 * review); a reviewed language's words never change, so other words for it are refused (409: a new version).
 * The same words again change nothing, whatever the status.
 * @throws {TranslationInvalidError} listing every problem; {AppError} 404, 400 for bokmål or English, 409 translation_changed
 */
export async function importXliff (db: Kysely<Database>, id: number, code: string, input: { xliff: string, name: string }, actor: Account | null): Promise<XliffImportReply> {
  if (isBaseLanguage(code)) throw refusedBase(code)
  // A published version never changes, so the file is read and checked before the transaction, which only stores.
  const version = await versionById(db, id)
  const read = fromXliff(input.xliff, version.definition, { slug: version.slug, version: version.version })
  const problems: TranslationProblem[] = [...read.problems]
  if (read.code !== undefined && read.code !== code) problems.unshift({ problem: `the file is a translation into "${read.code}" (trgLang), not "${code}"` })
  const direction = read.direction ?? scriptDirection(code)
  if (direction === undefined) problems.push({ problem: `the direction of "${code}" is not known: the file's <file> element says it with trgDir="ltr" or trgDir="rtl"` })
  if (problems.length > 0 || read.source === undefined || direction === undefined) throw new TranslationInvalidError(problems, read.warnings)
  const translation: TranslationFile = { code, name: input.name.trim(), direction, status: 'draft', source: read.source, strings: read.strings }
  const shape = translationShapeProblems(translation)
  if (shape.length > 0) throw new TranslationInvalidError(shape.map((problem) => ({ problem })), read.warnings)

  return await inTransaction(db, async (trx) => {
    const outcome = await storeLanguage(trx, { id: version.id, slug: version.slug, version: version.version }, translation, actor, 'import')
    if (outcome === 'reviewed' || outcome === 'review-kept') throw new Error('an import stores drafts only, and leaves a reviewed language unchanged')
    const row = await findVersionLanguage(trx, id, code)
    if (row === undefined) throw new Error(`${code} was stored but cannot be read back`)
    return { outcome, language: consoleLanguage(row, version.definition), warnings: read.warnings }
  })
}
