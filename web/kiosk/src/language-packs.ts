import type { LanguageInfo } from '../../../survey-definitions/languages.js'
import { fetchLanguage } from './api.js'
import { addLanguageWords } from './i18n.js'
import type { Lang } from './i18n.js'

/** A translation as the kiosk uses it: the survey's texts and the kiosk's words, by key. */
export interface LanguagePack extends LanguageInfo { strings: Readonly<Record<string, string>> }

/**
 * Translations are not in the kiosk's JavaScript: each is fetched when a respondent first picks it, once per
 * wave and language, and kept in memory for the next respondent (the service worker keeps the last answer for
 * a start without a connection). A failed fetch is forgotten, so the next pick asks again.
 */
const packs = new Map<string, Promise<LanguagePack>>()

export function loadLanguage (token: string, wave: { mode: string, waveId: string | null, surveyVersionId: number }, code: Lang): Promise<LanguagePack> {
  const key = `${wave.mode}:${wave.waveId ?? ''}:${wave.surveyVersionId}:${code}`
  let pack = packs.get(key)
  if (pack === undefined) {
    const fetched = fetchLanguage(token, code)
    packs.set(key, fetched)
    fetched.catch(() => { if (packs.get(key) === fetched) packs.delete(key) })
    pack = fetched
  }
  // Its words for words(code): the pack of this wave, whichever was used last.
  return pack.then((loaded) => { addLanguageWords(loaded.code, loaded.strings); return loaded })
}
