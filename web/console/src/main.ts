import type { SessionReply } from '../../../api/schemas/accounts.js'
import { ApiError } from '../../shared/api-client.js'
import { h } from '../../shared/dom.js'
import { api, useSession } from './api.js'
import { currentLang, label, loginLanguage, otherLang, rememberLanguage, ROLES, useLanguage, useTimeZone } from './i18n.js'
import type { Lang } from './i18n.js'
import { SCREENS, findScreen, screenLabel } from './screens/index.js'
import { passwordForm } from './screens/password.js'
import type { Context } from './screens/index.js'
import { announcer, field, form, input, Outcome } from './ui.js'

const TEXT = {
  nb: {
    brand: 'Prevalens konsoll',
    switchTo: 'English',
    switchLabel: 'Show the console in English',
    loginTitle: 'Logg inn',
    email: 'E-postadresse',
    password: 'Passord',
    code: '6-sifret kode fra autentiseringsappen',
    codeHint: 'Den endres hvert 30. sekund; hver kode virker én gang.',
    logIn: 'Logg inn',
    needsCode: 'Denne kontoen trenger andre faktor: skriv den 6-sifrede koden.',
    loggedOut: 'Du er logget ut.',
    logOut: 'Logg ut',
    changePassword: 'Endre passord',
    chooseTitle: 'Velg et nytt passord',
    chooseNotice: 'En administrator har tilbakestilt passordet ditt. Skriv passordet du fikk, og deretter ditt eget; ingenting annet åpnes før det er gjort.',
    chooseSave: 'Lagre det nye passordet',
    changed: 'Passordet ditt er endret.',
    logInWithNew: 'Logg inn med det nye passordet.',
    menu: 'Konsoll',
    notFound: 'Ikke funnet',
    noSuchPage: 'Det finnes ingen slik side i konsollen.',
    notForRole: (role: string) => `En konto med rollen ${role} kan ikke bruke denne siden.`,
    sessionGone: 'Økten er slutt; logg inn på nytt.',
    languageSaved: 'Konsollen vises nå på bokmål.',
  },
  en: {
    brand: 'Prevalens console',
    switchTo: 'Norsk',
    switchLabel: 'Vis konsollen på norsk (bokmål)',
    loginTitle: 'Log in',
    email: 'E-mail address',
    password: 'Password',
    code: '6-digit code from your authenticator app',
    codeHint: 'It changes every 30 seconds; each code works once.',
    logIn: 'Log in',
    needsCode: 'This account needs its second factor: type the 6-digit code.',
    loggedOut: 'You are logged out.',
    logOut: 'Log out',
    changePassword: 'Change password',
    chooseTitle: 'Choose a new password',
    chooseNotice: 'An admin reset your password. Type the password they gave you, then one of your own; nothing else opens until then.',
    chooseSave: 'Save my new password',
    changed: 'Your password is changed.',
    logInWithNew: 'Log in with your new password.',
    menu: 'Console',
    notFound: 'Not found',
    noSuchPage: 'There is no such page in the console.',
    notForRole: (role: string) => `A ${role} account may not use this page.`,
    sessionGone: 'Your session has ended; log in again.',
    languageSaved: 'The console is now shown in English.',
  },
} as const

const app = document.getElementById('app') ?? document.body
let session: SessionReply | undefined
let keepAnnouncement = false

/**
 * The language switch in the header: it names the other language in that language. Before login the choice is
 * remembered in this browser; with a session it is also stored with the account (PUT /api/session/language), so
 * every later login, on any browser, opens in it.
 */
function languageSwitch (redraw: () => void): HTMLButtonElement {
  const lang = currentLang()
  const other = otherLang(lang)
  return h('button', {
    type: 'button',
    class: 'lang-switch',
    lang: other,
    'aria-label': TEXT[lang].switchLabel,
    'data-testid': 'language-switch',
    onClick: () => {
      useLanguage(other)
      rememberLanguage(other)
      if (session === undefined) { redraw(); return }
      session = { ...session, language: other }
      api.request('PUT /api/session/language', { body: { language: other } }).then(() => {
        announcer.textContent = TEXT[other].languageSaved
        keepAnnouncement = true
        redraw()
      }, (error: unknown) => {
        redraw()
        const outcome = new Outcome()
        document.getElementById('main')?.prepend(outcome.element)
        outcome.error(error)
      })
    },
  }, TEXT[lang].switchTo)
}

// ---- log in and out ---------------------------------------------------------------------------------------

function showLogin (notice?: string): void {
  session = undefined
  useSession(undefined)
  useLanguage(loginLanguage())
  const t = TEXT[currentLang()]
  document.title = `${t.loginTitle} · ${t.brand}`
  const email = input({ type: 'email', name: 'email', autocomplete: 'username', required: true })
  const password = input({ type: 'password', name: 'password', autocomplete: 'current-password', required: true })
  const totp = input({ name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{6}', maxlength: 6 })
  // The code is asked for only once the API says this account needs it (admin and researcher).
  const totpField = field(t.code, totp, t.codeHint)
  totpField.hidden = true
  const outcome = new Outcome()
  const loginForm = form({ 'aria-labelledby': 'login-title' }, [
    field(t.email, email),
    field(t.password, password),
    totpField,
  ], t.logIn, async () => {
    const body = { email: email.value, password: password.value, ...(totpField.hidden ? {} : { totp: totp.value.replace(/\s/g, '') }) }
    try {
      const reply = await api.request('POST /api/session', { body })
      start(reply)
    } catch (error) {
      if (error instanceof ApiError && error.code === 'totp_required' && error.status === 401 && totpField.hidden) {
        totpField.hidden = false
        totp.required = true
        outcome.ok(t.needsCode)
        totp.focus()
        return
      }
      throw error
    }
  }, outcome)
  app.replaceChildren(
    h('header', { class: 'bar' }, h('span', { class: 'brand' }, t.brand), languageSwitch(() => { showLogin(notice) })),
    h('main', { id: 'main', class: 'narrow' },
      h('h1', { id: 'login-title' }, t.loginTitle),
      notice !== undefined && h('p', { role: 'alert', class: 'notice' }, notice),
      loginForm))
  email.focus()
}

async function logOut (): Promise<void> {
  await api.request('DELETE /api/session').catch(() => {})
  showLogin(TEXT[loginLanguage()].loggedOut)
}

// ---- the app shell ----------------------------------------------------------------------------------------

function start (reply: SessionReply): void {
  session = reply
  // The account's own choice wins; an account that never chose keeps the language its login was shown in.
  useLanguage(reply.language ?? currentLang())
  if (reply.language !== null) rememberLanguage(reply.language)
  useTimeZone(reply.studyTimeZone)
  useSession(reply, () => { showLogin(TEXT[currentLang()].sessionGone) })
  if (reply.mustChangePassword) {
    showForcedChange(reply)
    return
  }
  if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/')
  route()
}

/** After an admin's reset the API allows nothing else: the person chooses their own password first. */
function showForcedChange (reply: SessionReply): void {
  const t = TEXT[currentLang()]
  document.title = `${t.chooseTitle} · ${t.brand}`
  app.replaceChildren(
    h('header', { class: 'bar' },
      h('span', { class: 'brand' }, t.brand),
      languageSwitch(() => { showForcedChange(reply) }),
      h('button', { type: 'button', 'data-testid': 'logout', onClick: () => { logOut().catch(() => {}) } }, t.logOut)),
    h('main', { id: 'main', class: 'narrow' },
      h('h1', {}, t.chooseTitle),
      h('p', { class: 'notice', role: 'alert' }, t.chooseNotice),
      passwordForm(reply.account, currentLang(), t.chooseSave, () => {
        api.request('GET /api/session').then((fresh) => {
          announcer.textContent = TEXT[currentLang()].changed
          keepAnnouncement = true
          start(fresh)
        }, () => { showLogin(TEXT[currentLang()].logInWithNew) })
      })))
  app.querySelector('input')?.focus()
}

function shell (current: string, lang: Lang): HTMLElement {
  const account = session?.account
  if (account === undefined) throw new Error('no session')
  const t = TEXT[lang]
  const links = SCREENS.filter((screen) => screen.nav && screen.roles.includes(account.role))
  // The announcer moves into each new screen (the same node), so a message set just after a redraw is read out.
  const main = h('main', { id: 'main', tabindex: '-1' }, announcer)
  app.replaceChildren(
    h('header', { class: 'bar' },
      h('span', { class: 'brand' }, t.brand),
      h('span', { class: 'who', 'data-testid': 'who' }, `${account.email} · `, h('strong', { 'data-testid': 'role' }, label(ROLES, account.role, lang))),
      languageSwitch(route),
      h('a', { href: '#/password', class: 'bar-link', 'data-testid': 'change-password', ...(current === 'password' ? { 'aria-current': 'page' } : {}) }, t.changePassword),
      h('button', { type: 'button', 'data-testid': 'logout', onClick: () => { logOut().catch(() => {}) } }, t.logOut)),
    h('nav', { class: 'menu', 'aria-label': t.menu },
      h('ul', {}, ...links.map((screen) => h('li', {},
        h('a', { href: `#/${screen.path}`, ...(screen.path === current ? { 'aria-current': 'page' } : {}) }, screenLabel(screen, lang)))))),
    main)
  return main
}

/** Draws the screen the address names (#/sites, #/waves/<id>, …), or says plainly that this role may not see it. */
function route (): void {
  if (session === undefined) return
  const lang = currentLang()
  const t = TEXT[lang]
  const [path = '', ...args] = location.hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part))
  const screen = findScreen(path)
  const main = shell(screen?.path ?? '', lang)
  const context: Context = { account: session.account, main, reload: route, go: (to) => { keepAnnouncement = true; location.hash = `#/${to}` }, screens: SCREENS, lang }
  if (screen === undefined) {
    main.append(h('h1', {}, t.notFound), h('p', {}, t.noSuchPage))
    return
  }
  document.title = `${screenLabel(screen, lang)} · ${t.brand}`
  if (!screen.roles.includes(session.account.role)) {
    main.append(h('h1', {}, screenLabel(screen, lang)), h('p', { role: 'alert' }, t.notForRole(label(ROLES, session.account.role, lang))))
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

useLanguage(loginLanguage())
api.request('GET /api/session').then(start, () => { showLogin() })
