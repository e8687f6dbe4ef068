import type { SessionReply } from '../../../api/schemas/accounts.js'
import type { ReleaseDetail, ReleaseSummary } from '../../../api/schemas/releases.js'
import { ApiError } from '../../shared/api-client.js'
import { currentSession, fetchPublicRelease, fetchRelease, listReleases, logIn, logOut } from './api.js'
import { fill, h } from '../../shared/dom.js'
import { day } from './format.js'
import { TEXT } from './i18n.js'
import type { Texts } from './i18n.js'
import { parseState, stateSearch } from './state.js'
import type { ViewState } from './state.js'
import type { ViewContext } from './views/context.js'
import { exploreView } from './views/explore.js'
import { sourceLine } from './views/figure.js'
import { overviewView } from './views/overview.js'

/** The roles the results routes admit (GET /api/releases: api/routes/releases.ts). */
const READERS = ['funder', 'researcher', 'admin']

type Refusal = keyof Texts['refusals']
type Outcome =
  | { kind: 'release', detail: ReleaseDetail, choices: ReleaseSummary[] }
  | { kind: 'login' }
  | { kind: 'refused', reason: Refusal }
  | { kind: 'empty' }

let state: ViewState = parseState(location.search)
/** undefined: not asked yet; null: not logged in. */
let session: SessionReply | null | undefined
const details = new Map<string, Promise<ReleaseDetail>>()
let everyRelease: Promise<ReleaseDetail[]> | undefined

const app = document.getElementById('app') as HTMLElement

const detailOf = async (id: string): Promise<ReleaseDetail> => {
  const cached = details.get(id) ?? fetchRelease(id)
  details.set(id, cached)
  cached.catch(() => details.delete(id))
  return await cached
}

const refusedBy = (error: unknown, reason: Refusal): Outcome => {
  if (error instanceof ApiError && error.code === 'network') return { kind: 'refused', reason: 'network' }
  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return { kind: 'refused', reason }
  if (error instanceof ApiError && error.status === 403) return { kind: 'refused', reason: 'role' }
  throw error
}

/** What the address asks for, as the API allows it: a public link's release, or a logged-in reader's. */
async function resolve (): Promise<Outcome> {
  if (state.link !== undefined) {
    try {
      return { kind: 'release', detail: await fetchPublicRelease(state.link), choices: [] }
    } catch (error) {
      return refusedBy(error, 'link')
    }
  }
  if (session === undefined) {
    try {
      session = await currentSession()
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) return refusedBy(error, 'network')
      session = null
    }
  }
  if (session === null) return { kind: 'login' }
  if (!READERS.includes(session.account.role)) return { kind: 'refused', reason: 'role' }
  try {
    const { releases } = await listReleases(state.wave)
    const id = state.release ?? releases[0]?.id
    if (id === undefined) return { kind: 'empty' }
    try {
      return { kind: 'release', detail: await detailOf(id), choices: releases }
    } catch (error) {
      return refusedBy(error, 'release')
    }
  } catch (error) {
    return refusedBy(error, 'wave')
  }
}

function navigate (next: Partial<ViewState>, replace = false): void {
  const merged = { ...state, ...next }
  state = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as ViewState
  const url = `${location.pathname}${stateSearch(state)}`
  if (replace) history.replaceState(null, '', url)
  else history.pushState(null, '', url)
  rerender()
}

/** A link within the app: a real address (it can be copied or opened in a new tab), followed without a reload. */
function navLink (text: string, next: Partial<ViewState>, attributes: Record<string, string> = {}): HTMLAnchorElement {
  const target = { ...state, ...next }
  return h('a', {
    href: `${location.pathname}${stateSearch(target)}`,
    ...attributes,
    onClick: (event) => {
      const mouse = event as MouseEvent
      if (mouse.ctrlKey || mouse.metaKey || mouse.shiftKey) return
      event.preventDefault()
      navigate(next)
    },
  }, text)
}

function header (t: Texts, loggedIn: boolean, showViews: boolean): HTMLElement {
  const other = state.lang === 'nb' ? 'en' : 'nb'
  const current = (view: ViewState['view']): Record<string, string> => state.view === view ? { 'aria-current': 'page' } : {}
  return h('header', { class: 'bar no-print' },
    h('span', { class: 'brand' }, 'Prevalens'),
    showViews
      ? h('nav', { 'aria-label': t.appTitle },
        navLink(t.overview, { view: 'overview' }, current('overview')),
        navLink(t.explore, { view: 'explore' }, current('explore')))
      : null,
    h('span', { class: 'spacer' }),
    navLink(t.otherLanguage, { lang: other }, { lang: other, hreflang: other, 'aria-label': t.otherLanguageLabel, 'data-testid': 'language' }),
    showViews ? h('button', { type: 'button', 'data-testid': 'print', onClick: () => { window.print() } }, t.print) : null,
    loggedIn
      ? h('button', {
        type: 'button',
        onClick: () => {
          logOut().catch(() => {}).finally(() => {
            session = null
            details.clear()
            everyRelease = undefined
            navigate({ release: undefined, wave: undefined })
          })
        },
      }, t.logOut)
      : null)
}

function loginView (t: Texts): HTMLElement {
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'login-error' })
  const field = (id: string, label: string, type: string, autocomplete: string, required: boolean) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, type, autocomplete, required }))
  const form = h('form', {
    class: 'login',
    onSubmit: (event) => {
      event.preventDefault()
      const data = new FormData(form)
      logIn(String(data.get('email') ?? ''), String(data.get('password') ?? ''), String(data.get('totp') ?? ''))
        .then((reply) => { session = reply; rerender() })
        // The API's message is English: the reader is told in their own language.
        .catch((error: unknown) => { message.textContent = error instanceof ApiError && error.status === 401 ? t.loginWrong : t.refusals.network })
    },
  },
  field('email', t.email, 'email', 'username', true),
  field('password', t.password, 'password', 'current-password', true),
  field('totp', t.totp, 'text', 'one-time-code', false),
  h('button', { type: 'submit', class: 'primary' }, t.login),
  message)
  return h('main', { id: 'main' }, h('h1', {}, t.appTitle), h('p', {}, t.loginIntro), form)
}

function releaseChooser (t: Texts, detail: ReleaseDetail, choices: readonly ReleaseSummary[]): HTMLElement | null {
  if (choices.length < 2 && detail.release.status === 'current') return null
  const options = choices.some((choice) => choice.id === detail.release.id) ? choices : [detail.release, ...choices]
  return h('div', { class: 'field chooser no-print' },
    h('label', { for: 'release-select' }, t.chooseRelease),
    h('select', {
      id: 'release-select',
      onChange: (event) => { navigate({ release: (event.target as HTMLSelectElement).value, wave: undefined }) },
    }, ...options.map((choice) => h('option', { value: choice.id, selected: choice.id === detail.release.id },
      `${choice.waveName} (${day(state.lang, choice.opensOn)} – ${day(state.lang, choice.closesOn)})`))))
}

function releaseView (t: Texts, detail: ReleaseDetail, choices: readonly ReleaseSummary[]): HTMLElement {
  let figures = 0
  let tables = 0
  const ctx: ViewContext = {
    lang: state.lang,
    t,
    state,
    detail,
    loggedIn: session !== null && session !== undefined && state.link === undefined,
    navigate,
    allReleases: async () => {
      everyRelease ??= listReleases().then(async ({ releases }) => await Promise.all(releases.map(async (release) => await detailOf(release.id))))
      return await everyRelease
    },
    nextFigure: () => (figures += 1),
    nextTable: () => (tables += 1),
  }
  return h('main', { id: 'main', 'data-release': detail.release.id },
    h('h1', {}, `${detail.release.waveName}: ${state.view === 'explore' ? t.explore.toLowerCase() : t.overview.toLowerCase()}`),
    releaseChooser(t, detail, choices),
    detail.release.status === 'superseded' ? h('p', { class: 'notice', role: 'status' }, t.superseded) : null,
    state.view === 'explore' ? exploreView(ctx) : overviewView(ctx),
    h('footer', { class: 'report-source' }, h('p', {}, sourceLine(ctx)),
      // Whether the figures are weighted, and who was left out as a repeat, in the reader's language.
      ...detail.notes.map((note) => h('p', { class: 'release-note', 'data-testid': 'release-note' }, note[state.lang]))))
}

async function render (): Promise<void> {
  const t = TEXT[state.lang]
  document.documentElement.lang = state.lang
  document.title = t.appTitle
  // The page shown stays until the next is ready (no flash of "loading" on every choice); tests wait for data-ready.
  app.dataset.ready = ''
  app.setAttribute('aria-busy', 'true')
  if (app.childElementCount === 0) fill(app, h('main', { id: 'main' }, h('p', {}, t.loading)))
  const outcome = await resolve()
  const loggedIn = session !== null && session !== undefined && state.link === undefined
  switch (outcome.kind) {
    case 'login':
      fill(app, header(t, false, false), loginView(t))
      break
    case 'refused':
      fill(app, header(t, loggedIn, false), h('main', { id: 'main' },
        h('h1', {}, t.refused), h('p', { class: 'refusal', role: 'alert', 'data-testid': 'refusal' }, t.refusals[outcome.reason])))
      break
    case 'empty':
      fill(app, header(t, loggedIn, false), h('main', { id: 'main' }, h('h1', {}, t.appTitle), h('p', { role: 'status' }, t.noReleases)))
      break
    case 'release':
      document.title = `${outcome.detail.release.waveName} – ${t.appTitle}`
      fill(app, header(t, loggedIn, true), releaseView(t, outcome.detail, outcome.choices))
      break
  }
  app.removeAttribute('aria-busy')
  app.dataset.ready = outcome.kind
}

/** Renders the page; a failure nothing else caught is shown, never left as a blank page. */
function rerender (): void {
  render().catch((error: unknown) => {
    console.error(error)
    fill(app, h('main', { id: 'main' }, h('h1', {}, TEXT[state.lang].appTitle),
      h('p', { class: 'error', role: 'alert' }, TEXT[state.lang].failed)))
    app.dataset.ready = 'failed'
  })
}

window.addEventListener('popstate', () => {
  state = parseState(location.search)
  rerender()
})
rerender()
