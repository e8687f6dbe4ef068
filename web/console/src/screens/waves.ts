import type { Wave, WaveCreateBody } from '../../../../api/schemas/waves.js'
import { api } from '../api.js'
import { h, nodes } from '../../../shared/dom.js'
import { formatDate, label, studyToday, WAVE_STATUS } from '../i18n.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'
import { loadWaves } from './shared.js'

const TEXT = {
  nb: {
    title: 'Bølger',
    cols: ['Navn', 'Skjema', 'Åpner', 'Lukker', 'Respittdager', 'Status', 'Steder', ''],
    openLink: (name: string) => `Vis ${name}`,
    plan: 'Planlegg en bølge',
    changePlan: 'Endre planen',
    name: 'Navn',
    version: 'Skjemaversjon',
    opensOn: 'Åpner',
    closesOn: 'Lukker',
    closesHint: 'den siste dagen svar samles inn',
    grace: 'Respittdager',
    graceHint: 'dager etter lukking da et nettbrett fortsatt kan laste opp svar som ble gitt i tide',
    sitesCaption: 'Steder som deltar, med antall svar det siktes mot på hvert',
    site: 'Sted',
    target: 'Mål (valgfritt)',
    targetFor: (name: string) => `Mål for ${name}`,
    planSubmit: 'Planlegg bølgen',
    saveSubmit: 'Lagre planen',
    chooseSite: 'velg minst ett sted',
    saved: (name: string) => `Lagret planen for ${name}.`,
    planned: (name: string) => `Planla ${name}. Åpne den når stedene er klare.`,
    closeQuestion: (name: string, lastDay: string) => `Lukke ${name}? Nettbrettene slutter å ta imot nye utfyllinger. Svar som allerede er gitt, tas imot når de lastes opp, til og med ${lastDay} (sluttdatoen pluss respittdagene).`,
    closeWave: 'Lukk bølgen',
    openWave: 'Åpne bølgen',
    nowStatus: (name: string, status: string) => `${name} er nå ${status}.`,
    all: '← Alle bølger',
    status: 'Status',
    survey: 'Skjema',
    dates: 'Datoer',
    datesText: (opens: string, closes: string, days: number) => `${opens} – ${closes}, deretter ${days} respittdager for sene opplastinger`,
    targets: 'Steder og mål',
    targetCols: ['Sted', 'Mål'],
    progress: 'Framdrift',
    exports: 'Eksport',
    releases: 'Frigivelse av resultater',
  },
  en: {
    title: 'Waves',
    cols: ['Name', 'Survey', 'Opens', 'Closes', 'Grace days', 'Status', 'Sites', ''],
    openLink: (name: string) => `Open ${name}`,
    plan: 'Plan a wave',
    changePlan: 'Change the plan',
    name: 'Name',
    version: 'Survey version',
    opensOn: 'Opens on',
    closesOn: 'Closes on',
    closesHint: 'the last day answers are collected',
    grace: 'Grace days',
    graceHint: 'days after closing that a tablet may still upload answers given in time',
    sitesCaption: 'Sites taking part, with the number of responses aimed for at each',
    site: 'Site',
    target: 'Target (optional)',
    targetFor: (name: string) => `Target for ${name}`,
    planSubmit: 'Plan wave',
    saveSubmit: 'Save plan',
    chooseSite: 'choose at least one site',
    saved: (name: string) => `Saved the plan of ${name}.`,
    planned: (name: string) => `Planned ${name}. Open it when the sites are ready.`,
    closeQuestion: (name: string, lastDay: string) => `Close ${name}? Tablets stop taking new respondents. Answers already given are still taken when uploaded, up to and including ${lastDay} (the close date plus the grace days).`,
    closeWave: 'Close wave',
    openWave: 'Open wave',
    nowStatus: (name: string, status: string) => `${name} is now ${status}.`,
    all: '← All waves',
    status: 'Status',
    survey: 'Survey',
    dates: 'Dates',
    datesText: (opens: string, closes: string, days: number) => `${opens} – ${closes}, then ${days} grace days for late uploads`,
    targets: 'Sites and targets',
    targetCols: ['Site', 'Target'],
    progress: 'Progress',
    exports: 'Exports',
    releases: 'Results releases',
  },
} as const
/** The last day a tablet may upload to the wave: its close date plus its grace days (api/domain/upload-window.ts). */
function lastUploadDay (wave: Pick<Wave, 'closesOn' | 'graceDays'>): string {
  const [year, month, day] = wave.closesOn.split('-').map(Number)
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + wave.graceDays)).toISOString().slice(0, 10)
}

const canManage = (context: Context): boolean => context.account.role === 'researcher' || context.account.role === 'admin'

export async function renderWaves (context: Context): Promise<void> {
  const t = TEXT[context.lang]
  const waves = await loadWaves()
  context.main.append(
    h('h1', {}, t.title),
    table(t.title, [...t.cols], waves.map((wave) => [
      wave.name, `${wave.surveyVersion.slug} v${wave.surveyVersion.version}`, formatDate(wave.opensOn, context.lang), formatDate(wave.closesOn, context.lang), wave.graceDays,
      h('span', { class: `status status-${wave.status}` }, label(WAVE_STATUS, wave.status, context.lang)),
      wave.sites.map((site) => site.siteName).join(', '),
      h('a', { href: `#/waves/${wave.id}` }, t.openLink(wave.name)),
    ]), { 'data-testid': 'waves' }))
  if (canManage(context)) context.main.append(await planForm(context))
}

const today = studyToday

/** Plan a wave, or change the plan while it is planned: version, dates, grace days, and the sites taking part, each with its target. */
async function planForm (context: Context, wave?: Wave): Promise<HTMLElement> {
  const t = TEXT[context.lang]
  const [{ versions }, { sites }] = await Promise.all([api.request('GET /api/survey-versions'), api.request('GET /api/sites')])
  const name = input({ name: 'name', required: true, maxlength: 200, value: wave?.name })
  const version = select(versions.map((v) => ({ value: String(v.id), label: `${v.slug} v${v.version} – ${v.title[context.lang]}` })), wave === undefined ? undefined : String(wave.surveyVersion.id), { name: 'surveyVersion', required: true })
  const opensOn = input({ name: 'opensOn', type: 'date', required: true, value: wave?.opensOn ?? today() })
  const closesOn = input({ name: 'closesOn', type: 'date', required: true, value: wave?.closesOn })
  const graceDays = input({ name: 'graceDays', type: 'number', min: 0, max: 365, value: wave?.graceDays ?? 14 })
  const planned = new Map((wave?.sites ?? []).map((site) => [site.siteId, site.target]))
  const siteRows = sites.map((site) => {
    const take = h('input', { type: 'checkbox', id: `wave-site-${site.id}`, name: 'site', value: site.id, checked: planned.has(site.id) })
    const target = input({ type: 'number', min: 1, id: `wave-target-${site.id}`, name: `target-${site.id}`, 'aria-label': t.targetFor(site.name), value: planned.get(site.id) ?? undefined })
    return { site, take, target, row: h('tr', {}, h('td', {}, take, ' ', h('label', { for: take.id }, site.name)), h('td', {}, target)) }
  })
  const siteTable = h('table', {}, h('caption', {}, t.sitesCaption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t.site), h('th', { scope: 'col' }, t.target))),
    h('tbody', {}, ...siteRows.map((row) => row.row)))
  const outcome = new Outcome()
  return section(wave === undefined ? t.plan : t.changePlan, form({ 'data-testid': 'wave-form' }, [
    field(t.name, name),
    field(t.version, version),
    field(t.opensOn, opensOn),
    field(t.closesOn, closesOn, t.closesHint),
    field(t.grace, graceDays, t.graceHint),
    siteTable,
  ], wave === undefined ? t.planSubmit : t.saveSubmit, async () => {
    const chosen = siteRows.filter((row) => row.take.checked)
    if (chosen.length === 0) throw new Error(t.chooseSite)
    const body: WaveCreateBody = {
      name: name.value,
      surveyVersionId: Number(version.value),
      opensOn: opensOn.value,
      closesOn: closesOn.value,
      ...(graceDays.value === '' ? {} : { graceDays: Number(graceDays.value) }),
      sites: chosen.map((row) => ({ siteId: row.site.id, ...(row.target.value === '' ? {} : { target: Number(row.target.value) }) })),
    }
    if (wave !== undefined) {
      const saved = await api.request('PATCH /api/waves/:id', { params: { id: wave.id }, body })
      context.reload()
      announce(t.saved(saved.name))
      return
    }
    const created = await api.request('POST /api/waves', { body })
    context.go(`waves/${created.id}`)
    announce(t.planned(created.name))
  }, outcome))
}

export async function renderWave (context: Context, id: string): Promise<void> {
  const t = TEXT[context.lang]
  const wave = await api.request('GET /api/waves/:id', { params: { id } })
  const outcome = new Outcome()
  const transition = (action: 'open' | 'close') => async (): Promise<void> => {
    if (action === 'close' && !await confirmAction(t.closeQuestion(wave.name, formatDate(lastUploadDay(wave), context.lang)), t.closeWave)) return
    outcome.busy()
    try {
      const changed = await api.request(action === 'open' ? 'POST /api/waves/:id/open' : 'POST /api/waves/:id/close', { params: { id: wave.id } })
      context.reload()
      announce(t.nowStatus(changed.name, label(WAVE_STATUS, changed.status, context.lang)))
    } catch (error) {
      // A refusal (help data too old, dates past, wrong state) is shown in full: it says what to fix.
      outcome.error(error)
    }
  }
  const manage = canManage(context)
  context.main.append(...nodes(
    h('p', {}, h('a', { href: '#/waves' }, t.all)),
    h('h1', {}, wave.name),
    h('dl', { class: 'facts' },
      h('dt', {}, t.status), h('dd', { 'data-testid': 'wave-status', 'data-status': wave.status }, label(WAVE_STATUS, wave.status, context.lang)),
      h('dt', {}, t.survey), h('dd', {}, `${wave.surveyVersion.slug} v${wave.surveyVersion.version}`),
      h('dt', {}, t.dates), h('dd', {}, t.datesText(formatDate(wave.opensOn, context.lang), formatDate(wave.closesOn, context.lang), wave.graceDays))),
    table(t.targets, [...t.targetCols], wave.sites.map((site) => [site.siteName, site.target ?? '—'])),
    manage && h('div', { class: 'actions' },
      wave.status === 'planned' && button(t.openWave, () => { transition('open')().catch(() => {}) }, { class: 'primary', 'data-testid': 'open-wave' }),
      wave.status === 'open' && button(t.closeWave, () => { transition('close')().catch(() => {}) }, { class: 'danger', 'data-testid': 'close-wave' })),
    outcome.element,
    h('ul', { class: 'tiles' },
      h('li', {}, h('a', { href: `#/progress/${wave.id}` }, t.progress)),
      manage && h('li', {}, h('a', { href: `#/exports/${wave.id}` }, t.exports)),
      manage && h('li', {}, h('a', { href: `#/releases/${wave.id}` }, t.releases)))))
  // The plan can change until the wave opens; after that it is fixed (the API answers 409 wave_not_planned).
  if (manage && wave.status === 'planned') context.main.append(await planForm(context, wave))
}
