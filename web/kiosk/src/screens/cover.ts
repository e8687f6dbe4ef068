import { isBaseLanguage } from '../../../../survey-definitions/languages.js'
import { h } from '../../../shared/dom.js'
import { fetchHelp, fetchSurvey, fetchWave } from '../api.js'
import { loadAudio } from '../audio.js'
import { BOTH, words } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { fetchOfferedLanguages, loadLanguage } from '../language-packs.js'
import { CAN_SEAL, loadIntakeKey } from '../offline.js'
import { SurveySession, loadEngine } from '../survey-session.js'
import { showEnrol } from './enrolment.js'
import { setIdleArmed } from './idle.js'
import { helpButton, quickExitButton, setLang } from './kit.js'
import { TOKEN_KEY, state } from '../state.js'
import type { Prepared } from '../state.js'
import { markTestTablet, screen } from './layout.js'
import { showProblem } from './problem.js'
import { showPage } from './question-page.js'
import { showStaffStatus } from './staff.js'

/** The neutral cover: nothing on it says what the survey is about (anonymity rule 7). */
export function showCover (prepare = true): void {
  screen([quickExitButton(BOTH.quickExit), helpButton(BOTH.help)],
    h('div', { class: 'cover' },
      h('h1', {}, 'Hverdag og helse'),
      h('p', { lang: 'nb' }, BOTH.coverLead),
      h('button', { type: 'button', class: 'primary big', 'data-testid': 'start', onClick: showLanguage }, BOTH.start)),
    h('div', { class: 'staff-corner' },
      h('button', { type: 'button', class: 'staff-open', 'data-testid': 'staff-open', onClick: showStaffStatus }, BOTH.staff)))
  if (prepare) prepareSurvey()
}

export function prepareSurvey (): void {
  const token = localStorage.getItem(TOKEN_KEY)
  if (token === null) { showEnrol(); return }
  if (state.helpData === undefined) fetchHelp(token).then((help) => { state.helpData = help }, () => {})
  if (CAN_SEAL) state.intakeKey ??= loadIntakeKey()
  const prepared = (async () => {
    const wave = await fetchWave(token)
    state.testMode = wave.mode === 'test'
    state.languages = wave.languages
    fetchOfferedLanguages(token, wave)
    markTestTablet()
    const [{ definition }] = await Promise.all([fetchSurvey(wave.slug, wave.version), loadEngine(), loadAudio(wave.slug, wave.version)])
    return { wave, definition }
  })()
  state.prepared = prepared
  prepared.catch((error: unknown) => { if (state.prepared === prepared) showProblem(error) })
}

/**
 * The language picker: the wave's languages as big buttons, each named in its own script with its own `lang`
 * and `dir`; a draft (offered on test tablets only) says so on its button. From the cover it starts the
 * survey; from the bar's "language" button it changes the language and goes back where the respondent was,
 * answers kept.
 */
export function showLanguage (): void {
  if (state.langChosen) {
    const back = state.redraw
    // Without a connection a translation not fetched before cannot come: back, answers kept, in the language before.
    drawLanguages((code) => { switchLanguage(code).then(back, back) })
    return
  }
  // Ask again which wave is open: a tablet may have sat on the cover since yesterday. The engine stays loaded.
  prepareSurvey()
  const prepared = state.prepared
  const draw = (): void => {
    drawLanguages((code) => { beginSurvey(code).catch(showProblem) })
    state.redraw = draw
  }
  draw()
  // The wave's own list once it answers (its translations; its drafts on a test tablet), if the screen is still up.
  prepared?.then(() => { if (state.redraw === draw && state.prepared === prepared) draw() }, () => {})
}

function drawLanguages (choose: (code: Lang) => void): void {
  const chosen = state.langChosen
  const t = words(state.lang)
  const buttons = state.languages.map((language) => h('button', {
    type: 'button',
    class: 'primary big language-choice',
    lang: language.code,
    dir: language.direction,
    'data-testid': `language-${language.code}`,
    'aria-current': chosen && language.code === state.lang ? 'true' : undefined,
    onClick: () => { choose(language.code) },
  }, h('span', {}, language.name), language.status === 'draft' && h('span', { class: 'draft-mark', dir: 'ltr', 'data-testid': 'draft-mark' },
    h('span', { lang: 'nb' }, 'Utkast'), ' / ', h('span', { lang: 'en' }, 'Draft'))))
  screen(chosen ? [quickExitButton(t.quickExit), helpButton(t.help)] : [quickExitButton(BOTH.quickExit), helpButton(BOTH.help)],
    h('h1', {}, chosen ? t.chooseLanguage : 'Velg språk / Choose language'),
    h('div', { class: 'stack languages' }, ...buttons))
  setIdleArmed(true)
}

async function waveAndToken (): Promise<Prepared & { token: string }> {
  const token = localStorage.getItem(TOKEN_KEY)
  if (state.prepared === undefined) prepareSurvey()
  const prepared = await (state.prepared as Promise<Prepared>)
  if (token === null) throw new Error('the tablet is not enrolled')
  return { ...prepared, token }
}

export async function beginSurvey (lang: Lang): Promise<void> {
  state.langChosen = true
  try {
    const { wave, definition, token } = await waveAndToken()
    const translation = isBaseLanguage(lang) ? undefined : await loadLanguage(token, wave, lang)
    state.session = await SurveySession.start(definition, wave, lang, translation?.strings)
    setLang(lang)
    state.privacyChecked = false
    state.help = state.session.helpHtml
    showPage()
  } catch (error) {
    showProblem(error)
  }
}

/** Another language mid-survey (or on the thank-you): a translation not yet in the session is fetched and added. */
async function switchLanguage (lang: Lang): Promise<void> {
  const session = state.session
  if (!isBaseLanguage(lang) && session?.speaks(lang) !== true) {
    const { wave, token } = await waveAndToken()
    const translation = await loadLanguage(token, wave, lang)
    session?.addTranslation(lang, translation.strings)
  }
  setLang(lang)
  if (session !== undefined) state.help = session.helpHtml
}
