import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'
import { groupIndicators } from '../../web/console/src/screens/indicator-groups.js'

const hverdag = JSON.parse(readFileSync(new URL('../../survey-definitions/hverdag/v1.indicators.json', import.meta.url), 'utf8')) as IndicatorMap
/** The map as it comes back from the database: JSONB orders keys by length, then bytes. */
const stored = (map: IndicatorMap): IndicatorMap => ({
  ...map,
  indicators: Object.fromEntries(Object.entries(map.indicators).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))),
})
const rule = (en: string, nb: string, ...questions: string[]) => ({ label: { en, nb }, anyOf: questions.map((question) => ({ question, values: ['yes'] })) })

describe('the release form groups indicators by violence type and period', () => {
  it('groups hverdag under the broader indicators each implies, periods as columns, in the questionnaire order whatever the key order', () => {
    for (const map of [hverdag, stored(hverdag)]) {
      const { periods, groups } = groupIndicators(map, 'en')
      expect(periods.map((period) => period.label)).toEqual(['Ever', 'Last 12 months', 'Last month', 'No period'])
      expect(groups.map((group) => group.label)).toEqual([
        'Any violence', 'Any physical violence', 'Any sexual violence', 'Threatened, humiliated or controlled', 'Violence by …', 'Other indicators',
      ])
      const physical = groups[1]
      expect(physical?.rows.slice(0, 3).map((row) => row.label)).toEqual(['Any physical violence', 'Pushed or shoved', 'Hair pulled'])
      expect(physical?.rows[1]?.cells).toEqual({
        ever: { name: 'pushed_ever', label: 'Pushed or shoved, ever' },
        '12m': { name: 'pushed_12m', label: 'Pushed or shoved, last 12 months' },
        '1m': { name: 'pushed_1m', label: 'Pushed or shoved, last month' },
      })
      expect(groups[0]?.rows.map((row) => row.label)).toEqual(['Any violence', 'Repeated violence (any type several times)'])
      // An unsuffixed name whose label ends in a period's words has that period.
      expect(groups[4]?.rows.find((row) => row.label === 'Violence by family')?.cells.ever?.name).toBe('perpetrator_family')
      // Every indicator is offered exactly once.
      const names = groups.flatMap((group) => group.rows.flatMap((row) => Object.values(row.cells).map((cell) => cell.name)))
      expect(names.sort()).toEqual(Object.keys(hverdag.indicators).sort())
    }
    expect(groupIndicators(hverdag, 'nb').periods.map((period) => period.label)).toEqual(['Noen gang', 'Siste 12 måneder', 'Siste måned', 'Uten periode'])
    expect(groupIndicators(hverdag, 'nb').groups[1]?.label).toBe('Fysisk vold (minst én type)')
  })

  it('reads another instrument by its own names and labels', () => {
    const map: IndicatorMap = {
      missingValues: [],
      dimensions: {},
      freeText: [],
      indicators: {
        harm_ever: rule('Any harm, ever', 'Noen skade, noen gang', 'bite_ever', 'burn_ever', 'shout_ever'),
        burn_ever: rule('Burned, ever', 'Brent, noen gang', 'burn_ever'),
        bodily_ever: rule('Bodily harm, ever', 'Kroppslig skade, noen gang', 'bite_ever', 'burn_ever'),
        bite_ever: rule('Bitten, ever', 'Bitt, noen gang', 'bite_ever'),
        shout_ever: rule('Shouted at, ever', 'Kjeftet på, noen gang', 'shout_ever'),
        housing: rule('Has housing', 'Har bolig', 'housing'),
      },
    }
    const { periods, groups } = groupIndicators(map, 'en')
    expect(periods.map((period) => period.key)).toEqual(['ever', 'none'])
    expect(groups.map((group) => [group.label, group.rows.map((row) => row.label)])).toEqual([
      ['Any harm', ['Any harm']],
      ['Bodily harm', ['Bodily harm', 'Bitten', 'Burned']],
      ['Shouted at', ['Shouted at']],
      ['Other indicators', ['Has housing']],
    ])
  })
})
