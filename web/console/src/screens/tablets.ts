import type { Tablet } from '../../../../api/schemas/tablets.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { formatDate, formatDateTime, TABLET_WARNINGS } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'
import { testTabletBadge } from './test-tablets.js'

const TEXT = {
  nb: {
    title: 'Nettbrett',
    allSites: 'Alle steder',
    enrol: 'Registrer et nettbrett',
    enrolIntro: 'Lag en engangskode, åpne /kiosk/ på nettbrettet og skriv den inn der. Koden virker én gang og utløper.',
    site: 'Sted',
    label: 'Navn på nettbrettet (valgfritt)',
    labelHint: 'brukes når nettbrettet ikke oppgir noe, f.eks. «Resepsjonen»',
    make: 'Lag registreringskode',
    codeFor: (site: string) => `Engangskode for ${site}:`,
    expires: 'Utløper ',
    onlyNow: '. Den vises bare nå.',
    enrolled: 'Registrerte nettbrett',
    show: 'Vis',
    none: 'Ingen nettbrett er registrert ennå.',
    cols: ['Navn', 'Sted', 'Registrert', 'Siste opplasting', 'Opplastinger', 'Status', ''],
    noUpload: 'ingen ennå',
    active: 'i bruk',
    check: 'i bruk — sjekk dette nettbrettet: ',
    ifNotUsed: '. Hvis det ikke var i bruk, tilbakekall det.',
    revoked: (when: string) => `tilbakekalt ${when}`,
    revoke: (label: string) => `Tilbakekall ${label}`,
    revokeQuestion: (label: string, site: string) => `Tilbakekalle ${label} på ${site}? Det kan ikke lenger starte undersøkelsen eller laste opp. Svar som allerede er mottatt, beholdes. Svar som venter på nettbrettet, blir liggende forseglet der og sendes når det registreres på nytt med en ny kode.`,
    revokeButton: 'Tilbakekall nettbrettet',
    isRevoked: (label: string) => `${label} er tilbakekalt.`,
  },
  en: {
    title: 'Tablets',
    allSites: 'All sites',
    enrol: 'Enrol a tablet',
    enrolIntro: 'Make a one-time code, then open /kiosk/ on the tablet and type it there. The code works once and expires.',
    site: 'Site',
    label: 'Tablet label (optional)',
    labelHint: 'used when the tablet gives none, e.g. "Reception"',
    make: 'Make enrolment code',
    codeFor: (site: string) => `One-time code for ${site}:`,
    expires: 'Expires ',
    onlyNow: '. It is shown only now.',
    enrolled: 'Enrolled tablets',
    show: 'Show',
    none: 'No tablets enrolled yet.',
    cols: ['Label', 'Site', 'Enrolled', 'Last upload', 'Uploads', 'Status', ''],
    noUpload: 'none yet',
    active: 'active',
    check: 'active — check this tablet: ',
    ifNotUsed: '. If it was not in use, revoke it.',
    revoked: (when: string) => `revoked ${when}`,
    revoke: (label: string) => `Revoke ${label}`,
    revokeQuestion: (label: string, site: string) => `Revoke ${label} at ${site}? It will not be able to start the survey or upload any more. Answers already received are kept. Answers waiting on it stay sealed on the tablet and are sent once it is enrolled again with a new code.`,
    revokeButton: 'Revoke tablet',
    isRevoked: (label: string) => `${label} is revoked.`,
  },
} as const

/** Tablets by site: a one-time enrolment code to type at /kiosk/, and every tablet with its upload counts (never answers). */
export async function renderTablets (context: Context, [siteFilter]: string[]): Promise<void> {
  const t = TEXT[context.lang]
  const [{ sites }, { tablets }] = await Promise.all([
    api.request('GET /api/sites'),
    api.request('GET /api/tablets', { query: { siteId: siteFilter } }),
  ])
  const siteChoice = select(sites.map((site) => ({ value: site.id, label: site.name })), siteFilter ?? context.account.siteId ?? undefined, { name: 'site', 'data-testid': 'code-site' })
  const label = input({ name: 'label', maxlength: 100 })
  const codeView = h('div', { 'aria-live': 'polite' })
  const outcome = new Outcome()
  const filter = select([{ value: '', label: t.allSites }, ...sites.map((site) => ({ value: site.id, label: site.name }))], siteFilter ?? '', { name: 'filter' })
  filter.addEventListener('change', () => { location.hash = filter.value === '' ? '#/tablets' : `#/tablets/${filter.value}` })
  context.main.append(
    h('h1', {}, t.title),
    section(t.enrol,
      h('p', {}, t.enrolIntro),
      form({ 'data-testid': 'code-form' }, [
        field(t.site, siteChoice),
        field(t.label, label, t.labelHint),
      ], t.make, async () => {
        const reply = await api.request('POST /api/tablets/enrolment-codes', { body: { siteId: siteChoice.value, ...(label.value === '' ? {} : { label: label.value }) } })
        codeView.replaceChildren(h('div', { class: 'code-card' },
          h('p', {}, t.codeFor(reply.siteName)),
          h('p', { class: 'big-code', 'data-testid': 'enrolment-code' }, reply.code),
          h('p', {}, t.expires, h('time', { datetime: reply.expiresAt, 'data-testid': 'code-expiry' }, formatDateTime(reply.expiresAt, context.lang)), t.onlyNow)))
      }, outcome),
      codeView),
    section(t.enrolled,
      sites.length > 1 && field(t.show, filter),
      tabletTable(context, tablets)))
}

/** "active", or, where its uploads look made up (a stolen tablet?), why, next to the revoke button. */
function activeStatus (tablet: Tablet, lang: Lang): string | HTMLElement {
  const t = TEXT[lang]
  if (tablet.warnings.length === 0) return t.active
  return h('span', { class: 'tablet-warning', 'data-testid': 'tablet-warning', 'data-warnings': tablet.warnings.join(' ') },
    t.check, tablet.warnings.map((warning) => TABLET_WARNINGS[warning]?.[lang] ?? warning).join('; '), t.ifNotUsed)
}

function tabletTable (context: Context, tablets: Tablet[]): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  if (tablets.length === 0) return h('p', {}, t.none)
  const outcome = new Outcome()
  const revoke = async (tablet: Tablet): Promise<void> => {
    // What happens to answers waiting on the tablet: README, "The kiosk offline" (kept sealed, sent after enrolling again).
    if (!await confirmAction(t.revokeQuestion(tablet.label, tablet.siteName), t.revokeButton)) return
    try {
      await api.request('POST /api/tablets/:id/revoke', { params: { id: tablet.id } })
      context.reload()
      announce(t.isRevoked(tablet.label))
    } catch (error) { outcome.error(error) }
  }
  return h('div', {},
    table(t.enrolled, [...t.cols], tablets.map((tablet) => [
      h('span', {}, tablet.label, testTabletBadge(tablet, lang)), tablet.siteName, formatDateTime(tablet.enrolledAt, lang), tablet.lastUploadOn === null ? t.noUpload : formatDate(tablet.lastUploadOn, lang), tablet.uploadCount,
      tablet.revokedAt === null ? activeStatus(tablet, lang) : t.revoked(formatDateTime(tablet.revokedAt, lang)),
      tablet.revokedAt === null ? button(t.revoke(tablet.label), () => { revoke(tablet).catch(() => {}) }, { class: 'small danger' }) : '',
    ]), { 'data-testid': 'tablets' }),
    outcome.element)
}
