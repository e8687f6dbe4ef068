import type { SiteListReply } from '../../../../api/schemas/sites.js'
import type { EnrolmentCodeReply, Tablet, TabletListReply } from '../../../../api/schemas/tablets.js'
import { query } from '../../../shared/api-client.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { announce, button, confirmAction, field, form, formatDateTime, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'
import { testTabletBadge } from './test-tablets.js'

/** Tablets by site: a one-time enrolment code to type at /kiosk/, and every tablet with its upload counts (never answers). */
export async function renderTablets (context: Context, [siteFilter]: string[]): Promise<void> {
  const [{ sites }, { tablets }] = await Promise.all([
    api.get<SiteListReply>('/api/sites'),
    api.get<TabletListReply>(`/api/tablets${query({ siteId: siteFilter })}`),
  ])
  const siteChoice = select(sites.map((site) => ({ value: site.id, label: site.name })), siteFilter ?? context.account.siteId ?? undefined, { name: 'site', 'data-testid': 'code-site' })
  const label = input({ name: 'label', maxlength: 100 })
  const codeView = h('div', { 'aria-live': 'polite' })
  const outcome = new Outcome()
  const filter = select([{ value: '', label: 'All sites' }, ...sites.map((site) => ({ value: site.id, label: site.name }))], siteFilter ?? '', { name: 'filter' })
  filter.addEventListener('change', () => { location.hash = filter.value === '' ? '#/tablets' : `#/tablets/${filter.value}` })
  context.main.append(
    h('h1', {}, 'Tablets'),
    section('Enrol a tablet',
      h('p', {}, 'Make a one-time code, then open /kiosk/ on the tablet and type it there. The code works once and expires.'),
      form({ 'data-testid': 'code-form' }, [
        field('Site', siteChoice),
        field('Tablet label (optional)', label, 'used when the tablet gives none, e.g. "Reception"'),
      ], 'Make enrolment code', async () => {
        const reply = await api.post<EnrolmentCodeReply>('/api/tablets/enrolment-codes', { siteId: siteChoice.value, ...(label.value === '' ? {} : { label: label.value }) })
        codeView.replaceChildren(h('div', { class: 'code-card' },
          h('p', {}, `One-time code for ${reply.siteName}:`),
          h('p', { class: 'big-code', 'data-testid': 'enrolment-code' }, reply.code),
          h('p', {}, 'Expires ', h('time', { datetime: reply.expiresAt, 'data-testid': 'code-expiry' }, formatDateTime(reply.expiresAt)), '. It is shown only now.')))
      }, outcome),
      codeView),
    section('Enrolled tablets',
      sites.length > 1 && field('Show', filter),
      tabletTable(context, tablets)))
}

const WARNING_TEXT: Record<Tablet['warnings'][number], string> = {
  many_today: 'far more uploads today than a site takes in a day',
  prefer_not_only: 'many responses answer every question with "prefer not to say"',
  repeated: 'many responses repeat the one before exactly',
}

/** "active", or, where its uploads look made up (a stolen tablet?), why, next to the revoke button. */
function activeStatus (tablet: Tablet): string | HTMLElement {
  if (tablet.warnings.length === 0) return 'active'
  return h('span', { class: 'tablet-warning', 'data-testid': 'tablet-warning' },
    'active — check this tablet: ', tablet.warnings.map((warning) => WARNING_TEXT[warning]).join('; '),
    '. If it was not in use, revoke it.')
}

function tabletTable (context: Context, tablets: Tablet[]): HTMLElement {
  if (tablets.length === 0) return h('p', {}, 'No tablets enrolled yet.')
  const outcome = new Outcome()
  const revoke = async (tablet: Tablet): Promise<void> => {
    if (!await confirmAction(`Revoke ${tablet.label} at ${tablet.siteName}? It will not be able to start the survey or upload any more. Answers waiting on it stay sealed on the tablet and are sent once it is enrolled again with a new code.`, 'Revoke tablet')) return
    try {
      await api.post<Tablet>(`/api/tablets/${tablet.id}/revoke`)
      context.reload()
      announce(`${tablet.label} is revoked.`)
    } catch (error) { outcome.error(error) }
  }
  return h('div', {},
    table('Tablets', ['Label', 'Site', 'Enrolled', 'Last upload', 'Uploads', 'Status', ''], tablets.map((tablet) => [
      h('span', {}, tablet.label, testTabletBadge(tablet, context.lang)), tablet.siteName, formatDateTime(tablet.enrolledAt), tablet.lastUploadOn ?? 'none yet', tablet.uploadCount,
      tablet.revokedAt === null ? activeStatus(tablet) : `revoked ${formatDateTime(tablet.revokedAt)}`,
      tablet.revokedAt === null ? button(`Revoke ${tablet.label}`, () => { revoke(tablet).catch(() => {}) }, { class: 'small danger' }) : '',
    ]), { 'data-testid': 'tablets' }),
    outcome.element)
}
