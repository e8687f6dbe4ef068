import type { SiteKind, SiteRow } from '../db/database.js'
import { AppError } from '../errors.js'
import type { Site } from '../schemas/sites.js'
import { regionIndex } from '../../survey-definitions/regions.js'
import type { Municipality } from '../../survey-definitions/regions.js'

export const SITE_KIND_LABELS: Record<SiteKind, { nb: string, en: string }> = {
  municipal_low_threshold: { nb: 'Kommunalt lavterskeltilbud', en: 'Municipal low-threshold service' },
  specialist_treatment: { nb: 'Spesialisert behandling (TSB)', en: 'Specialist treatment' },
  housing: { nb: 'Bolig', en: 'Housing' },
  street_outreach: { nb: 'Oppsøkende tjeneste', en: 'Street outreach' },
  other: { nb: 'Annet', en: 'Other' },
}

/** Statistics Norway's centrality index (2020), in six classes. */
export const CENTRALITY_LABELS: ReadonlyArray<{ value: number, label: { nb: string, en: string } }> = [
  { value: 1, label: { nb: '1 – mest sentrale kommuner', en: '1 – most central municipalities' } },
  { value: 2, label: { nb: '2', en: '2' } },
  { value: 3, label: { nb: '3', en: '3' } },
  { value: 4, label: { nb: '4', en: '4' } },
  { value: 5, label: { nb: '5', en: '5' } },
  { value: 6, label: { nb: '6 – minst sentrale kommuner', en: '6 – least central municipalities' } },
]

/**
 * The municipality of a site form, checked against the reference list; a county sent with it must be the
 * municipality's (its first two digits).
 * @throws {AppError} 400 unknown_municipality / unknown_county naming the number
 */
export function resolveMunicipality (municipalityNumber: string, countyNumber?: string): Municipality {
  const municipality = regionIndex().municipalities.get(municipalityNumber)
  if (municipality === undefined) {
    throw new AppError(400, 'unknown_municipality', `municipality number ${municipalityNumber} is not in the reference list of Norwegian municipalities (GET /api/reference/regions)`)
  }
  if (countyNumber !== undefined && countyNumber !== municipality.countyNumber) {
    throw new AppError(400, 'unknown_county', `municipality ${municipalityNumber} ${municipality.name} is in county ${municipality.countyNumber} ${municipality.countyName}, not in county ${countyNumber}`)
  }
  return municipality
}

/** A county number from the reference list, or a 400 naming it. */
export function assertCounty (countyNumber: string): string {
  const county = regionIndex().regions.counties.find((entry) => entry.number === countyNumber)
  if (county === undefined) throw new AppError(400, 'unknown_county', `county number ${countyNumber} is not a Norwegian county (GET /api/reference/regions)`)
  return county.name
}

export function siteReply (row: SiteRow): Site {
  const municipality = regionIndex().municipalities.get(row.municipality_number)
  const county = regionIndex().regions.counties.find((entry) => entry.number === row.county_number)
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    municipalityNumber: row.municipality_number,
    municipalityName: municipality?.name ?? row.municipality_number,
    countyNumber: row.county_number,
    countyName: county?.name ?? row.county_number,
    centrality: row.centrality,
    createdAt: row.created_at.toISOString(),
  }
}
