import { h } from '../../../shared/dom.js'
import { fetchHelp, fetchSurvey, fetchWave } from '../api.js'
import { loadAudio } from '../audio.js'
import { BOTH } from '../i18n.js'
import type { Lang } from '../i18n.js'
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
    markTestTablet()
    const [{ definition }] = await Promise.all([fetchSurvey(wave.slug, wave.version), loadEngine(), loadAudio(wave.slug, wave.version)])
    return { wave, definition }
  })()
  state.prepared = prepared
  prepared.catch((error: unknown) => { if (state.prepared === prepared) showProblem(error) })
}

export function showLanguage (): void {
  // Ask again which wave is open: a tablet may have sat on the cover since yesterday. The engine stays loaded.
  prepareSurvey()
  const choose = (lang: Lang) => () => { beginSurvey(lang).catch(showProblem) }
  screen([quickExitButton(BOTH.quickExit), helpButton(BOTH.help)],
    h('h1', {}, 'Velg språk / Choose language'),
    h('div', { class: 'stack' },
      h('button', { type: 'button', class: 'primary big', lang: 'nb', onClick: choose('nb') }, 'Norsk (bokmål)'),
      h('button', { type: 'button', class: 'primary big', lang: 'en', onClick: choose('en') }, 'English')))
  setIdleArmed(true)
}

export async function beginSurvey (lang: Lang): Promise<void> {
  setLang(lang)
  state.langChosen = true
  if (state.prepared === undefined) prepareSurvey()
  try {
    const { wave, definition } = await (state.prepared as Promise<Prepared>)
    state.session = await SurveySession.start(definition, wave, lang)
    state.privacyChecked = false
    state.help = state.session.helpHtml
    showPage()
  } catch (error) {
    showProblem(error)
  }
}
