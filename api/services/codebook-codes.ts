import type { CodebookColumn } from '../schemas/exports.js'

type Text = { nb: string, en: string }

/** What an empty cell is called in the SPSS and Stata files, by kind of column (short: SPSS value labels hold 120 bytes). */
const EMPTY_LABELS: Record<CodebookColumn['kind'], Text> = {
  dimension: { nb: 'Ikke besvart, «vil ikke svare» eller ikke spurt', en: 'Not answered, prefer not to say or not asked' },
  indicator: { nb: 'Ukjent: hoppet over eller «vil ikke svare»', en: 'Unknown: skipped or prefer not to say' },
  answer: { nb: 'Ikke spurt (hopplogikk) eller hoppet over', en: 'Not asked (skip logic) or skipped' },
  free_text: { nb: 'Ikke besvart', en: 'Not answered' },
  design: { nb: 'Alltid utfylt', en: 'Always filled in' },
}
const CHOSEN: ReadonlyArray<{ code: string, label: Text }> = [
  { code: '1', label: { nb: 'valgt', en: 'chosen' } },
  { code: '0', label: { nb: 'ikke valgt', en: 'not chosen' } },
]
export const DUMMY_VALUES = CHOSEN

/**
 * Gives a coded column the numbers the SPSS and Stata files use (both take numbers only): codes that are all
 * whole numbers (county, municipality, centrality, indicators) keep their value, other codes are numbered
 * 1, 2, … in the codebook's order. The version's missing codes ("prefer not to say") become -1, -2, … in the
 * version's order (Stata .a, .b, …), and an empty cell, where the column can be empty, the next one: with
 * one missing code, -1 (.a) is "prefer not to say" and -2 (.b) "not asked or skipped" in every column. A checkbox becomes one
 * 0/1 variable per choice, named `<column>_<number>`.
 * @param canBeEmpty whether an empty cell can occur in this column
 */
export function withStatisticalCodes (column: CodebookColumn, missingValues: readonly string[], canBeEmpty: boolean): CodebookColumn {
  if (column.kind === 'free_text' || column.values.length === 0) return column
  const missing = missingValues.filter((code) => column.values.some((value) => value.code === code))
  const valid = column.values.filter((value) => !missing.includes(value.code))
  const numeric = valid.every((value) => /^\d{1,9}$/.test(value.code))
  const numbers = new Map(valid.map((value, i) => [value.code, numeric ? Number(value.code) : i + 1]))
  // Numbered by their place in the version's list, so that each means the same number in every column.
  const missingCodes = missing.map((code) => {
    const i = missingValues.indexOf(code)
    return { code, number: -(i + 1), stata: letter(i), label: column.values.find((value) => value.code === code)?.label ?? { nb: code, en: code } }
  })
  if (canBeEmpty) missingCodes.push({ code: '', number: -(missingValues.length + 1), stata: letter(missingValues.length), label: EMPTY_LABELS[column.kind] })
  for (const entry of missingCodes) numbers.set(entry.code, entry.number)
  return {
    ...column,
    values: column.values.map((value) => ({ ...value, number: numbers.get(value.code) ?? 0 })),
    ...(missingCodes.length > 0 ? { missingCodes } : {}),
    ...(column.multiple === true
      ? { dummies: valid.map((value) => ({ name: `${column.name}_${numbers.get(value.code) ?? 0}`, code: value.code, label: value.label })) }
      : {}),
  }
}

const letter = (i: number): string => String.fromCharCode('a'.charCodeAt(0) + i)
