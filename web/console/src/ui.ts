import { ApiError } from '../../shared/api-client.js'
import { h, nodes, uniqueId } from '../../shared/dom.js'
import type { Child, Props } from '../../shared/dom.js'
import { currentLang, errorSentence } from './i18n.js'

const WORDS = {
  nb: { working: 'Arbeider …', notDone: 'Ikke gjort: ', detail: 'Fra serveren: ', cancel: 'Avbryt', loading: 'Laster …', none: 'Ingen ennå.' },
  en: { working: 'Working …', notDone: 'Not done: ', detail: 'From the server: ', cancel: 'Cancel', loading: 'Loading …', none: 'None yet.' },
} as const

/** A labelled control with an optional hint; the hint is tied to the control with aria-describedby. */
export function field (label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  if (control.id === '') control.id = uniqueId('f')
  const hintId = `${control.id}-hint`
  if (hint !== undefined) control.setAttribute('aria-describedby', hintId)
  return h('div', { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint !== undefined && h('p', { class: 'hint', id: hintId }, hint))
}

export function input (props: Props = {}): HTMLInputElement {
  return h('input', { type: 'text', ...props })
}

export function select (options: Array<{ value: string, label: string }>, selected?: string, props: Props = {}): HTMLSelectElement {
  const element = h('select', props, ...options.map((option) => h('option', { value: option.value }, option.label)))
  if (selected !== undefined) element.value = selected
  return element
}

export function button (label: Child, onClick: (event: Event) => void, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...props, onClick }, label)
}

/**
 * The place a form reports back: errors are announced (role="alert", and focused so the reader lands on them),
 * successes are polite status messages. An API refusal shows its message and every problem it lists.
 */
export class Outcome {
  readonly element = h('div', { class: 'outcome', tabindex: '-1' })

  busy (text: string = WORDS[currentLang()].working): void {
    this.element.className = 'outcome'
    this.element.setAttribute('role', 'status')
    this.element.replaceChildren(text)
  }

  ok (...content: Child[]): void {
    this.element.className = 'outcome ok'
    this.element.setAttribute('role', 'status')
    this.element.replaceChildren(...nodes(...content))
  }

  error (error: unknown): void {
    this.element.className = 'outcome error'
    this.element.setAttribute('role', 'alert')
    const words = WORDS[currentLang()]
    const problems = error instanceof ApiError ? error.problems : []
    // An API refusal is named by its stable code in the UI's language; its English message (which names the
    // particular site, wave or field) follows as the detail. The code itself stays out of sight (data-code).
    if (error instanceof ApiError) this.element.dataset.code = error.code
    else delete this.element.dataset.code
    const message = error instanceof ApiError ? errorSentence(error.code) : error instanceof Error ? error.message : String(error)
    this.element.replaceChildren(...nodes(
      h('p', {}, h('strong', {}, words.notDone), message),
      error instanceof ApiError && error.message !== '' && h('p', { class: 'detail', 'data-testid': 'error-detail' }, words.detail, h('span', { lang: 'en' }, error.message)),
      problems.length > 0 && h('ul', { 'data-testid': 'problems' }, ...problems.map((problem) =>
        h('li', {}, [problem.file, problem.question].filter((part) => part !== undefined && part !== '').join(' › '), problem.file !== undefined || problem.question !== undefined ? ': ' : '', problem.problem)))))
    this.element.focus()
  }

  clear (): void {
    this.element.className = 'outcome'
    this.element.replaceChildren()
  }
}

/**
 * A form whose submit runs `action` once at a time: the button is disabled meanwhile and the outcome reports
 * what happened. Native validation (required, pattern) runs first, so the browser names the field.
 */
export function form (props: Props, children: Child[], submitLabel: string, action: () => Promise<void>, outcome = new Outcome()): HTMLFormElement {
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel)
  const element = h('form', { class: 'form', ...props }, ...children, h('div', { class: 'actions' }, submit), outcome.element)
  element.addEventListener('submit', (event) => {
    event.preventDefault()
    submit.disabled = true
    outcome.busy()
    action().then(() => { if (outcome.element.textContent === WORDS[currentLang()].working) outcome.clear() }, (error: unknown) => { outcome.error(error) })
      .finally(() => { submit.disabled = false })
  })
  return element
}

/** Asks before something that cannot be undone, in a modal dialog (keyboard: Escape cancels, focus starts on cancel). */
export async function confirmAction (question: string, confirmLabel: string): Promise<boolean> {
  return await new Promise((resolve) => {
    const titleId = uniqueId('confirm')
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId })
    const finish = (answer: boolean) => { dialog.close(); dialog.remove(); resolve(answer) }
    const cancel = button(WORDS[currentLang()].cancel, () => { finish(false) })
    dialog.append(
      h('h2', { id: titleId }, question),
      h('div', { class: 'actions' }, cancel, button(confirmLabel, () => { finish(true) }, { class: 'danger' })))
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false) })
    document.body.append(dialog)
    dialog.showModal()
    cancel.focus()
  })
}

export { formatDate, formatDateTime } from './i18n.js'

/** A table with a caption, header row and body rows (or "None yet."); cells are nodes or text. */
export function table (caption: string, headers: string[], rows: Child[][], props: Props = {}): HTMLTableElement {
  return h('table', props,
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...(rows.length === 0
      ? [h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, WORDS[currentLang()].none))]
      : rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell)))))))
}

/** A section with a heading at level 2. */
export function section (title: string, ...children: Child[]): HTMLElement {
  const id = uniqueId('s')
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children)
}

/** What a screen shows while it loads, and instead of itself when the API refuses. */
export function loading (): HTMLElement {
  return h('p', { role: 'status' }, WORDS[currentLang()].loading)
}

/**
 * One polite live region that outlives redraws (it is moved, never recreated), so "Created …" after a change
 * is read out even though the screen below it is drawn again.
 */
export const announcer = h('p', { role: 'status', class: 'announcer', 'data-testid': 'announce' })

export function announce (text: string): void {
  announcer.textContent = text
}
