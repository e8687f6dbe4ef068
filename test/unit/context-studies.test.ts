import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTEXT_CONCEPTS, ContextStudiesError, contextStudiesProblems, loadContextStudies } from '../../survey-definitions/context-studies.js'
import type { ContextStudies } from '../../survey-definitions/context-studies.js'
import { INSTRUMENT_FILE, definitionsDir, loadDefinitions, readInstrument } from '../../survey-definitions/index.js'

/** hverdag's headline indicators, as its instrument file states them (survey-definitions/hverdag/instrument.json). */
const HEADLINE_INDICATORS = readInstrument(join(definitionsDir, 'hverdag', INSTRUMENT_FILE)).headline.indicators

const shipped = (): ContextStudies => structuredClone(loadContextStudies())

describe('context studies (figures earlier studies published)', () => {
  it('the shipped file is valid and holds the figures the results app cites', () => {
    const { studies } = loadContextStudies()
    const find = (percent: number, indicator: string, year: number) =>
      studies.find((study) => study.percent === percent && study.indicator === indicator && study.year === year)
    expect(find(40, 'any_violence_1m', 2017)?.place.en).toMatch(/Bergen/)
    expect(find(38, 'any_violence_12m', 2020)?.source.title).toMatch(/Brukerplan/)
    expect(find(25, 'strangled_ever', 2021)?.place.en).toMatch(/Sweden/)
  })

  it('relates every study to an indicator every shipped instrument defines', () => {
    const { studies } = loadContextStudies()
    for (const definition of loadDefinitions()) {
      const known = new Set(Object.keys(definition.indicatorMap.indicators))
      expect(studies.filter((study) => !known.has(study.indicator)).map((study) => study.id)).toEqual([])
    }
  })

  it('shows each study beside a headline chart that exists', () => {
    const concepts = new Set(HEADLINE_INDICATORS.map((name) => name.replace(/_(12m|ever)$/, '')))
    expect([...concepts].sort()).toEqual([...CONTEXT_CONCEPTS].sort())
    for (const study of loadContextStudies().studies) expect(concepts.has(study.shownWith)).toBe(true)
  })

  it('refuses a figure outside 0–100 % and a note that does not say it is another study', () => {
    const data = shipped()
    data.studies[0]!.percent = 140
    data.studies[1]!.note.en = 'Exposed to violence.'
    expect(contextStudiesProblems(data)).toEqual(['/studies/0/percent: Expected number to be less or equal to 100'])
    data.studies[0]!.percent = 40
    expect(contextStudiesProblems(data)).toEqual(['/studies/1/note/en: must say "another study" (another sample and method)'])
  })

  it('refuses a repeated id, a source older than its figure and a missing source field', () => {
    const data = shipped()
    data.studies[1]!.id = data.studies[0]!.id
    data.studies[2]!.source.year = data.studies[2]!.year - 1
    expect(contextStudiesProblems(data)).toEqual([
      `/studies/1/id: ${data.studies[0]!.id} is listed twice`,
      `/studies/2/source/year: published (${data.studies[2]!.year - 1}) before the year it describes (${data.studies[2]!.year})`,
    ])
    const noPublisher = shipped() as unknown as { studies: Array<{ source: Record<string, unknown> }> }
    delete noPublisher.studies[0]!.source.publisher
    expect(contextStudiesProblems(noPublisher)[0]).toMatch(/^\/studies\/0\/source/)
  })

  it('names the file and every problem when loading a broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'context-studies-'))
    try {
      const file = join(dir, 'context-studies.json')
      writeFileSync(file, '{ "citedIn": ')
      expect(() => loadContextStudies(file)).toThrow(ContextStudiesError)
      expect(() => loadContextStudies(file)).toThrow(/cannot be read as JSON/)
      const data = shipped()
      data.studies[0]!.shownWith = 'hair_pulled' as never
      writeFileSync(file, JSON.stringify(data))
      expect(() => loadContextStudies(file)).toThrow(new RegExp(`${file}: /studies/0/shownWith`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
