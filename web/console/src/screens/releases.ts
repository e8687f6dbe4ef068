import type { ReleaseCreateBody, ReleaseDimension, ReleaseSummary, TableChoice } from '../../../../api/schemas/releases.js'
import type { SurveyVersionDetail } from '../../../../api/schemas/survey-versions.js'
import type { Wave } from '../../../../api/schemas/waves.js'
import type { IndicatorMap } from '../../../../survey-definitions/indicator-map.js'
import { api } from '../api.js'
import { h, uniqueId } from '../../../shared/dom.js'
import { formatDateTime, formatNumber, label, locale, RELEASE_METHODS, RELEASE_STATUS } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'
import { indicatorPicker } from './indicator-picker.js'
import type { IndicatorPicker } from './indicator-picker.js'
import { auditView } from './release-audit.js'
import type { Labels } from './release-audit.js'
import { loadWaves, wavePicker } from './shared.js'

// Written out rather than imported: the schema module's runtime values would pull TypeBox into the bundle.
const DIMENSIONS: Array<{ value: ReleaseDimension, label: { nb: string, en: string } }> = [
  { value: 'gender', label: { nb: 'Kjønn', en: 'Gender' } },
  { value: 'age_group', label: { nb: 'Aldersgruppe', en: 'Age group' } },
  { value: 'site_kind', label: { nb: 'Type sted', en: 'Kind of site' } },
  { value: 'county', label: { nb: 'Fylke', en: 'County' } },
  { value: 'municipality', label: { nb: 'Kommune', en: 'Municipality' } },
  { value: 'centrality', label: { nb: 'Sentralitet', en: 'Centrality' } },
]

const TEXT = {
  nb: {
    title: 'Frigivelse av resultater',
    linkIntro: 'Offentlig lenke (vises bare nå; en ny lenke erstatter den):',
    linkLabel: 'Offentlig lenke',
    copy: 'Kopier lenken',
    copied: 'Kopiert til utklippstavlen.',
    copyByHand: 'Lenken er merket: trykk Ctrl+C (⌘C på Mac) for å kopiere den.',
    linkMade: 'Den offentlige lenken er laget.',
    removeQuestion: 'Fjerne den offentlige lenken? Alle som bruker den, får «ikke funnet» fra nå av.',
    removeLink: 'Fjern lenken',
    linkRemoved: 'Den offentlige lenken er fjernet.',
    auditOf: (when: string) => `Revisjon av utleveringskontrollen for frigivelsen ${when}`,
    noAudit: 'Denne frigivelsen ble laget før frigivelser ble revidert: ingen revisjon er lagret.',
    releases: 'Frigivelser av denne bølgen',
    nothing: 'Ingenting er frigitt ennå: fram til en frigivelse ser bare forskere resultatene.',
    caption: 'Frigivelser, nyeste først',
    cols: ['Frigitt', 'Status', 'k', 'Metode', 'Nivå', 'Svar', 'Tabeller', 'Offentlig lenke', ''],
    byCounty: ', fylker som strata',
    withheld: 'upålitelige anslag holdes tilbake',
    weightedNote: ', vektet etter oppmøte',
    marked: 'upålitelige anslag vises merket',
    belowK: 'under k',
    yes: 'ja',
    no: 'nei',
    audit: 'Revisjon',
    newLink: 'Ny offentlig lenke',
    makeLink: 'Lag offentlig lenke',
    removeLinkButton: 'Fjern offentlig lenke',
    table: 'Tabell',
    indicators: 'Indikatorer (velg én eller flere)',
    by: 'Fordelt på (opptil tre; ingen gir tallet for alle)',
    removeTable: 'Fjern denne tabellen',
    methodDefault: 'Standard: Korn–Graubard med steder som klynger (Wilson for ett sted)',
    withhold: 'Hold dem tilbake, med begrunnelsen',
    mark: 'Vis dem, merket med begrunnelsen',
    releasing: 'Frigir …',
    released: (wave: string, tables: number, k: number) => `Frigitt ${wave}: ${tables} tabeller, k = ${k}.`,
    intro: 'Hver frigivelse har oversiktstabellene; legg til flere nedenfor. Celler under terskelen skjules, sammen med nok andre til at de ikke kan regnes ut fra summer eller fra tidligere frigivelser.',
    k: 'Terskel k for skjuling',
    kHint: 'en celle skjules når n, antall ja eller antall nei er under k (aldri under 3)',
    method: 'Intervallmetode',
    strata: 'Fylker som strata (bare designbaserte metoder)',
    unreliable: 'Anslag som NCHS-standarden for pålitelighet sier ikke skal vises',
    level: 'Konfidensnivå',
    weights: 'Vekter',
    unweighted: 'Uvektet: hver deltaker teller likt',
    weightedByAttendance: 'Vektet etter oppmøte: 1 / besøk de siste 7 dagene (bare designbaserte metoder)',
    repeats: 'Deltakere som sa at de allerede hadde svart i denne runden',
    leaveOut: 'Hold dem utenfor (beholdes, telles ikke)',
    countThem: 'Tell dem med',
    addTable: 'Legg til en tabell',
    preview: (wave: string) => `Forhåndsvis frigivelsen av ${wave}`,
    release: (wave: string) => `Frigi ${wave}`,
    previewTitle: 'Forhåndsvisning: dette ville frigivelsen publisere',
    previewHint: 'Ingenting lagres før du frigir. Endre tabellene over og forhåndsvis på nytt hvis revisjonen avviser den.',
    formTitle: 'Frigi resultater',
  },
  en: {
    title: 'Results releases',
    linkIntro: 'Public link (shown only now; making a new one replaces it):',
    linkLabel: 'Public link',
    copy: 'Copy link',
    copied: 'Copied to the clipboard.',
    copyByHand: 'The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.',
    linkMade: 'The public link is made.',
    removeQuestion: 'Remove the public link? Anyone using it gets "not found" from now on.',
    removeLink: 'Remove link',
    linkRemoved: 'The public link is removed.',
    auditOf: (when: string) => `Disclosure audit of the release of ${when}`,
    noAudit: 'This release was made before releases were audited: no audit is stored.',
    releases: 'Releases of this wave',
    nothing: 'Nothing released yet: until a release, results are visible to researchers only.',
    caption: 'Releases, newest first',
    cols: ['Released', 'Status', 'k', 'Method', 'Level', 'Respondents', 'Tables', 'Public link', ''],
    byCounty: ', counties as strata',
    withheld: 'unreliable estimates withheld',
    weightedNote: ', weighted by attendance',
    marked: 'unreliable estimates shown, marked',
    belowK: 'below k',
    yes: 'yes',
    no: 'no',
    audit: 'Audit',
    newLink: 'New public link',
    makeLink: 'Make public link',
    removeLinkButton: 'Remove public link',
    table: 'Table',
    indicators: 'Indicators (choose one or more)',
    by: 'Broken down by (up to three; none gives the overall figure)',
    removeTable: 'Remove this table',
    methodDefault: 'Default: Korn–Graubard with sites as clusters (Wilson for a single site)',
    withhold: 'Withhold them, with the reason',
    mark: 'Show them, marked with the reason',
    releasing: 'Releasing …',
    released: (wave: string, tables: number, k: number) => `Released ${wave}: ${tables} tables, k = ${k}.`,
    intro: 'Every release has the overview tables; add more below. Cells under the threshold are suppressed, with enough others that they cannot be worked out from totals or from earlier releases.',
    k: 'Suppression threshold k',
    kHint: 'a cell is hidden when its n, yes or no count is below k (never below 3)',
    method: 'Interval method',
    strata: 'Counties as strata (design-based methods only)',
    unreliable: 'Estimates the NCHS reliability standard says not to present',
    level: 'Confidence level',
    weights: 'Weights',
    unweighted: 'Unweighted: every respondent counts alike',
    weightedByAttendance: 'Weighted by attendance: 1 / visits in the last 7 days (design-based methods only)',
    repeats: 'Respondents who said they had already answered in this round',
    leaveOut: 'Leave them out (kept, not counted)',
    countThem: 'Count them',
    addTable: 'Add a table',
    preview: (wave: string) => `Preview the release of ${wave}`,
    release: (wave: string) => `Release ${wave}`,
    previewTitle: 'Preview: what this release would publish',
    previewHint: 'Nothing is stored until you release. Change the tables above and preview again if the audit refuses it.',
    formTitle: 'Release results',
  },
} as const

const levelText = (level: number, lang: Lang): string => new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 1 }).format(level)

/** Release a wave's results: frozen, disclosure-controlled tables for funders, optionally behind a public link. */
export async function renderReleases (context: Context, [waveId]: string[]): Promise<void> {
  const t = TEXT[context.lang]
  const waves = await loadWaves()
  context.main.append(h('h1', {}, t.title), wavePicker('releases', waves, waveId, context.lang))
  const wave = waves.find((candidate) => candidate.id === waveId)
  if (wave === undefined) return
  const [{ releases }, version] = await Promise.all([
    api.request('GET /api/waves/:waveId/releases', { params: { waveId: wave.id } }),
    api.request('GET /api/survey-versions/:id', { params: { id: wave.surveyVersion.id } }),
  ])
  const labels = labelsOf(version)
  context.main.append(releaseList(context, wave, releases, labels), releaseForm(context, wave, labels, () => indicatorPicker(version.indicatorMap as unknown as IndicatorMap, context.lang)))
}

function labelsOf (version: SurveyVersionDetail): Labels {
  const map = version.indicatorMap.indicators
  if (typeof map !== 'object' || map === null) return new Map()
  return new Map(Object.entries(map as Record<string, { label?: { en?: string, nb?: string } }>)
    .map(([name, indicator]) => [name, { en: indicator.label?.en ?? name, nb: indicator.label?.nb ?? indicator.label?.en ?? name }]))
}

/**
 * The address of a public link, shown once, with a copy button: the clipboard where the browser allows it,
 * else the address selected for Ctrl+C; either way a visible confirmation says what happened.
 */
function linkCard (address: string, lang: Lang): HTMLElement {
  const t = TEXT[lang]
  const addressField = h('input', { type: 'text', readonly: true, value: address, class: 'link-address', 'aria-label': t.linkLabel, 'data-testid': 'public-link-field' })
  const confirmation = h('span', { class: 'copy-done', role: 'status', 'data-testid': 'copy-confirmation' })
  const copyByHand = (): void => {
    addressField.focus()
    addressField.select()
    confirmation.textContent = document.execCommand('copy') ? t.copied : t.copyByHand
  }
  const copy = button(t.copy, () => {
    if (navigator.clipboard === undefined) { copyByHand(); return }
    navigator.clipboard.writeText(address).then(() => { confirmation.textContent = t.copied }, copyByHand)
  }, { 'data-testid': 'copy-link' })
  return h('div', { class: 'code-card', 'data-testid': 'public-link-card' },
    h('p', {}, t.linkIntro),
    h('p', {}, h('code', { 'data-testid': 'public-link', class: 'wrap' }, address)),
    h('div', { class: 'actions' }, addressField, copy, confirmation))
}

function releaseList (context: Context, wave: Wave, initial: ReleaseSummary[], labels: Labels): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  const outcome = new Outcome()
  const linkView = h('div', { 'aria-live': 'polite' })
  const listArea = h('div', {})
  const makeLink = async (release: ReleaseSummary): Promise<void> => {
    try {
      const reply = await api.request('POST /api/releases/:releaseId/public-link', { params: { releaseId: release.id } })
      const address = new URL(reply.page, location.origin).href
      // The table says "yes" at once (read again from the API), and the address shows below it with its copy button.
      draw((await api.request('GET /api/waves/:waveId/releases', { params: { waveId: wave.id } })).releases)
      linkView.replaceChildren(linkCard(address, lang))
      announce(t.linkMade)
      linkView.querySelector<HTMLButtonElement>('[data-testid="copy-link"]')?.focus()
    } catch (error) { outcome.error(error) }
  }
  const removeLink = async (release: ReleaseSummary): Promise<void> => {
    if (!await confirmAction(t.removeQuestion, t.removeLink)) return
    try { await api.request('DELETE /api/releases/:releaseId/public-link', { params: { releaseId: release.id } }); context.reload(); announce(t.linkRemoved) } catch (error) { outcome.error(error) }
  }
  const auditArea = h('div', { 'aria-live': 'polite' })
  const showAudit = async (release: ReleaseSummary): Promise<void> => {
    try {
      const [{ audit }, detail] = await Promise.all([
        api.request('GET /api/releases/:releaseId/audit', { params: { releaseId: release.id } }),
        api.request('GET /api/releases/:id', { params: { id: release.id } }),
      ])
      auditArea.replaceChildren(h('h3', {}, t.auditOf(formatDateTime(release.releasedAt, lang))), audit === null
        ? h('p', {}, t.noAudit)
        : auditView({ audit, tables: detail.tables, rows: detail.rows, respondents: detail.respondents }, labels, [], lang))
    } catch (error) { outcome.error(error) }
  }
  const methodText = (release: ReleaseSummary): string =>
    `${label(RELEASE_METHODS, release.method, lang)}${release.strata === null ? '' : t.byCounty}${release.weights === 'attendance' ? t.weightedNote : ''}; ${release.unreliable === 'mark' ? t.marked : t.withheld}`
  const draw = (releases: ReleaseSummary[]): void => {
    listArea.replaceChildren(releases.length === 0
      ? h('p', {}, t.nothing)
      : table(t.caption, [...t.cols], releases.map((release) => [
        formatDateTime(release.releasedAt, lang), label(RELEASE_STATUS, release.status, lang), release.k, methodText(release), levelText(release.level, lang),
        release.respondents === undefined ? t.belowK : formatNumber(release.respondents, lang), release.tableCount,
        h('span', { 'data-testid': 'has-public-link' }, release.hasPublicLink ? t.yes : t.no),
        h('span', { class: 'row-actions' },
          button(t.audit, () => { showAudit(release).catch(() => {}) }, { class: 'small', 'aria-label': t.auditOf(formatDateTime(release.releasedAt, lang)) }),
          release.status === 'current' && button(release.hasPublicLink ? t.newLink : t.makeLink, () => { makeLink(release).catch(() => {}) }, { class: 'small' }),
          release.status === 'current' && release.hasPublicLink && button(t.removeLinkButton, () => { removeLink(release).catch(() => {}) }, { class: 'small danger' })),
      ]), { 'data-testid': 'releases' }))
  }
  draw(initial)
  return section(t.releases, listArea, linkView, auditArea, outcome.element)
}

/** One table group: the indicators chosen, each broken down by the dimensions ticked (none: the overall figure). */
function tableChooser (newPicker: () => IndicatorPicker, lang: Lang, onRemove: () => void): { element: HTMLElement, value: () => TableChoice } {
  const t = TEXT[lang]
  const picker = newPicker()
  const boxes = DIMENSIONS.map((dimension) => {
    const box = h('input', { type: 'checkbox', id: uniqueId('dim'), value: dimension.value })
    return { box, element: h('span', { class: 'check' }, box, h('label', { for: box.id }, dimension.label[lang])) }
  })
  const legend = uniqueId('table')
  return {
    element: h('fieldset', { class: 'table-choice' }, h('legend', { id: legend }, t.table),
      picker.element,
      h('fieldset', {}, h('legend', {}, t.by), ...boxes.map((item) => item.element)),
      button(t.removeTable, onRemove, { class: 'small' })),
    value: () => ({
      indicators: picker.value(),
      by: boxes.filter((item) => item.box.checked).map((item) => item.box.value as ReleaseDimension),
    }),
  }
}

function releaseForm (context: Context, wave: Wave, labels: Labels, indicators: () => IndicatorPicker): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  const k = input({ name: 'k', type: 'number', min: 3, max: 1000, value: 5, required: true })
  const method = select([
    { value: '', label: t.methodDefault },
    ...(['korn-graubard', 'cluster', 'wilson', 'clopper-pearson'] as const).map((value) => ({ value, label: label(RELEASE_METHODS, value, lang) })),
  ], '', { name: 'method' })
  const unreliable = select([
    { value: 'withhold', label: t.withhold },
    { value: 'mark', label: t.mark },
  ], 'withhold', { name: 'unreliable' })
  const weights = select([
    { value: 'none', label: t.unweighted },
    { value: 'attendance', label: t.weightedByAttendance },
  ], 'none', { name: 'weights' })
  const repeats = select([
    { value: 'exclude', label: t.leaveOut },
    { value: 'include', label: t.countThem },
  ], 'exclude', { name: 'repeats' })
  const strata = h('input', { type: 'checkbox', id: 'strata', name: 'strata' })
  const level = select([0.95, 0.9, 0.99].map((value) => ({ value: String(value), label: levelText(value, lang) })), '0.95', { name: 'level' })
  const choosers: Array<ReturnType<typeof tableChooser>> = []
  const tables = h('div', {})
  const addTable = (): void => {
    const chooser = tableChooser(indicators, lang, () => { chooser.element.remove(); choosers.splice(choosers.indexOf(chooser), 1) })
    choosers.push(chooser)
    tables.append(chooser.element)
  }
  const outcome = new Outcome()
  const previewArea = h('div', { 'data-testid': 'release-preview' })
  const releaseOutcome = new Outcome()
  const makeRelease = async (body: ReleaseCreateBody, releaseButton: HTMLButtonElement): Promise<void> => {
    releaseButton.disabled = true
    releaseOutcome.busy(t.releasing)
    try {
      const release = await api.request('POST /api/waves/:waveId/releases', { params: { waveId: wave.id }, body })
      context.reload()
      announce(t.released(release.release.waveName, release.release.tableCount, release.release.k))
    } catch (error) {
      releaseOutcome.error(error)
      releaseButton.disabled = false
    }
  }
  const formElement = form({ 'data-testid': 'release-form' }, [
    h('p', {}, t.intro),
    field(t.k, k, t.kHint),
    field(t.method, method),
    h('div', { class: 'field inline' }, strata, h('label', { for: 'strata' }, t.strata)),
    field(t.unreliable, unreliable),
    field(t.weights, weights),
    field(t.repeats, repeats),
    field(t.level, level),
    tables,
    button(t.addTable, addTable),
  ], t.preview(wave.name), async () => {
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
    const preview = await api.request('POST /api/waves/:waveId/releases/preview', { params: { waveId: wave.id }, body })
    const releaseButton = button(t.release(wave.name), () => { makeRelease(body, releaseButton).catch(() => {}) }, { class: 'primary' })
    // A release the audit refuses would be refused by the API too: the button is not offered.
    releaseButton.hidden = !preview.audit.safe
    previewArea.replaceChildren(
      h('h3', {}, t.previewTitle),
      h('p', { class: 'hint' }, t.previewHint),
      auditView(preview, labels, [releaseButton, releaseOutcome.element], lang))
    releaseButton.focus()
  }, outcome)
  return section(t.formTitle, formElement, previewArea)
}
