import { ApiError } from '../../../shared/api-client.js'
import { h } from '../../../shared/dom.js'
import { enrolTablet } from '../api.js'
import { BOTH } from '../i18n.js'
import { quickExitButton } from './kit.js'
import { HOME, TOKEN_KEY } from '../state.js'
import { screen } from './layout.js'

export function showEnrol (message?: string): void {
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
