import type { Model as SurveyModel, PageModel, Question } from 'survey-core'
import type { KioskWaveReply } from '../../../api/schemas/kiosk.js'
import { withTranslation } from '../../../survey-definitions/languages.js'
import type { Lang } from './i18n.js'

type JsonObject = Record<string, unknown>
/** The survey JSON as the served version has it (plain JSON, from GET /api/surveys/:slug/versions/:version). */
type JsonDefinition = Parameters<typeof withTranslation>[0]

/** The survey engine is the heavy part of the kiosk: it is loaded after the cover is shown, never before. */
export const loadEngine = async (): Promise<typeof import('survey-core')> => await import('survey-core')

/**
 * One respondent's pass through the instrument, held in memory only. survey-core's Model owns the answers,
 * the skip logic (visibleIf, clearInvisibleValues) and the paging; this class only adapts it for the view.
 */
export class SurveySession {
  readonly id: string
  private model: SurveyModel | undefined

  /** null on a test tablet: its answers go to the test responses, never to a wave. */
  readonly waveId: string | null
  /** The page the privacy check comes before: the served version's own (survey-definitions/<slug>/instrument.json). */
  readonly privacyCheckBefore: string

  /** The survey JSON the model was made from, with every translation added so far (withTranslation). */
  private definition: JsonObject
  /** The languages the definition has beyond bokmål and English. */
  private readonly translated = new Set<Lang>()
  /** The instrument's help page in each language the definition has. */
  helpHtml: Record<Lang, string>

  private constructor (private readonly Model: typeof SurveyModel, definition: JsonObject, wave: Pick<KioskWaveReply, 'waveId' | 'privacyCheckBefore'>, lang: Lang) {
    this.definition = definition
    const { model, help } = this.build(lang)
    this.model = model
    this.helpHtml = help
    this.id = randomUuid()
    this.waveId = wave.waveId
    this.privacyCheckBefore = wave.privacyCheckBefore
  }

  /**
   * `translation`: a language beyond bokmål and English, with its strings (GET /api/kiosk/languages/:code),
   * added to the survey JSON so survey-core shows it with `model.locale = code`.
   */
  static async start (definition: JsonObject, wave: Pick<KioskWaveReply, 'waveId' | 'privacyCheckBefore'>, lang: Lang, translation?: Readonly<Record<string, string>>): Promise<SurveySession> {
    const { Model } = await loadEngine()
    const json = translation === undefined ? definition : withTranslation(definition as JsonDefinition, lang, translation)
    const session = new SurveySession(Model, json, wave, lang)
    if (translation !== undefined) session.translated.add(lang)
    return session
  }

  private build (lang: Lang): { model: SurveyModel, help: Record<Lang, string> } {
    const { survey, help } = splitHelpPage(this.definition, [...this.translated, lang])
    const model = new this.Model(survey)
    model.locale = lang
    return { model, help }
  }

  private get live (): SurveyModel {
    if (this.model === undefined) throw new Error('this survey session was discarded')
    return this.model
  }

  /** Whether the session can show `lang` without its strings: bokmål, English, or a translation it has. */
  speaks (lang: Lang): boolean { return lang === 'nb' || lang === 'en' || this.translated.has(lang) }

  setLang (lang: Lang): void { this.live.locale = lang }

  /**
   * Adds a translation picked mid-survey. survey-core takes its texts only from the JSON a model is made from,
   * so the model is made again with them, and given the answers and the page: nothing answered is lost.
   */
  addTranslation (lang: Lang, strings: Readonly<Record<string, string>>): void {
    const old = this.live
    this.definition = withTranslation(this.definition as JsonDefinition, lang, strings)
    this.translated.add(lang)
    const { model, help } = this.build(lang)
    model.data = old.data as Record<string, unknown>
    const page = model.pages.find((candidate) => candidate.name === old.currentPage?.name)
    if (page !== undefined) model.currentPage = page
    old.dispose()
    this.model = model
    this.helpHtml = help
  }

  get page (): PageModel { return this.live.currentPage as PageModel }
  /**
   * How far through the instrument this page is, in per cent: the pages before it out of all pages, hidden ones
   * included. Counting visible pages made the total grow when an answer revealed follow-up pages ("10 of 26"
   * became "10 of 28"); with a fixed total a skipped page only moves the bar on, and it never moves back.
   */
  get progress (): number {
    const pages = this.live.pages
    return pages.length === 0 ? 0 : Math.floor(100 * pages.indexOf(this.page) / pages.length)
  }

  get isFirst (): boolean { return this.live.isFirstPage }
  get isLast (): boolean { return this.live.isLastPage }
  get visibleQuestions (): Question[] { return this.page.questions.filter((question) => question.isVisible) }

  /** Whether the current page is the named page or comes after it in the instrument (false if there is none). */
  isAtOrAfter (pageName: string): boolean {
    const pages = this.live.pages
    const at = pages.findIndex((page) => page.name === pageName)
    return at >= 0 && pages.indexOf(this.page) >= at
  }

  next (): void { this.live.nextPage() }
  back (): void { this.live.prevPage() }

  /** Only the answers to questions that are shown: survey-core drops a hidden question's answer at once. */
  get answers (): Record<string, unknown> { return { ...this.live.data as Record<string, unknown> } }

  /** Drops the model and with it every answer. */
  discard (): void {
    this.model?.dispose()
    this.model = undefined
  }
}

/**
 * A last page holding only html (the instrument's "where to get help") is not a survey step: the kiosk shows
 * it on the thank-you screen instead, and in the help dialog from every survey screen.
 */
function splitHelpPage (definition: JsonObject, translations: readonly Lang[]): { survey: JsonObject, help: Record<Lang, string> } {
  const pages = Array.isArray(definition.pages) ? definition.pages as JsonObject[] : []
  const last = pages.at(-1)
  const elements = Array.isArray(last?.elements) ? last.elements as JsonObject[] : []
  if (elements.length === 0 || !elements.every((element) => element.type === 'html')) return { survey: definition, help: {} }
  const text = (lang: Lang) => elements.map((element) => inLanguage(element.html, lang)).join('')
  const help = Object.fromEntries(['nb', 'en', ...translations].map((lang) => [lang, text(lang)]))
  return { survey: { ...definition, pages: pages.slice(0, -1) }, help }
}

/** A SurveyJS localisable string in `lang`, else its default, else English; '' when there is none. */
function inLanguage (value: unknown, lang: Lang): string {
  if (typeof value === 'string') return value
  if (typeof value !== 'object' || value === null) return ''
  const texts = value as Record<string, unknown>
  const text = texts[lang] ?? texts.default ?? texts.en
  return typeof text === 'string' ? text : ''
}

/** crypto.randomUUID needs a secure context; the fallback keeps the kiosk working on a plain-http LAN test. */
function randomUuid (): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
