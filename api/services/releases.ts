/**
 * Results releases: a researcher freezes a wave's tables;
 * funders, and a public link, read only what was frozen.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { MINIMUM_THRESHOLD, DEFAULT_THRESHOLD } from '../../analysis/disclosure-control/primary-rule.js'
import { AnalysisInputError } from '../../analysis/errors.js'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import {
  countAnsweredBefore, countWaveResponses, countWaveSites, earlierReleases, findRelease, findReleaseByTokenHash, findReleaseWave, insertRelease,
  findVersionMapAndRules, listCurrentReleases, listWaveReleases, lockReleaseWave, previousReleasedWave, setPublicTokenHash,
} from '../db/queries/releases.js'
import type { ReleaseContentRow, ReleaseSummaryRow, ReleaseWave } from '../db/queries/releases.js'
import { RESULT_DIMENSIONS } from '../db/queries/results.js'
import { AppError } from '../errors.js'
import type {
  DisclosureAudit, ReleaseAuditReply, ReleaseCreateBody, ReleaseDetail, ReleaseList, ReleasePreview, ReleaseSummary, ReleaseTableSpec, TableChoice, PublicLinkReply,
} from '../schemas/releases.js'
import { indicatorImplications } from '../../survey-definitions/indicator-implications.js'
import type { VersionRules } from '../../survey-definitions/instrument.js'
import { notGivenWhenWeighted, waveMinusPrevious, womenMinusMen } from './release-differences.js'
import { withDifferenceNotes, withRowNotes } from './release-notes.js'
import { applyReliability, defaultReleaseMethod } from './release-reliability.js'
import { computeReleaseTables } from './release-tables.js'
import type { ComputedTables, ReleaseSettings } from './release-tables.js'
import { recordAudit } from './audit-log.js'

/** A release of many more tables than the console offers is refused rather than left to run for minutes. */
export const MAX_RELEASE_TABLES = 1000

const METHOD_TEXT: Readonly<Record<ReleaseSettings['method'], string>> = {
  wilson: 'Wilson score intervals',
  'clopper-pearson': 'Clopper–Pearson exact intervals',
  cluster: 'design-based intervals with sites as clusters (logit, as R survey\'s svyciprop)',
  'korn-graubard': 'Korn–Graubard intervals with sites as clusters (as R survey\'s svyciprop(method = "beta"), effective sample size capped at n)',
}

const UNRELIABLE_TEXT: Readonly<Record<ReleaseSettings['unreliable'], string>> = {
  withhold: 'estimates that fail it are withheld, with the reason',
  mark: 'estimates that fail it are shown marked, with the reason',
}

const WEIGHTS_TEXT: Readonly<Record<ReleaseSettings['weights'], string>> = {
  none: 'unweighted (every respondent counts alike)',
  attendance: 'weighted by attendance (each respondent by 1 / visits to the site in the last 7 days, as svydesign(ids = ~site, weights = ~w))',
}

const WEIGHTS_NOTE: Readonly<Record<ReleaseSettings['weights'], { en: string, nb: string }>> = {
  none: {
    en: 'Unweighted: every respondent counts alike, so people who visit the sites often weigh more in the figures than people who come rarely.',
    nb: 'Uvektet: alle som svarte teller likt, så de som ofte er på stedene veier tyngre i tallene enn de som sjelden kommer.',
  },
  attendance: {
    en: 'Weighted by attendance: each respondent counts in inverse proportion to how often they visited the site in the last 7 days, so the figures describe the people who use the sites, not their visits.',
    nb: 'Vektet etter oppmøte: hver som svarte teller omvendt proporsjonalt med hvor ofte de var på stedet de siste 7 dagene, så tallene beskriver personene som bruker stedene, ikke besøkene.',
  },
}

/**
 * The release's note on repeat participation, in both languages. A count below k is not given exactly
 * (ARCHITECTURE.md, anonymity rule 6): it is an answer's count like any other.
 */
export function repeatNote (repeats: ReleaseSettings['repeats'], answeredBefore: number, k: number): { en: string, nb: string } {
  const few = answeredBefore > 0 && answeredBefore < k
  const en = answeredBefore === 0 ? 'No respondent' : few ? `Fewer than ${k} respondents` : `${answeredBefore} respondents`
  const nb = answeredBefore === 0 ? 'Ingen' : few ? `Færre enn ${k}` : `${answeredBefore}`
  if (repeats === 'include') {
    return {
      en: `${en} said they had already answered in this round; they are counted in the figures.`,
      nb: `${nb} svarte at de allerede hadde svart i denne runden; de er tatt med i tallene.`,
    }
  }
  return {
    en: `${en} said they had already answered in this round; ${answeredBefore === 0 ? 'nobody was' : 'they are kept but not'} counted in the figures.`,
    nb: `${nb} svarte at de allerede hadde svart i denne runden; ${answeredBefore === 0 ? 'ingen er holdt utenfor' : 'svarene er tatt vare på, men ikke med i tallene'}.`,
  }
}

const tableKey = (spec: { indicator: string, by: readonly string[] }): string => `${spec.indicator}|${[...spec.by].sort().join(',')}`
const dimensionOrder = (by: readonly string[]): string[] =>
  [...by].sort((a, b) => RESULT_DIMENSIONS.indexOf(a as never) - RESULT_DIMENSIONS.indexOf(b as never))
const quoted = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ')
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** A release computed inside a transaction, before it is stored (or only previewed). */
interface PreparedRelease {
  wave: ReleaseWave
  /** Respondents of the wave who said they had already answered in this round. */
  answeredBefore: number
  settings: ReleaseSettings
  specs: ReleaseTableSpec[]
  computed: ComputedTables
  earlier: ReleaseContentRow[]
  known: Set<string>
  /** The headline indicators the wave's survey version defines, in its instrument's order. */
  headline: string[]
}

/** A version published before it had rules has them from the migration that added them; none is a lost row. */
const NO_HEADLINE: VersionRules['headline'] = { indicators: [], breakdowns: [] }

async function prepareRelease (trx: Transaction<Database>, waveId: string, body: ReleaseCreateBody): Promise<PreparedRelease> {
  const wave = await lockReleaseWave(trx, waveId)
  if (wave === undefined) throw new AppError(404, 'wave_not_found', `wave "${waveId}" does not exist`)
  if (await countWaveResponses(trx, waveId) === 0) {
    throw new AppError(400, 'bad_request', `wave "${wave.name}" has no responses yet: there is nothing to release`)
  }
  const settings = releaseSettings(body, await countWaveSites(trx, waveId))
  const answeredBefore = await countAnsweredBefore(trx, waveId)
  const version = await findVersionMapAndRules(trx, wave.surveyVersionId)
  const known = new Set(Object.keys(version?.indicatorMap.indicators ?? {}))
  // The instrument's headline indicators (survey-definitions/<slug>/instrument.json), as the version was published with them.
  const rules = version?.rules.headline ?? NO_HEADLINE
  const headline = rules.indicators.filter((name) => known.has(name))
  const earlier = await earlierReleases(trx, waveId)
  if (settings.repeats === 'exclude' && answeredBefore > 0 && earlier.some((release) => release.repeats === 'include')) {
    // Disclosure control across releases assumes published counts never fall (README, "Results releases").
    throw new AppError(400, 'bad_request', 'an earlier release of this wave counted the respondents who said they had already answered; ' +
      'a later one must count them too (repeats: include), since leaving them out now would make published counts fall')
  }
  const specs = releaseSpecs(body.tables ?? [], known, earlier, headline, rules.breakdowns)
  const implications = version === undefined ? [] : indicatorImplications(version.indicatorMap)
  const computed = await computeReleaseTables(trx, waveId, specs, settings, earlier, implications, headline).catch((error: unknown) => {
    // The names were checked above, so this is the wave's data or earlier releases contradicting each other
    // (e.g. a site moved to another county since a release): refused by name rather than published wrong.
    if (error instanceof AnalysisInputError) throw new AppError(409, 'bad_request', `disclosure control cannot run on this wave: ${error.message}`)
    throw error
  })
  computed.resultRows = computed.resultRows.map((row) => applyReliability(row, settings.unreliable))
  return { wave, answeredBefore, settings, specs, computed, earlier, known, headline }
}

/**
 * What a release of the wave would publish, with the audit of its disclosure control, computed
 * now and not stored: the researcher sees the attacker's intervals before releasing.
 * @throws {AppError} as createRelease, except that an unsafe audit is reported, not refused
 */
export async function previewRelease (db: Kysely<Database>, waveId: string, body: ReleaseCreateBody): Promise<ReleasePreview> {
  return await db.transaction().execute(async (trx) => {
    const { wave, settings, specs, computed, answeredBefore } = await prepareRelease(trx, waveId, body)
    return {
      source: sourceLine(wave, computed, settings, answeredBefore),
      tables: specs,
      respondents: computed.respondentRows,
      rows: computed.resultRows,
      audit: computed.audit,
    }
  })
}

/** A release whose audit failed, refused with the cells named (at most ten). */
function refusal (audit: DisclosureAudit): AppError {
  const failing = audit.suppressed.filter((cell) => cell.problem !== undefined)
  const named = failing.slice(0, 10).map((cell) =>
    `${cell.indicator} by [${cell.by.join(', ')}] ${JSON.stringify(cell.group)}: ${cell.problem ?? ''}`)
  return new AppError(409, 'bad_request', `disclosure control cannot protect this release: ${failing.length} suppressed ` +
    `cell${failing.length === 1 ? '' : 's'} could be narrowed by an attacker with a solver (${named.join('; ')}${failing.length > 10 ? '; …' : ''}). ` +
    'Release fewer or coarser tables, or wait for more responses.')
}

/**
 * Makes a release of a wave: the overview set, the researcher's tables and every table of the wave's
 * earlier releases, computed now, suppressed together with the earlier releases and audited, stored with
 * their differences and the audit, and the wave's current release superseded, in one transaction with its
 * audit entry.
 * @throws {AppError} 404 for a wave that does not exist; 400 naming an unknown indicator, strata
 *   without the cluster method, a wave without responses, or too many tables; 409 when the audit finds a
 *   suppressed cell an attacker could narrow below the rule, naming it
 */
export async function createRelease (db: Kysely<Database>, waveId: string, body: ReleaseCreateBody, actor: Account | null): Promise<ReleaseDetail> {
  const id = randomUUID()
  await db.transaction().execute(async (trx) => {
    const { wave, settings, specs, computed, earlier, headline, answeredBefore } = await prepareRelease(trx, waveId, body)
    if (!computed.audit.safe) throw refusal(computed.audit)
    const previous = await previousReleasedWave(trx, wave)
    const computedDifferences = [
      ...womenMinusMen(waveId, headline, computed.resultRows, computed, settings),
      ...(previous === undefined
        ? []
        : waveMinusPrevious(wave, { waveId: previous.waveId, waveName: previous.waveName, resultRows: previous.resultRows }, headline, computed.resultRows, settings.level)),
    ]
    const differences = settings.weights === 'attendance' ? computedDifferences.map(notGivenWhenWeighted) : computedDifferences
    const current = earlier.find((release) => release.supersededBy === null)
    await insertRelease(trx, {
      waveId,
      releasedBy: actor?.id ?? null,
      ...settings,
      answeredBefore,
      respondents: computed.respondents,
      source: sourceLine(wave, computed, settings, answeredBefore),
      tableSpecs: specs,
      respondentRows: computed.respondentRows,
      resultRows: computed.resultRows,
      differences,
      disclosureAudit: computed.audit,
    }, id)
    await recordAudit(trx, {
      actor,
      action: 'release.create',
      objectType: 'release',
      objectId: id,
      detail: { waveId, k: settings.k, method: settings.method, strata: settings.strata, level: settings.level, unreliable: settings.unreliable, weights: settings.weights, repeats: settings.repeats, tables: specs.length, supersedes: current?.id ?? null },
    })
  })
  const row = await findRelease(db, id)
  if (row === undefined) throw new AppError(404, 'not_found', `release "${id}" does not exist`)
  return { ...await detailOf(db, row), audit: row.disclosureAudit }
}

function releaseSettings (body: ReleaseCreateBody, sites: number): ReleaseSettings {
  const method = body.method ?? defaultReleaseMethod(sites)
  const strata = body.strata ?? null
  if (strata !== null && method !== 'cluster' && method !== 'korn-graubard') {
    throw new AppError(400, 'bad_request', `strata apply to the design-based methods (cluster, korn-graubard) only, not ${method}`)
  }
  const k = body.k ?? DEFAULT_THRESHOLD
  if (k < MINIMUM_THRESHOLD) throw new AppError(400, 'bad_request', `k must be at least ${MINIMUM_THRESHOLD}: the threshold of disclosure control is never below 3`)
  const weights = body.weights ?? 'none'
  if (weights === 'attendance' && method !== 'cluster' && method !== 'korn-graubard') {
    throw new AppError(400, 'bad_request', `attendance weights need a design-based method (cluster, korn-graubard) with sites as clusters, not ${method}`)
  }
  return { k, method, strata, level: body.level ?? 0.95, unreliable: body.unreliable ?? 'withhold', weights, repeats: body.repeats ?? 'exclude' }
}

/**
 * The release's tables, per indicator (headline indicators first): the overview set, every table an
 * earlier release of the wave published (disclosure control needs them all again), then the chosen ones.
 */
function releaseSpecs (
  choices: readonly TableChoice[],
  known: ReadonlySet<string>,
  earlier: readonly ReleaseContentRow[],
  headline: readonly string[],
  breakdowns: ReadonlyArray<readonly string[]>
): ReleaseTableSpec[] {
  const unknown = [...new Set(choices.flatMap((choice) => choice.indicators).filter((name) => !known.has(name)))]
  if (unknown.length > 0) {
    throw new AppError(400, 'unknown_indicator', `unknown indicator ${quoted(unknown)}: the wave's survey version does not define it`)
  }
  const overview = headline.flatMap((indicator) => breakdowns.map((by) => ({ indicator, by: dimensionOrder(by), overview: true })))
  const candidates = [
    ...overview,
    ...earlier.flatMap((release) => release.tableSpecs.map((spec) => ({ ...spec, overview: false }))),
    ...choices.flatMap((choice) => choice.indicators.map((indicator) => ({ indicator, by: dimensionOrder(choice.by), overview: false }))),
  ]
  const seen = new Set<string>()
  const specs = candidates.filter((spec) => {
    const key = tableKey(spec)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  if (specs.length > MAX_RELEASE_TABLES) {
    throw new AppError(400, 'bad_request', `a release of ${specs.length} tables is too large: at most ${MAX_RELEASE_TABLES} (indicators × breakdowns)`)
  }
  const order = [...new Set(specs.map((spec) => spec.indicator))]
  return specs.map((spec, i) => ({ spec, i }))
    .sort((a, b) => order.indexOf(a.spec.indicator) - order.indexOf(b.spec.indicator) || a.i - b.i)
    .map(({ spec }) => spec)
}

function sourceLine (wave: ReleaseWave, computed: ComputedTables, settings: ReleaseSettings, answeredBefore: number): string {
  const overall = computed.respondentRows.find((row) => Object.keys(row.group).length === 0)
  // The total can be suppressed for other reasons than its size, e.g. fewer than k arrived since an earlier release.
  const n = computed.respondents !== null
    ? `${computed.respondents} respondents`
    : overall?.rule === 'n_below_k' ? `fewer than ${settings.k} respondents` : 'respondents (number withheld by disclosure control)'
  return `Source: Prevalens, ${wave.name} (${wave.opensOn} to ${wave.closesOn}), ${n} at ${computed.sites} ` +
    `site${computed.sites === 1 ? '' : 's'}. ${METHOD_TEXT[settings.method]}${settings.strata === null ? '' : ', counties as strata'}, ` +
    `${WEIGHTS_TEXT[settings.weights]}. ${repeatNote(settings.repeats, answeredBefore, settings.k).en} ` +
    `${Math.round(settings.level * 1000) / 10} % level. Reliability: the NCHS presentation standard for proportions ` +
    '(effective sample size at least 30, interval narrower than 30 points and, from 5 points, than 130 % of the estimate; ' +
    `fewer than 8 degrees of freedom, 0 % and 100 % marked); ${UNRELIABLE_TEXT[settings.unreliable]}. Disclosure control: cells with fewer than ${settings.k} respondents, ` +
    'yes or no answers are suppressed, with complementary suppression across every table released for the wave, ' +
    'audited against an attacker with a linear and integer programming solver.'
}

/**
 * The sites a release counted, as its frozen source line states them (sourceLine above writes "at N
 * site(s)"): the release keeps no other record of it, and the line was frozen with the figures.
 */
function sitesOf (source: string): number | undefined {
  const match = / at (\d+) sites?\. /.exec(source)
  return match === null ? undefined : Number(match[1])
}

function summaryOf (row: ReleaseSummaryRow): ReleaseSummary {
  return {
    id: row.id,
    waveId: row.waveId,
    waveName: row.waveName,
    opensOn: row.opensOn,
    closesOn: row.closesOn,
    releasedAt: row.releasedAt.toISOString(),
    status: row.supersededBy === null ? 'current' : 'superseded',
    supersededBy: row.supersededBy,
    k: row.k,
    method: row.method,
    strata: row.strata,
    level: row.level,
    unreliable: row.unreliable,
    weights: row.weights,
    repeats: row.repeats,
    ...(row.respondents === null ? {} : { respondents: row.respondents }),
    tableCount: row.tableCount,
    hasPublicLink: row.hasPublicLink,
  }
}

interface VersionLabels {
  labels: Map<string, { en: string, nb: string }>
  headline: Set<string>
}

/** Survey versions never change once published (their rules neither), so their labels are kept once read. */
const labelCache = new Map<number, VersionLabels>()

async function indicatorLabels (db: Kysely<Database>, surveyVersionId: number): Promise<VersionLabels> {
  const cached = labelCache.get(surveyVersionId)
  if (cached !== undefined) return cached
  const version = await findVersionMapAndRules(db, surveyVersionId)
  const labels = new Map(Object.entries(version?.indicatorMap.indicators ?? {}).map(([name, rule]) => [name, { en: rule.label.en, nb: rule.label.nb }]))
  const found = { labels, headline: new Set(version?.rules.headline.indicators ?? []) }
  labelCache.set(surveyVersionId, found)
  return found
}

async function detailOf (db: Kysely<Database>, row: ReleaseContentRow): Promise<ReleaseDetail> {
  const { labels, headline } = await indicatorLabels(db, row.surveyVersionId)
  const names = [...new Set(row.tableSpecs.map((spec) => spec.indicator))]
  const sites = sitesOf(row.source)
  // The instrument's first headline indicator the release has (any violence, last 12 months, for hverdag).
  const lead = [...headline].find((name) => names.includes(name))
  return {
    release: summaryOf(row),
    source: row.source,
    ...(sites === undefined ? {} : { sites }),
    ...(lead === undefined ? {} : { lead }),
    indicators: names.map((name) => ({ name, label: labels.get(name) ?? { en: name, nb: name }, headline: headline.has(name) })),
    tables: row.tableSpecs,
    respondents: row.respondentRows,
    // Notes are read from the frozen sentences when served (api/services/release-notes.ts), so every
    // release, whenever it was frozen and in whichever stored format, reads alike.
    rows: row.resultRows.map(withRowNotes),
    differences: row.differences.map(withDifferenceNotes),
    notes: [WEIGHTS_NOTE[row.weights], repeatNote(row.repeats, row.answeredBefore, row.k)],
  }
}

/** @throws {AppError} 404 for a release that does not exist */
export async function getRelease (db: Kysely<Database>, id: string): Promise<ReleaseDetail> {
  const row = await findRelease(db, id)
  if (row === undefined) throw new AppError(404, 'not_found', `release "${id}" does not exist`)
  return await detailOf(db, row)
}

/** @throws {AppError} 404 for a release that does not exist */
export async function getReleaseAudit (db: Kysely<Database>, id: string): Promise<ReleaseAuditReply> {
  const row = await findRelease(db, id)
  if (row === undefined) throw new AppError(404, 'not_found', `release "${id}" does not exist`)
  return { audit: row.disclosureAudit }
}

/** @throws {AppError} 404 for a token that names no release (never made, or revoked) */
export async function getPublicRelease (db: Kysely<Database>, token: string): Promise<ReleaseDetail> {
  const row = await findReleaseByTokenHash(db, hashToken(token))
  if (row === undefined) throw new AppError(404, 'not_found', 'this public results link does not exist or was revoked')
  return await detailOf(db, row)
}

/** @throws {AppError} 404 for a wave that does not exist */
export async function listReleasesOfWave (db: Kysely<Database>, waveId: string): Promise<ReleaseList> {
  const wave = await findReleaseWave(db, waveId)
  if (wave === undefined) throw new AppError(404, 'wave_not_found', `wave "${waveId}" does not exist`)
  return { releases: (await listWaveReleases(db, waveId)).map(summaryOf) }
}

/**
 * The current releases, or the one of a wave: a wave that has none is refused by name, so an
 * unreleased wave is never mistaken for one without results.
 * @throws {AppError} 404 for a wave with no release (or none at all)
 */
export async function listReleases (db: Kysely<Database>, waveId?: string): Promise<ReleaseList> {
  const releases = (await listCurrentReleases(db, waveId)).map(summaryOf)
  if (waveId !== undefined && releases.length === 0) {
    throw new AppError(404, 'not_found', `wave "${waveId}" has no released results`)
  }
  return { releases }
}

/**
 * Makes a public link to a release (replacing any earlier one): a random token shown once, stored as
 * its sha256, audited in the same transaction.
 * @throws {AppError} 404 for a release that does not exist
 */
export async function createPublicLink (db: Kysely<Database>, releaseId: string, actor: Account | null): Promise<PublicLinkReply> {
  const token = randomBytes(32).toString('base64url')
  await db.transaction().execute(async (trx) => {
    if (!await setPublicTokenHash(trx, releaseId, hashToken(token))) {
      throw new AppError(404, 'not_found', `release "${releaseId}" does not exist`)
    }
    await recordAudit(trx, { actor, action: 'release.public_link.create', objectType: 'release', objectId: releaseId })
  })
  return { token, path: `/api/public/releases/${token}`, page: `/results/?link=${token}` }
}

/**
 * Revokes a release's public link: the token answers 404 from then on.
 * @throws {AppError} 404 for a release that does not exist
 */
export async function revokePublicLink (db: Kysely<Database>, releaseId: string, actor: Account | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!await setPublicTokenHash(trx, releaseId, null)) {
      throw new AppError(404, 'not_found', `release "${releaseId}" does not exist`)
    }
    await recordAudit(trx, { actor, action: 'release.public_link.revoke', objectType: 'release', objectId: releaseId })
  })
}
