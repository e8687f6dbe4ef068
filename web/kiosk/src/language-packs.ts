import type { KioskWaveReply } from '../../../api/schemas/kiosk.js'
import type { LanguageInfo } from '../../../survey-definitions/languages.js'
import { isBaseLanguage } from '../../../survey-definitions/languages.js'
import { fetchLanguage } from './api.js'
import { addLanguageWords } from './i18n.js'
import type { Lang } from './i18n.js'

/** A translation as the kiosk uses it: the survey's texts and the kiosk's words, by key. */
export interface LanguagePack extends LanguageInfo { strings: Readonly<Record<string, string>> }

type PackWave = Pick<KioskWaveReply, 'mode' | 'waveId' | 'surveyVersionId' | 'languages'>

/**
 * Translations are not in the kiosk's JavaScript. Every translation the wave offers is fetched with the wave
 * (fetchOfferedLanguages), never when a respondent picks one: no request, and no write to the service worker's
 * cache, says when someone chose which language. A failed fetch is forgotten, so the next cover asks again.
 */
const packs = new Map<string, Promise<LanguagePack>>()

/** Starts fetching each translation the wave offers; the picker's choice then waits for the one it needs. */
export function fetchOfferedLanguages (token: string, wave: PackWave): void {
  for (const language of wave.languages) {
    if (!isBaseLanguage(language.code)) loadLanguage(token, wave, language.code).catch(() => {})
  }
}

/**
 * One translation of the wave's version. Refused, whatever the service worker kept from before (another
 * version, another enrolment): a pack of another survey version, a language the wave does not offer, or a
 * draft on a live tablet.
 */
export function loadLanguage (token: string, wave: PackWave, code: Lang): Promise<LanguagePack> {
  const key = `${wave.mode}:${wave.waveId ?? ''}:${wave.surveyVersionId}:${code}`
  let pack = packs.get(key)
  if (pack === undefined) {
    const fetched = fetchLanguage(token, code).then((loaded) => {
      const offered = wave.languages.some((language) => language.code === loaded.code && language.status === loaded.status)
      if (loaded.surveyVersionId !== wave.surveyVersionId || loaded.code !== code || !offered || (loaded.status !== 'reviewed' && wave.mode !== 'test')) {
        throw new Error(`the ${code} translation at hand is not the one this wave offers`)
      }
      return loaded
    })
    packs.set(key, fetched)
    fetched.catch(() => { if (packs.get(key) === fetched) packs.delete(key) })
    pack = fetched
  }
  // Its words for words(code): the pack of this wave, whichever was used last.
  return pack.then((loaded) => { addLanguageWords(loaded.code, loaded.strings); return loaded })
}
