import { describe, expect, it } from 'vitest'
import { AnalysisInputError } from '../../../analysis/errors.js'
import { defaultIndicators, flatFileCounts } from '../../../analysis/flat-file-counts.js'
import { formatCsvRow, parseCsv, parseJsonLines } from '../../../analysis/flat-file.js'

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM, and skips empty lines', () => {
    const text = '\uFEFFsite,note,hit\r\n"a,1","say ""hi""",1\r\n\r\nb,"two\nlines",\n"",x,0'
    expect(parseCsv(text)).toEqual({
      columns: ['site', 'note', 'hit'],
      rows: [['a,1', 'say "hi"', '1'], ['b', 'two\nlines', ''], ['', 'x', '0']],
      lines: [2, 4, 6],
    })
  })

  it('round-trips what formatCsvRow writes', () => {
    const values = ['plain', 'a,b', 'quote " inside', 'line\nbreak', ' padded ', '']
    expect(parseCsv(`${formatCsvRow(['a', 'b', 'c', 'd', 'e', 'f'])}\n${formatCsvRow(values)}\n`).rows).toEqual([values])
  })

  it('names the line of malformed CSV', () => {
    const cases: Array<[string, string]> = [
      ['a,b\n1,"open\n', 'line 2: a quoted field is never closed'],
      ['a,b\n"x"y,1\n', 'line 2: unexpected "y" after a closing quote'],
      ['a,b\n1,x"y\n', 'line 2: a quote inside an unquoted field'],
      ['a,b\n1,0\n1\n', 'line 3: 1 field(s), but the header has 2 column(s)'],
      ['a,a\n1,0\n', 'the header names "a" twice'],
      ['a,,b\n', 'column 2 of the header has no name'],
      ['', 'the file is empty'],
    ]
    for (const [text, message] of cases) {
      expect(() => parseCsv(text), message).toThrow(AnalysisInputError)
      expect(() => parseCsv(text), message).toThrow(message)
    }
  })
})

describe('parseJsonLines', () => {
  it('takes the union of keys as columns; numbers as text, null or absent as empty', () => {
    expect(parseJsonLines('{"gender":"woman","hit":1}\n\n{"hit":0,"centrality":3}\n{"gender":null}\n')).toEqual({
      columns: ['gender', 'hit', 'centrality'],
      rows: [['woman', '1', ''], ['', '0', '3'], ['', '', '']],
      lines: [1, 3, 4],
    })
  })

  it('names the line that is not a flat JSON object', () => {
    expect(() => parseJsonLines('{"a":1}\n{"a":\n')).toThrow('line 2: not valid JSON')
    expect(() => parseJsonLines('[1,2]\n')).toThrow('line 1: each line must hold one JSON object')
    expect(() => parseJsonLines('{"a":{"b":1}}\n')).toThrow('line 1: "a" holds an object')
  })
})

describe('flatFileCounts', () => {
  const table = parseCsv([
    'site,county,gender,hit,kick,note',
    's1,03,woman,1,0,x',
    's1,03,woman,0,,y',
    's2,03,,1,1,z',
    's3,46,man,,1,w',
  ].join('\n'))

  it('counts per cell and cluster, a missing value leaving the denominator', () => {
    const counts = flatFileCounts(table, { by: ['gender'], cluster: 'site', strata: 'county' })
    expect(counts.indicators).toEqual(['hit', 'kick'])
    expect(counts.strata).toEqual({ s1: '03', s2: '03', s3: '46' })
    expect(counts.rows).toEqual([
      { group: { gender: 'woman' }, cluster: 's1', counts: [{ n: 2, yes: 1 }, { n: 1, yes: 0 }] },
      { group: { gender: null }, cluster: 's2', counts: [{ n: 1, yes: 1 }, { n: 1, yes: 1 }] },
      { group: { gender: 'man' }, cluster: 's3', counts: [{ n: 0, yes: 0 }, { n: 1, yes: 1 }] },
    ])
  })

  it('takes for indicators only the columns of 1, 0 and empty, never the export\'s dimension columns', () => {
    const withCentrality = parseCsv('centrality,empty,hit,text\n1,,1,a\n0,,0,b\n')
    expect(defaultIndicators(withCentrality)).toEqual(['hit'])
  })

  it('refuses unknown columns, bad values and inconsistent clusters by name', () => {
    const cases: Array<[Parameters<typeof flatFileCounts>[1], string]> = [
      [{ by: ['region'] }, 'unknown column "region" (breakdown)'],
      [{ indicators: ['hit', 'punch'] }, 'unknown column "punch" (indicator)'],
      [{ indicators: ['note'] }, 'line 2: column "note" holds "x"; an indicator holds 1 (yes), 0 (no) or empty (missing)'],
      [{ by: ['gender'], indicators: ['gender'] }, 'column "gender" is named both as a breakdown and as an indicator'],
      [{ strata: 'county' }, 'strata need a cluster column'],
      [{ cluster: 'gender' }, 'line 4: the cluster column "gender" is empty'],
      [{ cluster: 'county', strata: 'site' }, 'line 4: cluster "03" is in stratum "s1" on an earlier line and "s2" here'],
    ]
    for (const [options, message] of cases) {
      expect(() => flatFileCounts(table, options), message).toThrow(message)
    }
    expect(() => flatFileCounts(parseCsv('a,b\nx,y\n'))).toThrow('no indicator column')
  })
})
