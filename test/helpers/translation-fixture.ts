import type { JsonObject } from '../../survey-definitions/index.js'
import { sourceTexts } from '../../survey-definitions/languages.js'
import type { Direction } from '../../survey-definitions/languages.js'

/**
 * Test translations of a survey version, made from sourceTexts(survey, code): every key the language must give,
 * each text marked as this language's (a word in its script, then the English source), placeholders kept. Not a
 * translation anyone should read; enough for the kiosk to show every screen in the language and its direction.
 */
const MARK: Record<string, { name: string, direction: Direction, mark: string, words: Record<string, string> }> = {
  ar: {
    name: 'العربية',
    direction: 'rtl',
    mark: 'عربي',
    words: {
      'kiosk.quickExit': 'خروج سريع',
      'kiosk.studyName': 'الحياة اليومية والصحة',
      'kiosk.language': 'اللغة',
      'kiosk.chooseLanguage': 'اختر اللغة',
      'kiosk.readAloud': 'القراءة بصوت عالٍ',
      'kiosk.help': 'مساعدة',
      'kiosk.closeHelp': 'إغلاق',
      'kiosk.next': 'التالي',
      'kiosk.back': 'السابق',
      'kiosk.send': 'إرسال الإجابات',
      'kiosk.progress': 'اكتمل {percent}٪',
      'kiosk.thanks': 'شكرًا!',
      'kiosk.listen': 'استمع',
    },
  },
  pl: {
    name: 'Polski',
    direction: 'ltr',
    mark: 'PL',
    words: {
      'kiosk.quickExit': 'Szybkie wyjście',
      'kiosk.language': 'Język',
      'kiosk.readAloud': 'Czytaj na głos',
      'kiosk.next': 'Dalej',
      'kiosk.back': 'Wstecz',
      'kiosk.listen': 'Słuchaj',
    },
  },
}

export interface TranslationFixture { code: string, name: string, direction: Direction, strings: Record<string, string> }

export function translationFixture (survey: JsonObject, code: 'ar' | 'pl'): TranslationFixture {
  const { name, direction, mark, words } = MARK[code]!
  const strings = Object.fromEntries(sourceTexts(survey, code).map((text) => {
    const given = words[text.key]
    if (given !== undefined) return [text.key, given]
    return [text.key, `${mark}: ${text.en}`]
  }))
  return { code, name, direction, strings }
}
