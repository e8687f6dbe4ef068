import type { PasswordChangeBody } from '../../../../api/schemas/accounts.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import type { Lang } from '../i18n.js'
import { field, form, input, Outcome } from '../ui.js'
import type { Account, Context } from './context.js'

const NEEDS_CODE: ReadonlySet<string> = new Set(['admin', 'researcher'])

const TEXT = {
  nb: {
    current: 'Nåværende passord',
    next: 'Nytt passord',
    nextHint: 'Minst 12 tegn. Noen ord som ikke hører sammen, eller ett fra en passordbehandler, gir et sterkt passord; vanlige passord, navn og steder avvises.',
    again: 'Nytt passord en gang til',
    code: '6-sifret kode fra autentiseringsappen',
    codeHint: 'En ny en: hver kode virker én gang.',
    differ: 'de to nye passordene er ulike; skriv det samme to ganger',
    title: 'Endre passord',
    intro: (email: string) => `For ${email}. De andre øktene dine (andre nettlesere, andre datamaskiner) avsluttes når passordet endres.`,
    submit: 'Endre passord',
    done: 'Passordet ditt er endret, og de andre øktene dine er avsluttet.',
  },
  en: {
    current: 'Current password',
    next: 'New password',
    nextHint: 'At least 12 characters. A few unrelated words, or one from a password manager, make a strong one; common passwords, names and places are refused.',
    again: 'New password again',
    code: '6-digit code from your authenticator app',
    codeHint: 'A fresh one: a code works once.',
    differ: 'the two new passwords differ; type the same one twice',
    title: 'Change password',
    intro: (email: string) => `For ${email}. Your other sessions (other browsers, other computers) end when it is changed.`,
    submit: 'Change password',
    done: 'Your password is changed, and your other sessions have ended.',
  },
} as const

/**
 * The form to choose a new password: the current one (and a fresh code, for accounts with a second factor)
 * proves it is the owner at the keyboard. The server judges the new password and says why it refuses one.
 */
export function passwordForm (account: Account, lang: Lang, submitLabel: string, done: () => void): HTMLFormElement {
  const t = TEXT[lang]
  const current = input({ type: 'password', name: 'current-password', autocomplete: 'current-password', required: true })
  const next = input({ type: 'password', name: 'new-password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 256 })
  const again = input({ type: 'password', name: 'repeat-password', autocomplete: 'new-password', required: true })
  const totp = input({ name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{6}', maxlength: 6, required: true })
  const needsCode = NEEDS_CODE.has(account.role)
  const outcome = new Outcome()
  return form({ 'data-testid': 'password-form' }, [
    field(t.current, current),
    field(t.next, next, t.nextHint),
    field(t.again, again),
    needsCode ? field(t.code, totp, t.codeHint) : null,
  ], submitLabel, async () => {
    if (next.value !== again.value) {
      outcome.error(new Error(t.differ))
      again.focus()
      return
    }
    const body: PasswordChangeBody = { currentPassword: current.value, newPassword: next.value, ...(needsCode ? { totp: totp.value.replace(/\s/g, '') } : {}) }
    await api.request('POST /api/session/password', { body })
    for (const control of [current, next, again, totp]) control.value = ''
    done()
  }, outcome)
}

/** Account › Change password, for every role. */
export async function renderChangePassword (context: Context): Promise<void> {
  const t = TEXT[context.lang]
  const done = h('p', { role: 'status', 'data-testid': 'password-changed' })
  context.main.append(
    h('h1', {}, t.title),
    h('p', {}, t.intro(context.account.email)),
    passwordForm(context.account, context.lang, t.submit, () => { done.textContent = t.done }),
    done)
}
