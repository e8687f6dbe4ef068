import type { IndicatorCondition, IndicatorMap, IndicatorRule } from './indicator-map.js'

/**
 * The implications between a map's indicators: A ⇒ B when every condition of A is also a condition
 * of B (same question, B accepting at least A's values). An indicator is yes when any of its
 * conditions holds, so then every respondent with A = yes has B = yes (pushed ⇒ any physical
 * violence ⇒ any violence). Disclosure control gives these to the attacker it guards against.
 * @example
 * // pushed: [{ question: 'pushed_12m', values: ['once', 'several'] }]
 * // any_physical: [{ question: 'pushed_12m', values: ['once', 'several'] }, { question: 'kicked_12m', … }]
 * indicatorImplications(map)   // [{ from: 'pushed', to: 'any_physical' }]
 */
export function indicatorImplications (map: IndicatorMap): Array<{ from: string, to: string }> {
  const entries = Object.entries(map.indicators)
  const covers = (b: IndicatorRule, condition: IndicatorCondition): boolean =>
    b.anyOf.some((c) => c.question === condition.question && condition.values.every((v) => c.values.includes(v)))
  const out: Array<{ from: string, to: string }> = []
  for (const [from, a] of entries) {
    for (const [to, b] of entries) {
      if (from !== to && a.anyOf.every((condition) => covers(b, condition))) out.push({ from, to })
    }
  }
  return out
}
