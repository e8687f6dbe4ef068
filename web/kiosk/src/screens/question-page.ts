import { h } from '../../../shared/dom.js'
import { readFirstQuestion } from '../audio.js'
import { words } from '../i18n.js'
import { questionView } from '../question-view.js'
import { setIdleArmed } from './idle.js'
import { surveyBar } from './kit.js'
import { state } from '../state.js'
import { screen } from './layout.js'
import { showPageOrPrivacyCheck } from './privacy-check.js'
import { showProblem } from './problem.js'
import { send } from './send.js'

export function showPage (focusId?: string): void {
  const session = state.session
  if (session === undefined) return
  const t = words(state.lang)
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
  if (focusId === undefined) { readNewPage(session.page.name); return }
  document.getElementById(focusId)?.focus()
  revealFollowUp(views.find((view) => !before.has(view.dataset.question)))
}

/** The page (in its language) read out last by read-aloud: a redraw of it, for an answer say, is not read again. */
let lastRead = ''

/** With read-aloud on, a page the respondent has just come to has its first question read out at once. */
function readNewPage (name: string): void {
  const now = `${name}:${state.lang}`
  if (!state.readAloud || now === lastRead) return
  lastRead = now
  readFirstQuestion()
}

/** A follow-up question that appeared below the fold is scrolled into view; at once where less motion is asked for. */
export function revealFollowUp (view: HTMLElement | undefined): void {
  if (view === undefined) return
  const box = view.getBoundingClientRect()
  if (box.top >= 0 && box.bottom <= window.innerHeight) return
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches
  view.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'nearest' })
}
