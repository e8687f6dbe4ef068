import type { KioskHelpReply, KioskWaveReply } from '../../../api/schemas/kiosk.js'
import { ApiError } from '../../shared/api-client.js'
import { enrolTablet, fetchHelp, fetchIntakeKey, fetchSurvey, fetchWave, submitAnswers } from './api.js'
import { h, sanitisedHtml } from '../../shared/dom.js'
import type { Child } from '../../shared/dom.js'
import { BOTH, TEXT } from './i18n.js'
import type { Lang } from './i18n.js'
import { questionView } from './question-view.js'
import { loadAudio, playButton, stopAudio } from './audio.js'
import { kioskClip } from '../../../survey-definitions/audio-keys.js'
import { SurveySession, loadEngine } from './survey-session.js'
import { importIntakeKey, sealResponse } from './seal.js'
import type { IntakeKey } from './seal.js'
import { Uploader, waitingCount } from './upload-queue.js'

/** The device token is the tablet's, not the respondent's: the only thing the kiosk keeps in storage. */
const TOKEN_KEY = 'kiosk.device'
const HOME = location.pathname.replace(/[^/]*$/, '')
const app = document.getElementById('app') ?? document.body

interface Prepared { wave: KioskWaveReply, definition: Record<string, unknown> }

/** Everything about the current respondent lives in this object, in memory, and dies with the page. */
const state: {
  lang: Lang
  textSize: number
  prepared?: Promise<Prepared>
  session?: SurveySession
  help?: Record<Lang, string>
  /** Where to get help, from the API (the site's county first); not about the respondent, fetched with the cover. */
  helpData?: KioskHelpReply
  /** The respondent said they can answer undisturbed (asked once, before the first violence page). */
  privacyChecked: boolean
  /** Whether the respondent has chosen a language; until then the kiosk speaks bokmål and English side by side. */
  langChosen: boolean
  /** The server's public key to seal a completed response with; undefined when it could not be had. */
  intakeKey?: Promise<IntakeKey | undefined>
  redraw: () => void
} = { lang: 'nb', textSize: 0, privacyChecked: false, langChosen: false, redraw: () => {} }

// ---- offline: service worker and the sealed upload queue -------------------------------------------------

/** Sealing and the queue need WebCrypto and IndexedDB (a secure context): without them, the old in-memory send. */
const CAN_SEAL = globalThis.isSecureContext && crypto.subtle !== undefined && typeof indexedDB !== 'undefined'
/** How long the respondent's "send" waits for the server before the thank-you says the answers will follow. */
const SEND_WAIT_MS = 8000
const uploader = CAN_SEAL ? new Uploader(() => localStorage.getItem(TOKEN_KEY), () => { drawStaffStatus() }) : undefined

function loadIntakeKey (): Promise<IntakeKey | undefined> {
  const key = fetchIntakeKey().then(importIntakeKey).catch(() => undefined)
  key.then((loaded) => { if (loaded === undefined && state.intakeKey === key) state.intakeKey = undefined }, () => {})
  return key
}

/** The staff's status, where it is open (showStaffStatus): how many responses wait to be sent; no time, no content. */
function drawStaffStatus (): void {
  const line = document.querySelector('[data-testid="staff-status"]')
  if (line === null) return
  if (!CAN_SEAL) { line.textContent = BOTH.staffNoQueue; return }
  waitingCount().then((waiting) => { line.textContent = BOTH.staffStatus(waiting) }, () => { line.textContent = '' })
}

/** How long the staff's status stays open if nobody closes it: the next respondent should not find it. */
const STAFF_STATUS_MS = 30_000

/**
 * Staff's status sits behind a deliberate gesture: the discreet "Ansatte / Staff" control on the cover, then a
 * confirmation that it is for staff. It shows a count only: when the last upload went is exactly what the next
 * person at the tablet must not learn (when the previous one finished), so no time is kept or shown.
 */
function showStaffStatus (): void {
  const dialog = h('dialog', { class: 'help staff', 'aria-labelledby': 'staff-title', 'data-testid': 'staff-dialog' })
  const close = (): void => { dialog.close() }
  const timer = setTimeout(close, STAFF_STATUS_MS)
  dialog.addEventListener('close', () => { clearTimeout(timer); dialog.remove() })
  const closeButton = (): HTMLButtonElement => h('button', { type: 'button', class: 'secondary', 'data-testid': 'staff-close', onClick: close }, BOTH.close)
  const show = (): void => {
    dialog.replaceChildren(quickExitButton(BOTH.quickExit),
      h('h1', { id: 'staff-title' }, BOTH.staffTitle),
      h('p', { role: 'status', 'data-testid': 'staff-status' }),
      closeButton())
    drawStaffStatus()
  }
  dialog.replaceChildren(quickExitButton(BOTH.quickExit),
    h('h1', { id: 'staff-title' }, BOTH.staffTitle),
    h('p', {}, BOTH.staffConfirm),
    h('div', { class: 'stack' },
      h('button', { type: 'button', class: 'primary', 'data-testid': 'staff-confirm', onClick: show }, BOTH.staffShow),
      closeButton()))
  document.body.append(dialog)
  dialog.showModal()
}

/**
 * The service worker (sw.ts) caches the kiosk and what it needs to start. On the first visit the page was
 * loaded before the worker took control, so what it fetched then is fetched once more through the worker.
 */
function startOffline (): void {
  uploader?.flush().catch(() => {})
  if (!('serviceWorker' in navigator)) return
  const hadController = navigator.serviceWorker.controller !== null
  // updateViaCache 'all': the browser's check for a new worker revalidates sw.js (304 when unchanged), no download.
  navigator.serviceWorker.register(`${HOME}sw.js`, { scope: HOME, updateViaCache: 'all' }).catch(() => {})
  if (hadController) return
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    const token = localStorage.getItem(TOKEN_KEY)
    if (token === null) return
    fetchWave(token).then(async (wave) => await fetchSurvey(wave.slug, wave.version)).catch(() => {})
    fetchHelp(token).catch(() => {})
    fetchIntakeKey().catch(() => {})
  }, { once: true })
}

/**
 * The violence section of hverdag v1 starts on this page, right after the background questions. The published
 * instrument stays as it is: the kiosk asks its privacy check before the first page at or after this one.
 */
const PRIVACY_CHECK_BEFORE = 'page_violence_intro'

// ---- quick exit -----------------------------------------------------------------------------------------

/**
 * Drops the answers and the DOM at once, shows the neutral cover, then reloads the kiosk in place of this
 * history entry (location.replace), so nothing is left in memory and there is nothing to go back to.
 */
function quickExit (): void {
  setIdleArmed(false)
  state.session?.discard()
  state.session = undefined
  state.help = undefined
  for (const dialog of Array.from(document.querySelectorAll('dialog'))) dialog.remove()
  app.replaceChildren()
  document.documentElement.lang = 'nb'
  document.title = TEXT.nb.studyName
  delete document.documentElement.dataset.textSize
  showCover(false)
  location.replace(HOME)
}

/**
 * Escape is quick exit on every screen, and in the idle prompt. Inside the help or staff dialog it closes that
 * dialog instead: whoever opened help expects Escape to put it away, and quick exit stays one touch away at the
 * dialog's top. (In the idle prompt the only other answer is "continue", which Escape does not mean.)
 */
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return
  const dialog = document.querySelector<HTMLDialogElement>('dialog[open]')
  if (idle.prompt === undefined && dialog !== null) {
    event.preventDefault()
    dialog.close()
    return
  }
  quickExit()
})

// ---- idle timeout ---------------------------------------------------------------------------------------

/**
 * After IDLE_MS without a touch, key or scroll on a respondent's screen, a prompt asks whether they are still
 * there; PROMPT_MS later without "continue" the kiosk does exactly what quick exit does. Defaults 90 s and
 * 15 s. Tests shorten them with `?idle=SECONDS&prompt=SECONDS`, read once here at load: quick exit and every
 * reset reload the bare `/kiosk/`, so a shortened timeout never outlives the page it was opened with.
 */
const timing = new URLSearchParams(location.search)
const seconds = (name: string, fallback: number): number => {
  const value = Number(timing.get(name) ?? Number.NaN)
  return Number.isFinite(value) && value > 0 && value <= 3600 ? value : fallback
}
const IDLE_MS = seconds('idle', 90) * 1000
const PROMPT_MS = seconds('prompt', 15) * 1000
const idle: { armed: boolean, timer?: ReturnType<typeof setTimeout>, tick?: ReturnType<typeof setInterval>, prompt?: HTMLDialogElement } = { armed: false }

/** Arms (a respondent's screen) or disarms (cover, enrolment, problems: nothing to discard) the idle timeout. */
function setIdleArmed (armed: boolean): void {
  idle.armed = armed
  if (!armed) { clearTimeout(idle.timer); closeIdlePrompt(); return }
  if (idle.prompt === undefined) restartIdle()
}

function restartIdle (): void {
  clearTimeout(idle.timer)
  if (idle.armed) idle.timer = setTimeout(showIdlePrompt, IDLE_MS)
}

function closeIdlePrompt (): void {
  clearInterval(idle.tick)
  idle.prompt?.remove()
  idle.prompt = undefined
  document.body.classList.remove('idle-open')
}

/**
 * "Are you still there?", with the seconds left and what happens then. The page behind is hidden, not dimmed:
 * whoever walks up to a forgotten tablet must not read the question or the answer chosen. Before a language is
 * chosen it speaks both.
 */
function showIdlePrompt (): void {
  const langs: readonly Lang[] = state.langChosen ? [state.lang] : ['nb', 'en']
  const say = (pick: (t: (typeof TEXT)[Lang]) => string): string => langs.map((lang) => pick(TEXT[lang])).join(' / ')
  const keepGoing = (): void => { closeIdlePrompt(); restartIdle() }
  const deadline = performance.now() + PROMPT_MS
  const countdown = h('div', { class: 'countdown', role: 'timer', 'data-testid': 'idle-countdown' })
  const tick = (): void => {
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000))
    countdown.replaceChildren(...langs.map((lang) => h('p', { lang }, TEXT[lang].deletedIn(left))))
  }
  tick()
  const continueButton = h('button', { type: 'button', class: 'primary big', 'data-testid': 'idle-continue', onClick: keepGoing }, say((t) => t.continue))
  // Focus on "continue", not quick exit: a key pressed by someone coming back should not discard their answers.
  continueButton.autofocus = true
  const dialog = h('dialog', { class: 'help idle', role: 'alertdialog', 'aria-labelledby': 'idle-title', 'aria-describedby': 'idle-warning', 'data-testid': 'idle-prompt' },
    quickExitButton(say((t) => t.quickExit)),
    h('h1', { id: 'idle-title' }, say((t) => t.stillThere)),
    h('div', { id: 'idle-warning' }, ...langs.map((lang) => h('p', { lang }, TEXT[lang].idleWarning))),
    countdown,
    continueButton)
  dialog.addEventListener('cancel', (event) => { event.preventDefault() })
  idle.prompt = dialog
  document.body.classList.add('idle-open')
  document.body.append(dialog)
  dialog.showModal()
  idle.timer = setTimeout(quickExit, PROMPT_MS)
  idle.tick = setInterval(tick, 250)
}

for (const type of ['pointerdown', 'keydown', 'input', 'scroll', 'wheel']) {
  // While the prompt is open only its button counts: a stray touch elsewhere is not an answer to it.
  document.addEventListener(type, () => { if (idle.prompt === undefined) restartIdle() }, { capture: true, passive: true })
}

const quickExitButton = (label: string): HTMLButtonElement =>
  h('button', { type: 'button', class: 'quick-exit', 'data-testid': 'quick-exit', onClick: quickExit }, label)

// ---- screens --------------------------------------------------------------------------------------------

function screen (header: Child[], ...main: Child[]): void {
  setIdleArmed(false)
  stopAudio()
  app.replaceChildren(
    h('header', { class: 'bar' }, ...header),
    h('main', { id: 'main' }, ...main)
  )
  state.redraw = () => {}
}

function showEnrol (message?: string): void {
  const code = h('input', { id: 'enrol-code', name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '32' })
  const label = h('input', { id: 'enrol-label', name: 'label', autocomplete: 'off', maxlength: '100' })
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'enrol-status' }, message ?? '')
  const form = h('form', { class: 'stack' },
    h('label', { for: 'enrol-code' }, BOTH.code), code,
    h('label', { for: 'enrol-label' }, BOTH.label), label,
    h('button', { type: 'submit', class: 'primary' }, BOTH.enrol),
    status)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    status.textContent = '…'
    enrolTablet(code.value, label.value).then((reply) => {
      localStorage.setItem(TOKEN_KEY, reply.token)
      screen([quickExitButton(BOTH.quickExit)],
        h('h1', {}, BOTH.enrolled(reply.siteName)),
        h('button', { type: 'button', class: 'primary', onClick: () => { location.replace(HOME) } }, 'OK'))
    }, (error: unknown) => { status.textContent = (error instanceof ApiError ? BOTH.enrolRefused[error.code] : undefined) ?? BOTH.enrolFailed })
  })
  screen([quickExitButton(BOTH.quickExit)], h('h1', {}, BOTH.enrolTitle), h('p', {}, BOTH.enrolLead), form)
}

/** The neutral cover: nothing on it says what the survey is about (anonymity rule 7). */
function showCover (prepare = true): void {
  screen([quickExitButton(BOTH.quickExit), helpButton(BOTH.help)],
    h('div', { class: 'cover' },
      h('h1', {}, 'Hverdag og helse'),
      h('p', { lang: 'nb' }, BOTH.coverLead),
      h('button', { type: 'button', class: 'primary big', 'data-testid': 'start', onClick: showLanguage }, BOTH.start)),
    h('div', { class: 'staff-corner' },
      h('button', { type: 'button', class: 'staff-open', 'data-testid': 'staff-open', onClick: showStaffStatus }, BOTH.staff)))
  if (prepare) prepareSurvey()
}

function prepareSurvey (): void {
  const token = localStorage.getItem(TOKEN_KEY)
  if (token === null) { showEnrol(); return }
  if (state.helpData === undefined) fetchHelp(token).then((help) => { state.helpData = help }, () => {})
  if (CAN_SEAL) state.intakeKey ??= loadIntakeKey()
  const prepared = (async () => {
    const wave = await fetchWave(token)
    const [{ definition }] = await Promise.all([fetchSurvey(wave.slug, wave.version), loadEngine(), loadAudio(wave.slug, wave.version)])
    return { wave, definition }
  })()
  state.prepared = prepared
  prepared.catch((error: unknown) => { if (state.prepared === prepared) showProblem(error) })
}

function showProblem (error: unknown): void {
  const code = error instanceof ApiError ? error.code : 'internal'
  const enrolAgain = h('button', { type: 'button', class: 'primary', onClick: () => { localStorage.removeItem(TOKEN_KEY); location.replace(HOME) } }, BOTH.enrolAgain)
  const retry = h('button', { type: 'button', class: 'primary', onClick: () => { location.replace(HOME) } }, BOTH.tryAgain)
  const message = code === 'device_revoked'
    ? BOTH.revoked
    : code === 'device_unknown' || code === 'unauthorized'
      ? BOTH.unknownDevice
      : code === 'no_open_wave' ? BOTH.noWave : BOTH.offline
  const revokedOrUnknown = code === 'device_revoked' || code === 'device_unknown' || code === 'unauthorized'
  screen([quickExitButton(BOTH.quickExit)],
    h('h1', {}, 'Hverdag og helse'),
    h('p', { role: 'alert', class: 'problem', 'data-testid': 'problem' }, message),
    revokedOrUnknown ? enrolAgain : retry)
}

function showLanguage (): void {
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

async function beginSurvey (lang: Lang): Promise<void> {
  setLang(lang)
  state.langChosen = true
  if (state.prepared === undefined) prepareSurvey()
  try {
    const { wave, definition } = await (state.prepared as Promise<Prepared>)
    state.session = await SurveySession.start(definition, wave.waveId, lang)
    state.privacyChecked = false
    state.help = state.session.helpHtml
    showPage()
  } catch (error) {
    showProblem(error)
  }
}

function setLang (lang: Lang): void {
  state.lang = lang
  document.documentElement.lang = lang
  document.title = TEXT[lang].studyName
  state.session?.setLang(lang)
}

/** Quick exit first in focus order; then language, text size and help, on every screen once a language is chosen. */
function surveyBar (): Child[] {
  const t = TEXT[state.lang]
  const other: Lang = state.lang === 'nb' ? 'en' : 'nb'
  const size = (step: number) => () => {
    state.textSize = Math.min(3, Math.max(0, state.textSize + step))
    document.documentElement.dataset.textSize = String(state.textSize)
  }
  return [
    quickExitButton(t.quickExit),
    h('span', { class: 'study' }, t.studyName),
    h('button', { type: 'button', lang: other, 'aria-label': t.otherLanguageLabel, onClick: () => { setLang(other); state.redraw() } }, t.otherLanguage),
    // The visible "A−" stays part of the accessible name (WCAG 2.5.3); the words are for screen readers.
    h('button', { type: 'button', onClick: size(-1) }, 'A−', h('span', { class: 'sr-only' }, ` ${t.smaller}`)),
    h('button', { type: 'button', onClick: size(1) }, 'A+', h('span', { class: 'sr-only' }, ` ${t.larger}`)),
    helpButton(t.help),
  ]
}

const helpButton = (label: string): HTMLButtonElement => h('button', { type: 'button', 'data-testid': 'open-help', onClick: showHelp }, label)

/**
 * The help dialog, from every screen. Its top bar holds quick exit (red) and "close" (same size, not red) and stays
 * in view while the help scrolls. Before a language is chosen it shows both languages; after, the respondent's,
 * with a button for the other.
 */
function showHelp (): void {
  let lang = state.lang
  const dialog = h('dialog', { class: 'help', 'aria-labelledby': 'help-title', 'data-testid': 'help-dialog' })
  dialog.addEventListener('close', () => { dialog.remove() })
  const draw = (): void => {
    const both = !state.langChosen
    const t = TEXT[lang]
    const other: Lang = lang === 'nb' ? 'en' : 'nb'
    const close = h('button', { type: 'button', class: 'close-help', 'data-testid': 'close-help', onClick: () => { dialog.close() } },
      h('span', { class: 'close-icon' }, '✕'), ` ${both ? BOTH.close : t.closeHelp}`)
    close.querySelector('.close-icon')?.setAttribute('aria-hidden', 'true')
    close.autofocus = true
    if (both) dialog.removeAttribute('lang')
    else dialog.lang = lang
    dialog.replaceChildren(
      h('div', { class: 'dialog-bar' },
        quickExitButton(both ? BOTH.quickExit : t.quickExit),
        !both && h('button', { type: 'button', class: 'dialog-lang', lang: other, 'aria-label': t.otherLanguageLabel, onClick: () => { lang = other; draw() } }, t.otherLanguage),
        close),
      h('h1', { id: 'help-title', class: 'sr-only' }, both ? BOTH.help : t.help),
      helpContent(both ? ['nb', 'en'] : [lang]))
  }
  draw()
  document.body.append(dialog)
  dialog.showModal()
}

/** Where to get help, in each of `langs` (bokmål first), under one section. */
function helpContent (langs: readonly Lang[] = [state.lang]): HTMLElement {
  return h('section', { class: 'help-content', 'data-testid': 'help' },
    ...langs.map((lang) => h('div', { class: 'help-lang', lang }, ...helpParts(lang))))
}

/** Helplines, then crisis centres by county (the site's first) with what each says about active substance use. */
function helpParts (lang: Lang): Child[] {
  const t = TEXT[lang]
  const data = state.helpData
  if (data === undefined) {
    // The API could not be asked (no connection): the instrument's own help page, or the emergency numbers.
    const html = state.help?.[lang] ?? ''
    return [html === '' ? h('p', {}, t.fallbackHelp) : h('div', { class: 'html-block' }, sanitisedHtml(html))]
  }
  const latest = data.lines.map((line) => line.checked).sort().at(-1) ?? ''
  return [
    h('h2', {}, t.helpTitle),
    h('ul', { class: 'help-lines' }, ...data.lines.map((line) =>
      h('li', {}, h('strong', {}, line.name[lang]), ' ', h('span', { class: 'contact' }, line.contact), h('br'), line.description[lang]))),
    h('p', { class: 'checked' }, `(${t.checked(latest)})`),
    h('h2', {}, t.crisisCentres),
    ...data.counties.map((county) => h('section', { class: 'help-county', 'data-testid': 'help-county', 'data-county': county.number },
      h('h3', {}, county.name),
      county.centres.length === 0
        ? h('p', {}, t.noCentreChecked)
        : h('ul', {}, ...county.centres.map((centre) => h('li', {},
          h('strong', {}, centre.name), h('br'),
          `${t.women}: ${t.policy[centre.activeSubstanceUse.women]}. ${t.men}: ${t.policy[centre.activeSubstanceUse.men]}. (${t.checked(centre.checked)})`))))),
    h('p', {}, data.note[lang]),
  ]
}

function showPage (focusId?: string): void {
  const session = state.session
  if (session === undefined) return
  const t = TEXT[state.lang]
  const done = session.progress
  const progress = h('progress', { 'aria-label': t.progress(done) })
  progress.max = 100
  progress.value = done
  // The questions on screen before this redraw: an answer that reveals a follow-up redraws the same page.
  const before = new Set(Array.from(document.querySelectorAll<HTMLElement>('[data-question]'), (element) => element.dataset.question))
  const views = session.visibleQuestions.map((question) => {
    const view = questionView(question, (id) => { showPage(id) }, state.lang)
    view.dataset.question = question.name
    return view
  })
  const nav = h('nav', { class: 'nav' },
    !session.isFirst && h('button', { type: 'button', class: 'secondary', onClick: () => { session.back(); showPage() } }, t.back),
    session.isLast
      ? h('button', { type: 'button', class: 'primary', 'data-testid': 'send', onClick: () => { send().catch(showProblem) } }, t.send)
      : h('button', { type: 'button', class: 'primary', 'data-testid': 'next', onClick: () => { session.next(); showPageOrPrivacyCheck() } }, t.next))
  screen(surveyBar(),
    h('div', { class: 'progress' }, h('span', { 'data-testid': 'progress-text' }, t.progress(done)), progress),
    h('h1', { class: 'sr-only' }, t.studyName),
    h('div', { class: 'page', 'data-testid': 'page', 'data-page': session.page.name }, ...views),
    h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'send-status' }),
    nav)
  state.redraw = () => { showPage() }
  setIdleArmed(true)
  if (focusId === undefined) return
  document.getElementById(focusId)?.focus()
  revealFollowUp(views.find((view) => !before.has(view.dataset.question)))
}

/** A follow-up question that appeared below the fold is scrolled into view; at once where less motion is asked for. */
function revealFollowUp (view: HTMLElement | undefined): void {
  if (view === undefined) return
  const box = view.getBoundingClientRect()
  if (box.top >= 0 && box.bottom <= window.innerHeight) return
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches
  view.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'nearest' })
}

function showPageOrPrivacyCheck (): void {
  if (!state.privacyChecked && state.session?.isAtOrAfter(PRIVACY_CHECK_BEFORE) === true) showPrivacyCheck()
  else showPage()
}

/** "Can you answer undisturbed now?": stop is quick exit; continue shows the first violence page. Neutral words. */
function showPrivacyCheck (): void {
  const t = TEXT[state.lang]
  screen(surveyBar(),
    h('div', { class: 'cover', 'data-testid': 'privacy-check' },
      h('h1', {}, t.privacyTitle),
      playButton([kioskClip('privacy_check')], state.lang),
      h('p', {}, t.privacyLead),
      h('div', { class: 'stack' },
        h('button', { type: 'button', class: 'primary big', 'data-testid': 'privacy-continue', onClick: () => { state.privacyChecked = true; showPage() } }, t.privacyContinue),
        h('button', { type: 'button', class: 'secondary big', 'data-testid': 'privacy-stop', onClick: quickExit }, t.privacyStop))))
  state.redraw = showPrivacyCheck
  setIdleArmed(true)
}

async function send (): Promise<void> {
  const session = state.session
  const token = localStorage.getItem(TOKEN_KEY)
  if (session === undefined || token === null) return
  const t = TEXT[state.lang]
  const status = document.getElementById('send-status')
  const button = document.querySelector<HTMLButtonElement>('[data-testid="send"]')
  if (button !== null) button.disabled = true
  if (status !== null) status.textContent = t.sending
  if (await sendSealed(session)) return
  try {
    await submitAnswers(token, { id: session.id, waveId: session.waveId, answers: session.answers })
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'device_revoked' || error.code === 'device_unknown')) {
      session.discard()
      state.session = undefined
      showProblem(error)
      return
    }
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) {
      // Refused for good (the wave closed, say): trying again cannot help. Drop the answers, still show help.
      session.discard()
      state.session = undefined
      showThanks('notAccepted')
      return
    }
    // The answers stay in memory only, under the same id, so a retry cannot store them twice.
    if (status !== null) { status.textContent = t.sendFailed; status.setAttribute('role', 'alert') }
    if (button !== null) { button.disabled = false; button.textContent = t.tryAgain }
    return
  }
  session.discard()
  state.session = undefined
  showThanks()
}

/**
 * Seals the response and writes it to the queue, drops the answers from memory, then sends: the thank-you
 * follows the server's answer or, after SEND_WAIT_MS or without a connection, says the answers will follow.
 * False when it could not be sealed or stored (no key, no storage): the caller then sends from memory.
 */
async function sendSealed (session: SurveySession): Promise<boolean> {
  const intakeKey = await state.intakeKey
  if (intakeKey === undefined || uploader === undefined) return false
  let outcome: Promise<'sent' | 'refused' | 'waiting'>
  try {
    const sealed = await sealResponse(intakeKey, { id: session.id, waveId: session.waveId, answers: session.answers })
    outcome = (await uploader.submit(sealed)).outcome
  } catch {
    return false
  }
  session.discard()
  state.session = undefined
  const waited = await Promise.race([outcome, new Promise<'waiting'>((resolve) => { setTimeout(() => { resolve('waiting') }, SEND_WAIT_MS) })])
  showThanks(waited === 'sent' ? undefined : waited === 'refused' ? 'notAccepted' : 'savedForLater')
  return true
}

function showThanks (note?: 'notAccepted' | 'savedForLater'): void {
  const t = TEXT[state.lang]
  screen(surveyBar().filter((child) => !(child instanceof HTMLButtonElement && child.textContent === t.help)),
    h('h1', {}, t.thanks),
    h('p', note === 'notAccepted' ? { role: 'alert' } : {}, note === undefined ? t.thanksText : t[note]),
    helpContent(),
    h('button', { type: 'button', class: 'primary big', 'data-testid': 'done', onClick: () => { location.replace(HOME) } }, t.done))
  state.redraw = () => { showThanks(note) }
  setIdleArmed(true)
}

// ---- start ----------------------------------------------------------------------------------------------

if (localStorage.getItem(TOKEN_KEY) === null) showEnrol()
else showCover()
startOffline()
