import { h } from '../../../shared/dom.js'
import { words } from '../i18n.js'
import type { KioskWords, Lang } from '../i18n.js'
import { nav, quickExitButton } from './kit.js'
import { state } from '../state.js'

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
export const idle: { armed: boolean, timer?: ReturnType<typeof setTimeout>, tick?: ReturnType<typeof setInterval>, prompt?: HTMLDialogElement } = { armed: false }

/** Arms (a respondent's screen) or disarms (cover, enrolment, problems: nothing to discard) the idle timeout. */
export function setIdleArmed (armed: boolean): void {
  idle.armed = armed
  if (!armed) { clearTimeout(idle.timer); closeIdlePrompt(); return }
  if (idle.prompt === undefined) restartIdle()
}

export function restartIdle (): void {
  clearTimeout(idle.timer)
  if (idle.armed) idle.timer = setTimeout(showIdlePrompt, IDLE_MS)
}

export function closeIdlePrompt (): void {
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
export function showIdlePrompt (): void {
  const langs: readonly Lang[] = state.langChosen ? [state.lang] : ['nb', 'en']
  const say = (pick: (t: KioskWords) => string): string => langs.map((lang) => pick(words(lang))).join(' / ')
  const keepGoing = (): void => { closeIdlePrompt(); restartIdle() }
  const deadline = performance.now() + PROMPT_MS
  const countdown = h('div', { class: 'countdown', role: 'timer', 'data-testid': 'idle-countdown' })
  const tick = (): void => {
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000))
    countdown.replaceChildren(...langs.map((lang) => h('p', { lang }, words(lang).deletedIn(left))))
  }
  tick()
  const continueButton = h('button', { type: 'button', class: 'primary big', 'data-testid': 'idle-continue', onClick: keepGoing }, say((t) => t.continue))
  // Focus on "continue", not quick exit: a key pressed by someone coming back should not discard their answers.
  continueButton.autofocus = true
  const dialog = h('dialog', { class: 'help idle', role: 'alertdialog', 'aria-labelledby': 'idle-title', 'aria-describedby': 'idle-warning', 'data-testid': 'idle-prompt' },
    quickExitButton(say((t) => t.quickExit)),
    h('h1', { id: 'idle-title' }, say((t) => t.stillThere)),
    h('div', { id: 'idle-warning' }, ...langs.map((lang) => h('p', { lang }, words(lang).idleWarning))),
    countdown,
    continueButton)
  dialog.addEventListener('cancel', (event) => { event.preventDefault() })
  idle.prompt = dialog
  document.body.classList.add('idle-open')
  document.body.append(dialog)
  dialog.showModal()
  idle.timer = setTimeout(() => { nav.quickExit() }, PROMPT_MS)
  idle.tick = setInterval(tick, 250)
}

/** Any touch, key or scroll on the page restarts the idle timeout. */
export function watchActivity (): void {
  for (const type of ['pointerdown', 'keydown', 'input', 'scroll', 'wheel']) {
    // While the prompt is open only its button counts: a stray touch elsewhere is not an answer to it.
    document.addEventListener(type, () => { if (idle.prompt === undefined) restartIdle() }, { capture: true, passive: true })
  }
}
