import type { PasswordChangeBody } from '../../../../api/schemas/accounts.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { field, form, input, Outcome } from '../ui.js'
import type { Account, Context } from './context.js'

const NEEDS_CODE: ReadonlySet<string> = new Set(['admin', 'researcher'])

/**
 * The form to choose a new password: the current one (and a fresh code, for accounts with a second factor)
 * proves it is the owner at the keyboard. The server judges the new password and says why it refuses one.
 */
export function passwordForm (account: Account, submitLabel: string, done: () => void): HTMLFormElement {
  const current = input({ type: 'password', name: 'current-password', autocomplete: 'current-password', required: true })
  const next = input({ type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 256 })
  const again = input({ type: 'password', name: 'repeat-password', autocomplete: 'new-password', required: true })
  const totp = input({ name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{6}', maxlength: 6, required: true })
  const needsCode = NEEDS_CODE.has(account.role)
  const outcome = new Outcome()
  return form({ 'data-testid': 'password-form' }, [
    field('Current password', current),
    field('New password', next, 'At least 12 characters. A few unrelated words, or one from a password manager, make a strong one; common passwords, names and places are refused.'),
    field('New password again', again),
    needsCode ? field('6-digit code from your authenticator app', totp, 'A fresh one: a code works once.') : null,
  ], submitLabel, async () => {
    if (next.value !== again.value) {
      outcome.error(new Error('the two new passwords differ; type the same one twice'))
      again.focus()
      return
    }
    const body: PasswordChangeBody = { currentPassword: current.value, newPassword: next.value, ...(needsCode ? { totp: totp.value.replace(/\s/g, '') } : {}) }
    await api.post('/api/session/password', body)
    for (const control of [current, next, again, totp]) control.value = ''
    done()
  }, outcome)
}

/** Account › Change password, for every role. */
export async function renderChangePassword (context: Context): Promise<void> {
  const done = h('p', { role: 'status', 'data-testid': 'password-changed' })
  context.main.append(
    h('h1', {}, 'Change password'),
    h('p', {}, `For ${context.account.email}. Your other sessions (other browsers, other computers) end when it is changed.`),
    passwordForm(context.account, 'Change password', () => { done.textContent = 'Your password is changed, and your other sessions have ended.' }),
    done)
}
