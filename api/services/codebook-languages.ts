import type { SurveyVersionRow } from '../db/database.js'
import { definitionsDir, findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { findTranslationFiles, readTranslationFile } from '../../survey-definitions/translation-files.js'

/** What the codebook needs of a translation: its language and its texts by key (survey-definitions/languages.ts). */
export type CodebookTranslation = Pick<TranslationFile, 'code' | 'name' | 'direction' | 'status' | 'strings'>

/**
 * The translations of a published survey version, for the codebook's labels, in code order.
 *
 * Read from the translation files beside the version in survey-definitions/ (`<slug>/v<N>.lang.<code>.json`,
 * through the loader), and only while the files there still hold the version as it was published (the same
 * checksum): a translation's keys name places in one version's texts. A version published from an upload, or
 * whose files are gone, has none here. Once a version's languages are stored with it in the database, this
 * reads them from there instead.
 */
export function codebookTranslations (version: Pick<SurveyVersionRow, 'slug' | 'version' | 'checksum'>, dir: string = definitionsDir): CodebookTranslation[] {
  try {
    const location = findDefinitions(dir).find((entry) => entry.slug === version.slug && entry.version === version.version)
    if (location === undefined) return []
    const def = readDefinition(location)
    if (def.checksum !== version.checksum) return []
    return findTranslationFiles(def.files.survey, def.version).flatMap(({ code, file }) => {
      // A file that does not read, or names another language, fails definitions:check; it labels nothing.
      const { translation } = readTranslationFile(file)
      if (translation?.code !== code) return []
      const { name, direction, status, strings } = translation
      return [{ code, name, direction, status, strings }]
    })
  } catch {
    // A definitions folder that cannot be read leaves the codebook in nb and en, as every version has them.
    return []
  }
}
