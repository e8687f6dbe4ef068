import { describe, expect, it } from 'vitest'
import type { StatCell, StatDictionary, StatVariable } from '../../api/stat-files/dictionary.js'
import { fitBytes, fitCharacters } from '../../api/stat-files/dictionary.js'
import { createDtaWriter } from '../../api/stat-files/dta-writer.js'
import { createSavWriter } from '../../api/stat-files/sav-writer.js'

const gender: StatVariable = {
  name: 'q_gender',
  label: 'Kjønn',
  stringWidth: 0,
  valueLabels: [{ value: 1, label: 'Kvinne' }, { value: 2, label: 'Mann' }],
  missing: [{ value: -1, stata: 'a', label: 'Vil ikke svare' }, { value: -2, stata: 'b', label: 'Ikke spurt' }],
  measure: 'nominal',
}
const week: StatVariable = { name: 'iso_week', label: 'Uke', stringWidth: 8, valueLabels: [], missing: [], measure: 'nominal' }
const DICTIONARY: StatDictionary = { fileLabel: 'Prøve', variables: [gender, week] }
const ROWS: StatCell[][] = [[1, '2026-W49'], [-1, '2026-W48'], [-2, '2026-W49'], [null, '']]

describe('labels cut to what a format holds', () => {
  it('cuts by UTF-8 bytes without splitting a character, and marks the cut', () => {
    expect(fitBytes('abc', 3)).toBe('abc')
    expect(fitBytes('ææææ', 7)).toBe('ææ…')
    expect(Buffer.byteLength(fitBytes('ø'.repeat(200), 120))).toBeLessThanOrEqual(120)
  })
  it('cuts by characters and marks the cut', () => {
    expect(fitCharacters('abcdef', 6)).toBe('abcdef')
    expect(fitCharacters('abcdef', 4)).toBe('abc…')
  })
})

describe('SPSS system file writer', () => {
  const sav = createSavWriter(DICTIONARY, ROWS.length, new Date('2026-12-03T10:20:30Z'))
  const head = sav.dictionary()
  const cases = sav.cases(ROWS)

  it('writes the documented header: magic, layout 2, segments per case, no compression, the case count, bias 100', () => {
    expect(head.subarray(0, 4).toString('latin1')).toBe('$FL2')
    expect(head.readInt32LE(64)).toBe(2)
    expect(head.readInt32LE(68)).toBe(2)
    expect(head.readInt32LE(72)).toBe(0)
    expect(head.readInt32LE(80)).toBe(ROWS.length)
    expect(head.readDoubleLE(84)).toBe(100)
    expect(head.subarray(92, 109).toString('latin1')).toBe('03 Dec 2610:20:30')
  })

  it('declares both missing values on the variable record and names the variables in UTF-8', () => {
    const record = head.subarray(176)
    expect(record.readInt32LE(0)).toBe(2)
    expect(record.readInt32LE(4)).toBe(0)
    expect(record.readInt32LE(12)).toBe(2)
    const labelLength = record.readInt32LE(32)
    const missingAt = 36 + Math.ceil(labelLength / 4) * 4
    expect([record.readDoubleLE(missingAt), record.readDoubleLE(missingAt + 8)]).toEqual([-1, -2])
    expect(head.includes(Buffer.from('V1=q_gender\tV2=iso_week'))).toBe(true)
    expect(head.includes(Buffer.from('UTF-8'))).toBe(true)
    expect(head.subarray(-8).readInt32LE(0)).toBe(999)
  })

  it('writes 8 bytes a value: sysmis for null, missing codes as they are, strings padded with spaces', () => {
    expect(cases.length).toBe(ROWS.length * 16)
    expect(cases.readDoubleLE(0)).toBe(1)
    expect(cases.subarray(8, 16).toString()).toBe('2026-W49')
    expect(cases.readDoubleLE(16)).toBe(-1)
    expect(cases.readDoubleLE(48)).toBe(-Number.MAX_VALUE)
    expect(cases.subarray(56, 64).toString()).toBe('        ')
    expect(() => { sav.end() }).not.toThrow()
  })

  it('refuses what the format cannot hold, naming the variable', () => {
    expect(() => createSavWriter({ fileLabel: '', variables: [{ ...gender, name: '1st' }] }, 0)).toThrow(/1st/)
    expect(() => createSavWriter({ fileLabel: '', variables: [{ ...week, stringWidth: 300 }] }, 0)).toThrow(/iso_week/)
    expect(() => createSavWriter({ fileLabel: '', variables: [{ ...gender, missing: [...gender.missing, ...gender.missing] }] }, 0)).toThrow(/three/)
    const writer = createSavWriter(DICTIONARY, 2)
    expect(() => writer.cases([['woman', 'x']])).toThrow(/q_gender/)
    expect(() => writer.cases([[1, '2026-W49-too-long']])).toThrow(/iso_week/)
    writer.cases([[1, 'a']])
    expect(() => { writer.end() }).toThrow(/announced 2 cases but 1/)
  })
})

describe('Stata .dta writer (format 118)', () => {
  const dta = createDtaWriter(DICTIONARY, ROWS.length, new Date('2026-12-03T10:20:30Z'))
  const file = Buffer.concat([dta.opening(), dta.rows(ROWS.slice(0, 2)), dta.rows(ROWS.slice(2)), dta.closing()])

  it('writes a map whose every offset points at its section, the last at the end of the file', () => {
    const mapAt = file.indexOf('<map>') + 5
    const offsets = Array.from({ length: 14 }, (_, i) => Number(file.readBigUInt64LE(mapAt + 8 * i)))
    const tags = ['<stata_dta>', '<map>', '<variable_types>', '<varnames>', '<sortlist>', '<formats>', '<value_label_names>', '<variable_labels>',
      '<characteristics>', '<data>', '<strls>', '<value_labels>', '</stata_dta>']
    tags.forEach((tag, i) => { expect(file.subarray(offsets[i], (offsets[i] ?? 0) + tag.length).toString('latin1'), tag).toBe(tag) })
    expect(offsets[13]).toBe(file.length)
    expect(file.subarray(0, 90).toString('latin1')).toContain('<release>118</release><byteorder>LSF</byteorder>')
  })

  it('writes long values with missing codes as .a and .b, null as ., and strings in their width', () => {
    const data = file.indexOf('<data>') + 6
    const row = (i: number) => file.subarray(data + 12 * i, data + 12 * (i + 1))
    expect(row(0).readInt32LE(0)).toBe(1)
    expect(row(0).subarray(4).toString()).toBe('2026-W49')
    expect(row(1).readInt32LE(0)).toBe(2147483622)
    expect(row(2).readInt32LE(0)).toBe(2147483623)
    expect(row(3).readInt32LE(0)).toBe(2147483621)
    expect(file.subarray(data + 48, data + 55).toString('latin1')).toBe('</data>')
  })

  it('labels the extended missing values in the value-label table', () => {
    const lbl = file.indexOf('<lbl>') + 5
    const table = lbl + 4 + 129 + 3
    expect(file.readInt32LE(table)).toBe(4)
    const values = Array.from({ length: 4 }, (_, i) => file.readInt32LE(table + 8 + 16 + 4 * i))
    expect(values).toEqual([1, 2, 2147483622, 2147483623])
    expect(file.includes(Buffer.from('Vil ikke svare\0'))).toBe(true)
  })

  it('refuses what Stata cannot hold, naming the variable, and a row count that was not kept', () => {
    expect(() => createDtaWriter({ fileLabel: '', variables: [{ ...gender, name: 'x'.repeat(33) }] }, 0)).toThrow(/x{33}/)
    expect(() => createDtaWriter({ fileLabel: '', variables: [{ ...gender, missing: [{ value: -1, stata: 'A', label: '' }] }] }, 0)).toThrow(/\.A/)
    expect(() => createDtaWriter({ fileLabel: '', variables: [gender, gender] }, 0)).toThrow(/unique/)
    const writer = createDtaWriter(DICTIONARY, 2)
    writer.opening()
    expect(() => writer.rows([[1.5, 'a']])).toThrow(/q_gender/)
    writer.rows([[1, 'a']])
    expect(() => writer.closing()).toThrow(/announced 2 observations but 1/)
  })
})
