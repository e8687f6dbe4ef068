import type { SiteListReply } from '../../../../api/schemas/sites.js'
import type { SurveyVersionListReply } from '../../../../api/schemas/survey-versions.js'
import type { Wave, WaveCreateBody } from '../../../../api/schemas/waves.js'
import { api } from '../api.js'
import { h, nodes } from '../../../shared/dom.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'
import { loadWaves } from './shared.js'

const canManage = (context: Context): boolean => context.account.role === 'researcher' || context.account.role === 'admin'

export async function renderWaves (context: Context): Promise<void> {
  const waves = await loadWaves()
  context.main.append(
    h('h1', {}, 'Waves'),
    table('Waves', ['Name', 'Survey', 'Opens', 'Closes', 'Grace days', 'Status', 'Sites', ''], waves.map((wave) => [
      wave.name, `${wave.surveyVersion.slug} v${wave.surveyVersion.version}`, wave.opensOn, wave.closesOn, wave.graceDays,
      h('span', { class: `status status-${wave.status}` }, wave.status),
      wave.sites.map((site) => site.siteName).join(', '),
      h('a', { href: `#/waves/${wave.id}` }, `Open ${wave.name}`),
    ]), { 'data-testid': 'waves' }))
  if (canManage(context)) context.main.append(await planForm(context))
}

const today = (): string => new Date().toISOString().slice(0, 10)

/** Plan a wave, or change the plan while it is planned: version, dates, grace days, and the sites taking part, each with its target. */
async function planForm (context: Context, wave?: Wave): Promise<HTMLElement> {
  const [{ versions }, { sites }] = await Promise.all([api.get<SurveyVersionListReply>('/api/survey-versions'), api.get<SiteListReply>('/api/sites')])
  const name = input({ name: 'name', required: true, maxlength: 200, value: wave?.name })
  const version = select(versions.map((v) => ({ value: String(v.id), label: `${v.slug} v${v.version} – ${v.title.en}` })), wave === undefined ? undefined : String(wave.surveyVersion.id), { name: 'surveyVersion', required: true })
  const opensOn = input({ name: 'opensOn', type: 'date', required: true, value: wave?.opensOn ?? today() })
  const closesOn = input({ name: 'closesOn', type: 'date', required: true, value: wave?.closesOn })
  const graceDays = input({ name: 'graceDays', type: 'number', min: 0, max: 365, value: wave?.graceDays ?? 14 })
  const planned = new Map((wave?.sites ?? []).map((site) => [site.siteId, site.target]))
  const siteRows = sites.map((site) => {
    const take = h('input', { type: 'checkbox', id: `wave-site-${site.id}`, name: 'site', value: site.id, checked: planned.has(site.id) })
    const target = input({ type: 'number', min: 1, id: `wave-target-${site.id}`, name: `target-${site.id}`, 'aria-label': `Target for ${site.name}`, value: planned.get(site.id) ?? undefined })
    return { site, take, target, row: h('tr', {}, h('td', {}, take, ' ', h('label', { for: take.id }, site.name)), h('td', {}, target)) }
  })
  const siteTable = h('table', {}, h('caption', {}, 'Sites taking part, with the number of responses aimed for at each'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Site'), h('th', { scope: 'col' }, 'Target (optional)'))),
    h('tbody', {}, ...siteRows.map((row) => row.row)))
  const outcome = new Outcome()
  return section(wave === undefined ? 'Plan a wave' : 'Change the plan', form({ 'data-testid': 'wave-form' }, [
    field('Name', name),
    field('Survey version', version),
    field('Opens on', opensOn),
    field('Closes on', closesOn, 'the last day answers are collected'),
    field('Grace days', graceDays, 'days after closing that a tablet may still upload answers given in time'),
    siteTable,
  ], wave === undefined ? 'Plan wave' : 'Save plan', async () => {
    const chosen = siteRows.filter((row) => row.take.checked)
    if (chosen.length === 0) throw new Error('choose at least one site')
    const body: WaveCreateBody = {
      name: name.value,
      surveyVersionId: Number(version.value),
      opensOn: opensOn.value,
      closesOn: closesOn.value,
      ...(graceDays.value === '' ? {} : { graceDays: Number(graceDays.value) }),
      sites: chosen.map((row) => ({ siteId: row.site.id, ...(row.target.value === '' ? {} : { target: Number(row.target.value) }) })),
    }
    if (wave !== undefined) {
      const saved = await api.patch<Wave>(`/api/waves/${wave.id}`, body)
      context.reload()
      announce(`Saved the plan of ${saved.name}.`)
      return
    }
    const created = await api.post<Wave>('/api/waves', body)
    context.go(`waves/${created.id}`)
    announce(`Planned ${created.name}. Open it when the sites are ready.`)
  }, outcome))
}

export async function renderWave (context: Context, id: string): Promise<void> {
  const wave = await api.get<Wave>(`/api/waves/${encodeURIComponent(id)}`)
  const outcome = new Outcome()
  const transition = (action: 'open' | 'close') => async (): Promise<void> => {
    if (action === 'close' && !await confirmAction(`Close ${wave.name}? Tablets stop taking new answers (uploads of answers given in time are taken for ${wave.graceDays} more days).`, 'Close wave')) return
    outcome.busy()
    try {
      const changed = await api.post<Wave>(`/api/waves/${wave.id}/${action}`)
      context.reload()
      announce(`${changed.name} is now ${changed.status}.`)
    } catch (error) {
      // A refusal (help data too old, dates past, wrong state) is shown in full: it says what to fix.
      outcome.error(error)
    }
  }
  const manage = canManage(context)
  context.main.append(...nodes(
    h('p', {}, h('a', { href: '#/waves' }, '← All waves')),
    h('h1', {}, wave.name),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { 'data-testid': 'wave-status' }, wave.status),
      h('dt', {}, 'Survey'), h('dd', {}, `${wave.surveyVersion.slug} v${wave.surveyVersion.version}`),
      h('dt', {}, 'Dates'), h('dd', {}, `${wave.opensOn} – ${wave.closesOn}, then ${wave.graceDays} grace days for late uploads`)),
    table('Sites and targets', ['Site', 'Target'], wave.sites.map((site) => [site.siteName, site.target ?? '—'])),
    manage && h('div', { class: 'actions' },
      wave.status === 'planned' && button('Open wave', () => { transition('open')().catch(() => {}) }, { class: 'primary', 'data-testid': 'open-wave' }),
      wave.status === 'open' && button('Close wave', () => { transition('close')().catch(() => {}) }, { class: 'danger', 'data-testid': 'close-wave' })),
    outcome.element,
    h('ul', { class: 'tiles' },
      h('li', {}, h('a', { href: `#/progress/${wave.id}` }, 'Progress')),
      manage && h('li', {}, h('a', { href: `#/exports/${wave.id}` }, 'Exports')),
      manage && h('li', {}, h('a', { href: `#/releases/${wave.id}` }, 'Results releases')))))
  // The plan can change until the wave opens; after that it is fixed (the API answers 409 wave_not_planned).
  if (manage && wave.status === 'planned') context.main.append(await planForm(context, wave))
}
