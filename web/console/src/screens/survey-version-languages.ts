import type { InvalidTranslationReply, TranslationWarning, VersionLanguage } from '../../../../api/schemas/survey-version-languages.js'
import { ApiError } from '../../../shared/api-client.js'
import { h, nodes, uniqueId } from '../../../shared/dom.js'
import { api } from '../api.js'
import type { Lang } from '../i18n.js'
import { announce, button, field, form, formatDate, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

/** A translation's language code: two or three lower-case letters, not bokmål or English (they are in the survey itself). */
const CODE_PATTERN = '(?!nb$|en$)[a-z]{2,3}'

const TEXT = {
  nb: {
    title: 'Språk',
    intro: 'Bokmål og engelsk står i selve skjemaet. Et nytt språk legges til slik: last ned tekstene til oversettelse (XLIFF, som oversetterverktøy åpner), last opp den oversatte filen – den lagres som utkast og vises bare på testnettbrett – og merk den gjennomgått når en som snakker språket flytende har sjekket hver tekst. Først da tilbys den i åpne bølger. Ordene i et gjennomgått språk endres aldri: nye ord blir en ny versjon.',
    caption: 'Språk i denne versjonen',
    cols: ['Språk', 'Kode', 'Retning', 'Status', 'Gjennomgått av', 'Gjennomgått den', 'Komplett', ''],
    direction: { ltr: 'venstre til høyre', rtl: 'høyre til venstre' },
    status: { draft: 'utkast', reviewed: 'gjennomgått' },
    base: 'i skjemaet',
    yes: 'ja',
    no: (missing: number) => `nei (${missing} mangler)`,
    markReviewed: (name: string) => `Merk ${name} som gjennomgått`,
    download: 'Last ned til oversettelse (XLIFF)',
    downloadIntro: 'For et nytt språk: skriv språkkoden. For et språk versjonen har, får filen ordene den har, til retting.',
    code: 'Språkkode',
    codeHint: 'to eller tre små bokstaver (ISO 639), for eksempel pl, uk, ar',
    source: 'Oversett fra',
    sources: { en: 'engelsk', nb: 'bokmål' },
    downloadButton: 'Last ned XLIFF',
    upload: 'Last opp oversettelse',
    uploadIntro: 'Filen sjekkes i sin helhet: hver tekst oversatt, plassholdere som {seconds} og HTML-merker beholdt. Ingenting lagres hvis noe er galt.',
    name: 'Språkets navn på eget språk',
    nameHint: 'slik respondenten ser det i språkvalget, for eksempel Polski',
    file: 'Oversatt fil (XLIFF)',
    uploadButton: 'Sjekk og last opp',
    stored: { added: (name: string) => `${name} er lagret som utkast.`, replaced: (name: string) => `Utkastet for ${name} er erstattet.`, unchanged: (name: string) => `${name} var allerede lagret med nøyaktig disse ordene.` },
    problems: (n: number) => `Filen ble ikke lagret: ${n} ${n === 1 ? 'problem' : 'problemer'}.`,
    warnings: 'Se over (kan godtas): ',
    reviewTitle: (name: string) => `Merk ${name} som gjennomgått`,
    reviewer: 'Hvem gjennomgikk den',
    reviewerHint: 'navnet på den som sjekket tekstene',
    confirmFluent: (name: string) => `En som snakker ${name} flytende, har sjekket hver tekst i denne versjonen – spørsmålene og nettbrettets egne ord.`,
    confirmReview: 'Merk som gjennomgått',
    cancel: 'Avbryt',
    reviewed: (name: string) => `${name} er merket gjennomgått og tilbys nå i åpne bølger.`,
  },
  en: {
    title: 'Languages',
    intro: 'Bokmål and English are in the survey itself. A new language is added like this: download the texts for translation (XLIFF, which translation tools open), upload the translated file — it is stored as a draft and shown on test tablets only — and mark it reviewed once a fluent speaker has checked every text. Only then is it offered in open waves. A reviewed language\'s words never change: new words are a new version.',
    caption: 'Languages of this version',
    cols: ['Language', 'Code', 'Direction', 'Status', 'Reviewed by', 'Reviewed on', 'Complete', ''],
    direction: { ltr: 'left to right', rtl: 'right to left' },
    status: { draft: 'draft', reviewed: 'reviewed' },
    base: 'in the survey',
    yes: 'yes',
    no: (missing: number) => `no (${missing} missing)`,
    markReviewed: (name: string) => `Mark ${name} reviewed`,
    download: 'Download for translation (XLIFF)',
    downloadIntro: 'For a new language, type its code. For a language the version has, the file brings its words, to revise.',
    code: 'Language code',
    codeHint: 'two or three lower-case letters (ISO 639), e.g. pl, uk, ar',
    source: 'Translate from',
    sources: { en: 'English', nb: 'bokmål' },
    downloadButton: 'Download XLIFF',
    upload: 'Upload translation',
    uploadIntro: 'The file is checked whole: every text translated, placeholders such as {seconds} and HTML tags kept. Nothing is stored if anything is wrong.',
    name: 'The language\'s name in its own script',
    nameHint: 'as the respondent sees it in the language choice, e.g. Polski',
    file: 'Translated file (XLIFF)',
    uploadButton: 'Check and upload',
    stored: { added: (name: string) => `Stored ${name} as a draft.`, replaced: (name: string) => `Replaced the draft of ${name}.`, unchanged: (name: string) => `${name} was already stored with exactly these words.` },
    problems: (n: number) => `The file was not stored: ${n} ${n === 1 ? 'problem' : 'problems'}.`,
    warnings: 'Look at (may be accepted): ',
    reviewTitle: (name: string) => `Mark ${name} reviewed`,
    reviewer: 'Who reviewed it',
    reviewerHint: 'the name of the person who checked the texts',
    confirmFluent: (name: string) => `A fluent speaker of ${name} has checked every text of this version — the questions and the tablet's own words.`,
    confirmReview: 'Mark reviewed',
    cancel: 'Cancel',
    reviewed: (name: string) => `${name} is marked reviewed and is now offered in open waves.`,
  },
} as const

type Words = typeof TEXT[Lang]

/**
 * A survey version's languages (researcher, admin): the table of its languages with their review, a download of
 * the texts as XLIFF for a translator, the upload of the translated file (a draft), and the review of a draft.
 */
export async function languagesSection (context: Context, version: { id: number, slug: string, version: number }): Promise<HTMLElement> {
  const t = TEXT[context.lang]
  const holder = h('div', {})
  let known: VersionLanguage[] = []
  const draw = async (): Promise<void> => {
    const { languages } = await api.request('GET /api/survey-versions/:id/languages', { params: { id: version.id } })
    known = languages
    holder.replaceChildren(languageTable(languages, t, (language) => { review(language).catch(() => {}) }))
  }
  const review = async (language: VersionLanguage): Promise<void> => {
    if (await reviewDialog(language, version.id, t)) {
      await draw()
      announce(t.reviewed(language.name))
    }
  }
  await draw()
  return section(t.title,
    h('p', {}, t.intro),
    holder,
    downloadForm(version.id, t),
    uploadForm(version.id, t, draw, () => known))
}

function languageTable (languages: VersionLanguage[], t: Words, review: (language: VersionLanguage) => void): HTMLTableElement {
  return table(t.caption, [...t.cols], languages.map((language) => [
    // The name in its own script and direction, so a screen reader and the browser render it as that language.
    h('span', { lang: language.code, dir: language.direction }, language.name),
    h('code', {}, language.code),
    t.direction[language.direction],
    h('span', { 'data-testid': 'language-status' }, language.base ? `${t.status[language.status]} (${t.base})` : t.status[language.status]),
    language.reviewedBy === null ? '' : h('span', { 'data-testid': 'reviewed-by' }, language.reviewedBy),
    language.reviewedOn === null ? '' : h('time', { datetime: language.reviewedOn }, formatDate(language.reviewedOn)),
    language.complete ? t.yes : t.no(language.missing),
    language.status === 'draft' ? button(t.markReviewed(language.name), () => { review(language) }, { class: 'small' }) : '',
  ]), { 'data-testid': 'languages' })
}

/** The XLIFF download is a link (the session's cookie goes with it), followed once the form is valid. */
function downloadForm (id: number, t: Words): HTMLElement {
  const code = input({ name: 'xliff-code', required: true, pattern: CODE_PATTERN, maxlength: 3, autocomplete: 'off', spellcheck: 'false' })
  const source = select([{ value: 'en', label: t.sources.en }, { value: 'nb', label: t.sources.nb }], 'en', { name: 'xliff-source' })
  return h('div', {},
    h('h3', {}, t.download),
    h('p', {}, t.downloadIntro),
    form({ 'data-testid': 'xliff-download' }, [field(t.code, code, t.codeHint), field(t.source, source)], t.downloadButton, async () => {
      const link = h('a', { href: `/api/survey-versions/${id}/languages/${encodeURIComponent(code.value)}/xliff?source=${source.value}`, download: '' })
      document.body.append(link)
      link.click()
      link.remove()
    }))
}

function uploadForm (id: number, t: Words, redraw: () => Promise<void>, known: () => VersionLanguage[]): HTMLElement {
  const code = input({ name: 'upload-code', required: true, pattern: CODE_PATTERN, maxlength: 3, autocomplete: 'off', spellcheck: 'false' })
  const name = input({ name: 'upload-name', required: true, maxlength: 60 })
  // A new file for a language the version has (a draft's corrections): its name as stored, unless one is typed.
  code.addEventListener('change', () => {
    const stored = known().find((language) => language.code === code.value && !language.base)
    if (stored !== undefined && name.value.trim() === '') name.value = stored.name
  })
  const file = input({ name: 'upload-file', type: 'file', required: true, accept: '.xlf,.xliff,application/xliff+xml,application/xml,text/xml' })
  const outcome = new Outcome()
  return h('div', {},
    h('h3', {}, t.upload),
    h('p', {}, t.uploadIntro),
    form({ 'data-testid': 'xliff-upload' }, [field(t.code, code, t.codeHint), field(t.name, name, t.nameHint), field(t.file, file)], t.uploadButton, async () => {
      const chosen = file.files?.[0]
      if (chosen === undefined) return
      try {
        const reply = await api.request('POST /api/survey-versions/:id/languages/:code/xliff', {
          params: { id, code: code.value }, body: { xliff: await chosen.text(), name: name.value.trim() },
        })
        await redraw()
        outcome.ok(h('p', {}, t.stored[reply.outcome](`${reply.language.name} (${reply.language.code})`)), warningList(reply.warnings, t))
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'invalid_translation') throw error
        const refusal = error.reply as InvalidTranslationReply
        // The code's sentence says to see the list; the list names each key (the API's words, in English).
        outcome.error(new ApiError(error.status, error.code, ''))
        outcome.element.append(...nodes(
          h('p', {}, t.problems(refusal.problems.length)),
          h('ul', { 'data-testid': 'translation-problems' }, ...refusal.problems.map((problem) =>
            h('li', {}, problem.key === undefined ? '' : h('code', {}, problem.key), problem.key === undefined ? '' : ' ', h('span', { lang: 'en' }, problem.problem)))),
          warningList(refusal.warnings, t)))
      }
    }, outcome))
}

function warningList (warnings: TranslationWarning[], t: Words): HTMLElement | false {
  return warnings.length > 0 && h('div', { 'data-testid': 'translation-warnings' },
    h('p', {}, t.warnings),
    h('ul', {}, ...warnings.map((warning) => h('li', {}, h('code', {}, warning.key), ' ', h('span', { lang: 'en' }, warning.warning)))))
}

/**
 * Asks who reviewed the draft and that a fluent speaker checked every text (both required), then marks it
 * reviewed. Resolves true once the API has; false on cancel. Escape cancels; focus starts on the name.
 */
async function reviewDialog (language: VersionLanguage, id: number, t: Words): Promise<boolean> {
  return await new Promise((resolve) => {
    const titleId = uniqueId('review')
    const reviewer = input({ name: 'reviewer', required: true, maxlength: 200, pattern: '.*\\S.*', autocomplete: 'name' })
    const checkId = uniqueId('fluent')
    const fluent = h('input', { type: 'checkbox', id: checkId, name: 'fluent', required: true })
    const outcome = new Outcome()
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId, 'data-testid': 'review-dialog' })
    const finish = (answer: boolean): void => { dialog.close(); dialog.remove(); resolve(answer) }
    const body = form({}, [
      field(t.reviewer, reviewer, t.reviewerHint),
      h('div', { class: 'field inline' }, fluent, h('label', { for: checkId }, t.confirmFluent(language.name))),
    ], t.confirmReview, async () => {
      await api.request('POST /api/survey-versions/:id/languages/:code/review', { params: { id, code: language.code }, body: { reviewer: reviewer.value.trim(), checksum: language.checksum ?? '' } })
      finish(true)
    }, outcome)
    body.querySelector('.actions')?.prepend(button(t.cancel, () => { finish(false) }))
    dialog.append(h('h2', { id: titleId }, t.reviewTitle(language.name)), body)
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false) })
    document.body.append(dialog)
    dialog.showModal()
    reviewer.focus()
  })
}
