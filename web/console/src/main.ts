import type { SessionReply } from '../../../api/schemas/accounts.js'
import { ApiError } from '../../shared/api-client.js'
import { api, useSession } from './api.js'
import { h } from '../../shared/dom.js'
import { SCREENS, findScreen } from './screens/index.js'
import { passwordForm } from './screens/password.js'
import type { Context } from './screens/index.js'
import { announcer, field, form, input, Outcome } from './ui.js'

const app = document.getElementById('app') ?? document.body
let session: SessionReply | undefined
let keepAnnouncement = false

// ---- log in and out ---------------------------------------------------------------------------------------

function showLogin (notice?: string): void {
  session = undefined
  useSession(undefined)
  document.title = 'Log in · Prevalens console'
  const email = input({ type: 'email', name: 'email', autocomplete: 'username', required: true })
  const password = input({ type: 'password', name: 'password', autocomplete: 'current-password', required: true })
  const totp = input({ name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{6}', maxlength: 6 })
  // The code is asked for only once the API says this account needs it (admin and researcher).
  const totpField = field('6-digit code from your authenticator app', totp, 'It changes every 30 seconds; each code works once.')
  totpField.hidden = true
  const outcome = new Outcome()
  const loginForm = form({ 'aria-labelledby': 'login-title' }, [
    field('E-mail address', email),
    field('Password', password),
    totpField,
  ], 'Log in', async () => {
    const body = { email: email.value, password: password.value, ...(totpField.hidden ? {} : { totp: totp.value.replace(/\s/g, '') }) }
    try {
      const reply = await api.request('POST /api/session', { body })
      start(reply)
    } catch (error) {
      if (error instanceof ApiError && error.code === 'totp_required' && error.status === 401 && totpField.hidden) {
        totpField.hidden = false
        totp.required = true
        outcome.ok('This account needs its second factor: type the 6-digit code.')
        totp.focus()
        return
      }
      throw error
    }
  }, outcome)
  app.replaceChildren(
    h('header', { class: 'bar' }, h('span', { class: 'brand' }, 'Prevalens console')),
    h('main', { id: 'main', class: 'narrow' },
      h('h1', { id: 'login-title' }, 'Log in'),
      notice !== undefined && h('p', { role: 'alert', class: 'notice' }, notice),
      loginForm))
  email.focus()
}

async function logOut (): Promise<void> {
  await api.request('DELETE /api/session').catch(() => {})
  showLogin('You are logged out.')
}

// ---- the app shell ----------------------------------------------------------------------------------------

function start (reply: SessionReply): void {
  session = reply
  useSession(reply, (message) => { showLogin(message) })
  if (reply.mustChangePassword) {
    showForcedChange(reply)
    return
  }
  if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/')
  route()
}

/** After an admin's reset the API allows nothing else: the person chooses their own password first. */
function showForcedChange (reply: SessionReply): void {
  document.title = 'Choose a new password · Prevalens console'
  app.replaceChildren(
    h('header', { class: 'bar' },
      h('span', { class: 'brand' }, 'Prevalens console'),
      h('button', { type: 'button', 'data-testid': 'logout', onClick: () => { logOut().catch(() => {}) } }, 'Log out')),
    h('main', { id: 'main', class: 'narrow' },
      h('h1', {}, 'Choose a new password'),
      h('p', { class: 'notice', role: 'alert' }, 'An admin reset your password. Type the password they gave you, then one of your own; nothing else opens until then.'),
      passwordForm(reply.account, 'Save my new password', () => {
        api.request('GET /api/session').then((fresh) => {
          announcer.textContent = 'Your password is changed.'
          keepAnnouncement = true
          start(fresh)
        }, () => { showLogin('Log in with your new password.') })
      })))
  app.querySelector('input')?.focus()
}

const ROLE_NAMES: Record<string, string> = { admin: 'admin', researcher: 'researcher', site_staff: 'site staff', funder: 'funder', auditor: 'auditor' }

function shell (current: string): HTMLElement {
  const account = session?.account
  if (account === undefined) throw new Error('no session')
  const links = SCREENS.filter((screen) => screen.nav && screen.roles.includes(account.role))
  // The announcer moves into each new screen (the same node), so a message set just after a redraw is read out.
  const main = h('main', { id: 'main', tabindex: '-1' }, announcer)
  app.replaceChildren(
    h('header', { class: 'bar' },
      h('span', { class: 'brand' }, 'Prevalens console'),
      h('span', { class: 'who', 'data-testid': 'who' }, `${account.email} · `, h('strong', { 'data-testid': 'role' }, ROLE_NAMES[account.role] ?? account.role)),
      h('a', { href: '#/password', class: 'bar-link', 'data-testid': 'change-password', ...(current === 'password' ? { 'aria-current': 'page' } : {}) }, 'Change password'),
      h('button', { type: 'button', 'data-testid': 'logout', onClick: () => { logOut().catch(() => {}) } }, 'Log out')),
    h('nav', { class: 'menu', 'aria-label': 'Console' },
      h('ul', {}, ...links.map((screen) => h('li', {},
        h('a', { href: `#/${screen.path}`, ...(screen.path === current ? { 'aria-current': 'page' } : {}) }, screen.label))))),
    main)
  return main
}

/** Draws the screen the address names (#/sites, #/waves/<id>, …), or says plainly that this role may not see it. */
function route (): void {
  if (session === undefined) return
  const [path = '', ...args] = location.hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part))
  const screen = findScreen(path)
  const main = shell(screen?.path ?? '')
  const context: Context = { account: session.account, lang: 'en', main, reload: route, go: (to) => { keepAnnouncement = true; location.hash = `#/${to}` }, screens: SCREENS }
  if (screen === undefined) {
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page in the console.'))
    return
  }
  document.title = `${screen.label} · Prevalens console`
  if (!screen.roles.includes(session.account.role)) {
    main.append(h('h1', {}, screen.label), h('p', { role: 'alert' }, `A ${ROLE_NAMES[session.account.role] ?? ''} account may not use this page.`))
    return
  }
  screen.render(context, args).catch((error: unknown) => {
    const outcome = new Outcome()
    main.append(outcome.element)
    outcome.error(error)
  })
}

window.addEventListener('hashchange', () => {
  if (!location.hash.startsWith('#/')) return
  // A link followed clears the last message; a screen's own move after a change (context.go) keeps it.
  if (!keepAnnouncement) announcer.textContent = ''
  keepAnnouncement = false
  route()
  // A new screen: move focus to it, as a page load would, so a screen reader starts at its heading.
  document.getElementById('main')?.focus()
})

api.request('GET /api/session').then(start, () => { showLogin() })
