import type { PublicLinkReply, ReleaseCreateBody, ReleaseDetail, ReleaseDimension, ReleaseList, ReleaseSummary, TableChoice } from '../../../../api/schemas/releases.js'
import type { SurveyVersionDetail } from '../../../../api/schemas/survey-versions.js'
import type { Wave } from '../../../../api/schemas/waves.js'
import { api } from '../api.js'
import { h, table, uniqueId } from '../dom.js'
import { announce, button, confirmAction, field, form, formatDateTime, input, Outcome, section, select } from '../ui.js'
import type { Context } from './index.js'
import { loadWaves, wavePicker } from './shared.js'

// Written out rather than imported: the schema module's runtime values would pull TypeBox into the bundle.
const DIMENSIONS: Array<{ value: ReleaseDimension, label: string }> = [
  { value: 'gender', label: 'Gender' },
  { value: 'age_group', label: 'Age group' },
  { value: 'site_kind', label: 'Kind of site' },
  { value: 'county', label: 'County' },
  { value: 'municipality', label: 'Municipality' },
  { value: 'centrality', label: 'Centrality' },
]

/** Release a wave's results: frozen, disclosure-controlled tables for funders, optionally behind a public link. */
export async function renderReleases (context: Context, [waveId]: string[]): Promise<void> {
  const waves = await loadWaves()
  context.main.append(h('h1', {}, 'Results releases'), wavePicker('releases', waves, waveId))
  const wave = waves.find((candidate) => candidate.id === waveId)
  if (wave === undefined) return
  const [{ releases }, version] = await Promise.all([
    api.get<ReleaseList>(`/api/waves/${wave.id}/releases`),
    api.get<SurveyVersionDetail>(`/api/survey-versions/${wave.surveyVersion.id}`),
  ])
  context.main.append(releaseList(context, releases), releaseForm(context, wave, indicatorsOf(version)))
}

function indicatorsOf (version: SurveyVersionDetail): Array<{ name: string, label: string }> {
  const map = version.indicatorMap.indicators
  if (typeof map !== 'object' || map === null) return []
  return Object.entries(map as Record<string, { label?: { en?: string } }>).map(([name, indicator]) => ({ name, label: indicator.label?.en ?? name }))
}

function releaseList (context: Context, releases: ReleaseSummary[]): HTMLElement {
  const outcome = new Outcome()
  const linkView = h('div', { 'aria-live': 'polite' })
  const makeLink = async (release: ReleaseSummary): Promise<void> => {
    try {
      const reply = await api.post<PublicLinkReply>(`/api/releases/${release.id}/public-link`)
      const address = new URL(reply.page, location.origin).href
      linkView.replaceChildren(h('div', { class: 'code-card' }, h('p', {}, 'Public link (shown only now; making a new one replaces it):'), h('p', {}, h('code', { 'data-testid': 'public-link' }, address))))
    } catch (error) { outcome.error(error) }
  }
  const removeLink = async (release: ReleaseSummary): Promise<void> => {
    if (!await confirmAction('Remove the public link? Anyone using it gets "not found" from now on.', 'Remove link')) return
    try { await api.delete(`/api/releases/${release.id}/public-link`); context.reload(); announce('The public link is removed.') } catch (error) { outcome.error(error) }
  }
  return section('Releases of this wave',
    releases.length === 0
      ? h('p', {}, 'Nothing released yet: until a release, results are visible to researchers only.')
      : table('Releases, newest first', ['Released', 'Status', 'k', 'Method', 'Level', 'Respondents', 'Tables', 'Public link', ''], releases.map((release) => [
        formatDateTime(release.releasedAt), release.status, release.k, `${release.method}${release.strata === null ? '' : ' by county'}`, release.level,
        release.respondents ?? 'below k', release.tableCount, release.hasPublicLink ? 'yes' : 'no',
        release.status === 'current'
          ? h('span', { class: 'row-actions' },
            button(release.hasPublicLink ? 'New public link' : 'Make public link', () => { makeLink(release).catch(() => {}) }, { class: 'small' }),
            release.hasPublicLink && button('Remove public link', () => { removeLink(release).catch(() => {}) }, { class: 'small danger' }))
          : '',
      ]), { 'data-testid': 'releases' }),
    linkView,
    outcome.element)
}

/** One table group: the indicators chosen, each broken down by the dimensions ticked (none: the overall figure). */
function tableChooser (indicators: Array<{ name: string, label: string }>, onRemove: () => void): { element: HTMLElement, value: () => TableChoice } {
  const picker = h('select', { multiple: true, size: 6, name: 'indicators' }, ...indicators.map((indicator) => h('option', { value: indicator.name }, indicator.label)))
  const boxes = DIMENSIONS.map((dimension) => {
    const box = h('input', { type: 'checkbox', id: uniqueId('dim'), value: dimension.value })
    return { box, element: h('span', { class: 'check' }, box, h('label', { for: box.id }, dimension.label)) }
  })
  const legend = uniqueId('table')
  return {
    element: h('fieldset', { class: 'table-choice' }, h('legend', { id: legend }, 'Table'),
      field('Indicators (choose one or more)', picker),
      h('fieldset', {}, h('legend', {}, 'Broken down by (up to three; none gives the overall figure)'), ...boxes.map((item) => item.element)),
      button('Remove this table', onRemove, { class: 'small' })),
    value: () => ({
      indicators: Array.from(picker.selectedOptions).map((option) => option.value),
      by: boxes.filter((item) => item.box.checked).map((item) => item.box.value as ReleaseDimension),
    }),
  }
}

function releaseForm (context: Context, wave: Wave, indicators: Array<{ name: string, label: string }>): HTMLElement {
  const k = input({ name: 'k', type: 'number', min: 3, max: 1000, value: 5, required: true })
  const method = select([
    { value: '', label: 'Default: Korn–Graubard with sites as clusters (Wilson for a single site)' },
    { value: 'korn-graubard', label: 'Korn–Graubard, sites as clusters (design-based)' },
    { value: 'cluster', label: 'Design-based logit, sites as clusters' },
    { value: 'wilson', label: 'Wilson score (simple random sample)' },
    { value: 'clopper-pearson', label: 'Clopper–Pearson exact' },
  ], '', { name: 'method' })
  const unreliable = select([
    { value: 'withhold', label: 'Withhold them, with the reason' },
    { value: 'mark', label: 'Show them, marked with the reason' },
  ], 'withhold', { name: 'unreliable' })
  const strata = h('input', { type: 'checkbox', id: 'strata', name: 'strata' })
  const level = select([{ value: '0.95', label: '95 %' }, { value: '0.9', label: '90 %' }, { value: '0.99', label: '99 %' }], '0.95', { name: 'level' })
  const choosers: Array<ReturnType<typeof tableChooser>> = []
  const tables = h('div', {})
  const addTable = (): void => {
    const chooser = tableChooser(indicators, () => { chooser.element.remove(); choosers.splice(choosers.indexOf(chooser), 1) })
    choosers.push(chooser)
    tables.append(chooser.element)
  }
  const outcome = new Outcome()
  return section('Release results', form({ 'data-testid': 'release-form' }, [
    h('p', {}, 'Every release has the overview tables; add more below. Cells under the threshold are suppressed, with enough others that they cannot be worked out from totals or from earlier releases.'),
    field('Suppression threshold k', k, 'a cell is hidden when its n, yes or no count is below k (never below 3)'),
    field('Interval method', method),
    h('div', { class: 'field inline' }, strata, h('label', { for: 'strata' }, 'Counties as strata (design-based methods only)')),
    field('Estimates the NCHS reliability standard says not to present', unreliable),
    field('Confidence level', level),
    tables,
    button('Add a table', addTable),
  ], `Release ${wave.name}`, async () => {
    const chosen = choosers.map((chooser) => chooser.value()).filter((choice) => choice.indicators.length > 0)
    const body: ReleaseCreateBody = {
      k: Number(k.value),
      ...(method.value === '' ? {} : { method: method.value as ReleaseCreateBody['method'] }),
      unreliable: unreliable.value as ReleaseCreateBody['unreliable'],
      level: Number(level.value),
      ...(strata.checked && method.value !== 'wilson' && method.value !== 'clopper-pearson' ? { strata: 'county' as const } : {}),
      ...(chosen.length === 0 ? {} : { tables: chosen }),
    }
    const release = await api.post<ReleaseDetail>(`/api/waves/${wave.id}/releases`, body)
    context.reload()
    announce(`Released ${release.release.waveName}: ${release.release.tableCount} tables, k = ${release.release.k}.`)
  }, outcome))
}
