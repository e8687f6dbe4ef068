import type {
  PublicLinkReply, ReleaseAuditReply, ReleaseCreateBody, ReleaseDetail, ReleaseDimension, ReleaseList, ReleasePreview, ReleaseSummary, TableChoice,
} from '../../../../api/schemas/releases.js'
import type { SurveyVersionDetail } from '../../../../api/schemas/survey-versions.js'
import type { Wave } from '../../../../api/schemas/waves.js'
import type { IndicatorMap } from '../../../../survey-definitions/indicator-map.js'
import { api } from '../api.js'
import { h, uniqueId } from '../../../shared/dom.js'
import { announce, button, confirmAction, field, form, formatDateTime, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'
import { indicatorPicker } from './indicator-picker.js'
import type { IndicatorPicker } from './indicator-picker.js'
import { auditView } from './release-audit.js'
import type { Labels } from './release-audit.js'
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
  const labels = labelsOf(version)
  context.main.append(releaseList(context, releases, labels), releaseForm(context, wave, labels, () => indicatorPicker(version.indicatorMap as unknown as IndicatorMap, context.lang)))
}

function labelsOf (version: SurveyVersionDetail): Labels {
  const map = version.indicatorMap.indicators
  if (typeof map !== 'object' || map === null) return new Map()
  return new Map(Object.entries(map as Record<string, { label?: { en?: string, nb?: string } }>)
    .map(([name, indicator]) => [name, { en: indicator.label?.en ?? name, nb: indicator.label?.nb ?? indicator.label?.en ?? name }]))
}

function releaseList (context: Context, releases: ReleaseSummary[], labels: Labels): HTMLElement {
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
  const auditArea = h('div', { 'aria-live': 'polite' })
  const showAudit = async (release: ReleaseSummary): Promise<void> => {
    try {
      const [{ audit }, detail] = await Promise.all([
        api.get<ReleaseAuditReply>(`/api/releases/${release.id}/audit`),
        api.get<ReleaseDetail>(`/api/releases/${release.id}`),
      ])
      auditArea.replaceChildren(h('h3', {}, `Disclosure audit of the release of ${formatDateTime(release.releasedAt)}`), audit === null
        ? h('p', {}, 'This release was made before releases were audited: no audit is stored.')
        : auditView({ audit, tables: detail.tables, rows: detail.rows, respondents: detail.respondents }, labels))
    } catch (error) { outcome.error(error) }
  }
  return section('Releases of this wave',
    releases.length === 0
      ? h('p', {}, 'Nothing released yet: until a release, results are visible to researchers only.')
      : table('Releases, newest first', ['Released', 'Status', 'k', 'Method', 'Level', 'Respondents', 'Tables', 'Public link', ''], releases.map((release) => [
        formatDateTime(release.releasedAt), release.status, release.k, `${release.method}${release.strata === null ? '' : ' by county'}${release.weights === 'attendance' ? ', weighted' : ''}`, release.level,
        release.respondents ?? 'below k', release.tableCount, release.hasPublicLink ? 'yes' : 'no',
        h('span', { class: 'row-actions' },
          button('Audit', () => { showAudit(release).catch(() => {}) }, { class: 'small', 'aria-label': `Disclosure audit of the release of ${formatDateTime(release.releasedAt)}` }),
          release.status === 'current' && button(release.hasPublicLink ? 'New public link' : 'Make public link', () => { makeLink(release).catch(() => {}) }, { class: 'small' }),
          release.status === 'current' && release.hasPublicLink && button('Remove public link', () => { removeLink(release).catch(() => {}) }, { class: 'small danger' })),
      ]), { 'data-testid': 'releases' }),
    linkView,
    auditArea,
    outcome.element)
}

/** One table group: the indicators chosen, each broken down by the dimensions ticked (none: the overall figure). */
function tableChooser (newPicker: () => IndicatorPicker, onRemove: () => void): { element: HTMLElement, value: () => TableChoice } {
  const picker = newPicker()
  const boxes = DIMENSIONS.map((dimension) => {
    const box = h('input', { type: 'checkbox', id: uniqueId('dim'), value: dimension.value })
    return { box, element: h('span', { class: 'check' }, box, h('label', { for: box.id }, dimension.label)) }
  })
  const legend = uniqueId('table')
  return {
    element: h('fieldset', { class: 'table-choice' }, h('legend', { id: legend }, 'Table'),
      picker.element,
      h('fieldset', {}, h('legend', {}, 'Broken down by (up to three; none gives the overall figure)'), ...boxes.map((item) => item.element)),
      button('Remove this table', onRemove, { class: 'small' })),
    value: () => ({
      indicators: picker.value(),
      by: boxes.filter((item) => item.box.checked).map((item) => item.box.value as ReleaseDimension),
    }),
  }
}

function releaseForm (context: Context, wave: Wave, labels: Labels, indicators: () => IndicatorPicker): HTMLElement {
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
  const weights = select([
    { value: 'none', label: 'Unweighted: every respondent counts alike' },
    { value: 'attendance', label: 'Weighted by attendance: 1 / visits in the last 7 days (design-based methods only)' },
  ], 'none', { name: 'weights' })
  const repeats = select([
    { value: 'exclude', label: 'Leave them out (kept, not counted)' },
    { value: 'include', label: 'Count them' },
  ], 'exclude', { name: 'repeats' })
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
  const previewArea = h('div', { 'data-testid': 'release-preview' })
  const releaseOutcome = new Outcome()
  const makeRelease = async (body: ReleaseCreateBody, releaseButton: HTMLButtonElement): Promise<void> => {
    releaseButton.disabled = true
    releaseOutcome.busy('Releasing …')
    try {
      const release = await api.post<ReleaseDetail>(`/api/waves/${wave.id}/releases`, body)
      context.reload()
      announce(`Released ${release.release.waveName}: ${release.release.tableCount} tables, k = ${release.release.k}.`)
    } catch (error) {
      releaseOutcome.error(error)
      releaseButton.disabled = false
    }
  }
  const formElement = form({ 'data-testid': 'release-form' }, [
    h('p', {}, 'Every release has the overview tables; add more below. Cells under the threshold are suppressed, with enough others that they cannot be worked out from totals or from earlier releases.'),
    field('Suppression threshold k', k, 'a cell is hidden when its n, yes or no count is below k (never below 3)'),
    field('Interval method', method),
    h('div', { class: 'field inline' }, strata, h('label', { for: 'strata' }, 'Counties as strata (design-based methods only)')),
    field('Estimates the NCHS reliability standard says not to present', unreliable),
    field('Weights', weights),
    field('Respondents who said they had already answered in this round', repeats),
    field('Confidence level', level),
    tables,
    button('Add a table', addTable),
  ], `Preview the release of ${wave.name}`, async () => {
    const chosen = choosers.map((chooser) => chooser.value()).filter((choice) => choice.indicators.length > 0)
    const body: ReleaseCreateBody = {
      k: Number(k.value),
      ...(method.value === '' ? {} : { method: method.value as ReleaseCreateBody['method'] }),
      unreliable: unreliable.value as ReleaseCreateBody['unreliable'],
      weights: weights.value as ReleaseCreateBody['weights'],
      repeats: repeats.value as ReleaseCreateBody['repeats'],
      level: Number(level.value),
      ...(strata.checked && method.value !== 'wilson' && method.value !== 'clopper-pearson' ? { strata: 'county' as const } : {}),
      ...(chosen.length === 0 ? {} : { tables: chosen }),
    }
    previewArea.replaceChildren()
    const preview = await api.post<ReleasePreview>(`/api/waves/${wave.id}/releases/preview`, body)
    const releaseButton = button(`Release ${wave.name}`, () => { makeRelease(body, releaseButton).catch(() => {}) }, { class: 'primary' })
    // A release the audit refuses would be refused by the API too: the button is not offered.
    releaseButton.hidden = !preview.audit.safe
    previewArea.replaceChildren(
      h('h3', {}, 'Preview: what this release would publish / Forhåndsvisning'),
      h('p', { class: 'hint' }, 'Nothing is stored until you release. Change the tables above and preview again if the audit refuses it.'),
      auditView(preview, labels, [releaseButton, releaseOutcome.element]))
    releaseButton.focus()
  }, outcome)
  return section('Release results', formElement, previewArea)
}
