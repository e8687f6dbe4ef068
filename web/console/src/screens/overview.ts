import type { Attention, OverviewWave, SiteTabletsToday } from '../../../../api/schemas/overview.js'
import type { Tablet } from '../../../../api/schemas/tablets.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { formatDate, formatNumber } from '../../../shared/i18n.js'
import type { Lang } from '../../../shared/i18n.js'
import { section } from '../ui.js'
import type { Context, Role } from './context.js'

/** Who lands on the overview (GET /api/overview); funders and auditors keep the plain start page. */
export const OVERVIEW_ROLES: readonly Role[] = ['researcher', 'admin', 'site_staff']

type Warning = Tablet['warnings'][number]

const TEXT = {
  nb: {
    title: 'Oversikt',
    today: (date: string) => `I dag er ${date} (studiens tidssone).`,
    attention: 'Trenger oppmerksomhet',
    nothing: 'Ingenting trenger oppmerksomhet nå.',
    waves: 'Åpne runder',
    noWaves: 'Ingen runde er åpen.',
    caption: (wave: string, closes: string) => `${wave}: åpen til ${closes}`,
    captionPast: (wave: string, closes: string) => `${wave}: sluttet ${closes}, fortsatt åpen`,
    site: 'Sted',
    responses: 'Svar',
    target: 'Mål',
    reached: 'Nådd',
    all: 'Alle steder',
    reachedOf: (site: string, total: number, target: number) => `${site}: ${total} av ${target}`,
    progressLink: (wave: string) => `Fremdrift uke for uke for ${wave}`,
    tablets: 'Nettbrett i dag',
    noTablets: 'Ingen nettbrett er registrert.',
    tabletCaption: 'Nettbrett per sted: registrert, sett i dag og svar sendt i dag (bare antall)',
    enrolled: 'Registrert',
    seen: 'Sett i dag',
    uploads: 'Svar i dag',
    tabletsLink: 'Gå til nettbrett',
    warnings: {
      many_today: 'langt flere svar i dag enn et sted får på en dag',
      prefer_not_only: 'mange svar er «vil ikke svare» på alt',
      repeated: 'mange svar er nøyaktig likt det forrige',
    } satisfies Record<Warning, string>,
    item: {
      help_stale: (oldest: string | null, days: number) => oldest === null
        ? 'Det finnes ingen hjelpelinjer eller krisesentre å vise: ingen runde kan åpnes før de er lagt inn.'
        : `Hjelperessursene ble sist sjekket ${oldest}, for mer enn ${days} dager siden: ingen runde kan åpnes før de er sjekket.`,
      help_link: 'Sjekk hjelperessursene',
      wave_past_close: (wave: string, closes: string, grace: string) => `${wave} er fortsatt åpen, men sluttet ${closes}. Nettbrett kan sende inn ventende svar til ${grace}; lukk runden etterpå.`,
      wave_link: (wave: string) => `Åpne ${wave}`,
      tablet_warning: (label: string, site: string, why: string) => `Nettbrettet ${label} (${site}): ${why}. Trekk det tilbake hvis det ikke var i bruk.`,
      tablet_link: (label: string) => `Se nettbrettet ${label}`,
      wave_behind_target: (wave: string, days: number, sites: string) => `${wave} slutter om ${days} ${days === 1 ? 'dag' : 'dager'}, og disse stedene er under målet: ${sites}.`,
      release_missing: (wave: string, n: number) => `${wave} er lukket med ${n} svar, men resultatene er ikke frigitt.`,
      release_link: (wave: string) => `Frigi resultater for ${wave}`,
    },
  },
  en: {
    title: 'Overview',
    today: (date: string) => `Today is ${date} (the study's time zone).`,
    attention: 'Needs attention',
    nothing: 'Nothing needs attention now.',
    waves: 'Open waves',
    noWaves: 'No wave is open.',
    caption: (wave: string, closes: string) => `${wave}: open until ${closes}`,
    captionPast: (wave: string, closes: string) => `${wave}: ended ${closes}, still open`,
    site: 'Site',
    responses: 'Responses',
    target: 'Target',
    reached: 'Reached',
    all: 'All sites',
    reachedOf: (site: string, total: number, target: number) => `${site}: ${total} of ${target}`,
    progressLink: (wave: string) => `Week-by-week progress of ${wave}`,
    tablets: 'Tablets today',
    noTablets: 'No tablets are enrolled.',
    tabletCaption: 'Tablets per site: enrolled, seen today and responses sent today (counts only)',
    enrolled: 'Enrolled',
    seen: 'Seen today',
    uploads: 'Responses today',
    tabletsLink: 'Go to tablets',
    warnings: {
      many_today: 'far more responses today than a site takes in a day',
      prefer_not_only: 'many responses answer everything with "prefer not to say"',
      repeated: 'many responses repeat the one before exactly',
    } satisfies Record<Warning, string>,
    item: {
      help_stale: (oldest: string | null, days: number) => oldest === null
        ? 'There are no helplines or crisis centres to show respondents: no wave can open until they are added.'
        : `The help resources were last checked on ${oldest}, more than ${days} days ago: no wave can open until they are checked.`,
      help_link: 'Check the help resources',
      wave_past_close: (wave: string, closes: string, grace: string) => `${wave} is still open but ended on ${closes}. Tablets may send waiting responses until ${grace}; close the wave after that.`,
      wave_link: (wave: string) => `Open ${wave}`,
      tablet_warning: (label: string, site: string, why: string) => `Tablet ${label} (${site}): ${why}. Revoke it if it was not in use.`,
      tablet_link: (label: string) => `See tablet ${label}`,
      wave_behind_target: (wave: string, days: number, sites: string) => `${wave} ends in ${days} ${days === 1 ? 'day' : 'days'}, and these sites are below target: ${sites}.`,
      release_missing: (wave: string, n: number) => `${wave} is closed with ${n} responses, but its results are not released.`,
      release_link: (wave: string) => `Release the results of ${wave}`,
    },
  },
} as const

/** A study date ('YYYY-MM-DD') in words, in the reader's language; the date itself is already the study's. */
export const longDate = (date: string, lang: Lang): string => formatDate(lang, date, { day: 'numeric', month: 'long', year: 'numeric' })

const percent = (total: number, target: number | null, lang: Lang): string =>
  target === null || target === 0 ? '—' : formatNumber(lang, total / target, { style: 'percent', maximumFractionDigits: 0 })

/** The landing screen for researchers, admins and site staff: open waves against target, tablets today, what needs attention. */
export async function renderOverview (context: Context): Promise<void> {
  const text = TEXT[context.lang]
  const overview = await api.request('GET /api/overview')
  const date = (value: string): string => longDate(value, context.lang)
  context.main.append(
    h('h1', {}, text.title),
    h('p', {}, text.today(date(overview.today))),
    section(text.attention, overview.attention.length === 0
      ? h('p', { 'data-testid': 'attention-none' }, text.nothing)
      : h('ul', { class: 'attention', 'data-testid': 'attention' }, ...overview.attention.map((item) => h('li', { 'data-kind': item.kind }, ...attentionItem(item, context.lang))))),
    section(text.waves, overview.waves.length === 0 ? h('p', {}, text.noWaves) : h('div', { class: 'wave-cards' }, ...overview.waves.map((wave) => waveCard(wave, overview.today, context.lang)))),
    section(text.tablets, tabletsToday(overview.tabletsToday, context.lang)))
}

function attentionItem (item: Attention, lang: Lang): Child[] {
  const t = TEXT[lang].item
  const date = (value: string): string => longDate(value, lang)
  const link = (href: string, label: string): HTMLElement => h('a', { href }, label)
  switch (item.kind) {
    case 'help_stale':
      return [item.oldestChecked === null ? t.help_stale(null, item.maxAgeDays) : t.help_stale(date(item.oldestChecked), item.maxAgeDays), ' ', link('#/help-resources', t.help_link)]
    case 'wave_past_close':
      return [t.wave_past_close(item.waveName, date(item.closesOn), date(item.graceEndsOn)), ' ', link(`#/waves/${item.waveId}`, t.wave_link(item.waveName))]
    case 'tablet_warning':
      return [t.tablet_warning(item.label, item.siteName, item.warnings.map((warning) => TEXT[lang].warnings[warning]).join('; ')), ' ', link(`#/tablets/${item.siteId}`, t.tablet_link(item.label))]
    case 'wave_behind_target':
      return [t.wave_behind_target(item.waveName, item.daysLeft, item.sites.map((site) => TEXT[lang].reachedOf(site.siteName, site.total, site.target ?? 0)).join(', ')), ' ',
        link(`#/progress/${item.waveId}`, TEXT[lang].progressLink(item.waveName))]
    case 'release_missing':
      return [t.release_missing(item.waveName, item.responses), ' ', link(`#/releases/${item.waveId}`, t.release_link(item.waveName))]
  }
}

function waveCard (wave: OverviewWave, today: string, lang: Lang): HTMLElement {
  const text = TEXT[lang]
  const bar = (total: number, target: number | null, label: string): Child => target === null || target === 0
    ? '—'
    : h('span', { class: 'reach' }, h('progress', { max: target, value: Math.min(total, target), 'aria-label': label }), ` ${percent(total, target, lang)}`)
  return h('div', { class: 'wave-card', 'data-wave': wave.waveId },
    h('table', { class: 'overview-wave' },
      h('caption', {}, (wave.closesOn < today ? text.captionPast : text.caption)(wave.waveName, longDate(wave.closesOn, lang))),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, text.site), h('th', { scope: 'col', class: 'num' }, text.responses), h('th', { scope: 'col', class: 'num' }, text.target), h('th', { scope: 'col' }, text.reached))),
      h('tbody', {}, ...wave.sites.map((site) => h('tr', { 'data-site': site.siteId },
        h('th', { scope: 'row' }, site.siteName),
        h('td', { class: 'num' }, formatNumber(lang, site.total)), h('td', { class: 'num' }, site.target === null ? '—' : formatNumber(lang, site.target)),
        h('td', {}, bar(site.total, site.target, text.reachedOf(site.siteName, site.total, site.target ?? 0)))))),
      h('tfoot', {}, h('tr', {},
        h('th', { scope: 'row' }, text.all),
        h('td', { class: 'num', 'data-testid': 'wave-total' }, formatNumber(lang, wave.total)), h('td', { class: 'num' }, wave.target === null ? '—' : formatNumber(lang, wave.target)),
        h('td', {}, bar(wave.total, wave.target, text.reachedOf(text.all, wave.total, wave.target ?? 0)))))),
    h('p', {}, h('a', { href: `#/progress/${wave.waveId}` }, text.progressLink(wave.waveName))))
}

function tabletsToday (sites: SiteTabletsToday[], lang: Lang): HTMLElement {
  const text = TEXT[lang]
  if (sites.length === 0) return h('p', {}, text.noTablets)
  return h('div', {},
    h('table', { 'data-testid': 'tablets-today' },
      h('caption', {}, text.tabletCaption),
      h('thead', {}, h('tr', {}, ...[text.site, text.enrolled, text.seen, text.uploads].map((label, index) => h('th', { scope: 'col', class: index === 0 ? '' : 'num' }, label)))),
      h('tbody', {}, ...sites.map((site) => h('tr', { 'data-site': site.siteId },
        h('th', { scope: 'row' }, site.siteName),
        h('td', { class: 'num' }, formatNumber(lang, site.tablets)), h('td', { class: 'num' }, formatNumber(lang, site.seenToday)), h('td', { class: 'num' }, formatNumber(lang, site.uploadsToday)))))),
    h('p', {}, h('a', { href: '#/tablets' }, text.tabletsLink)))
}
