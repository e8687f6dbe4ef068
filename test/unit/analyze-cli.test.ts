import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResultRow } from '../../analysis/results-table.js'
import { runAnalyze } from '../../api/cli/analyze-command.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// 30 respondents at three sites in two regions; "note" is free text, "district" holds commas.
const CSV = [
  'site,region,gender,district,note,hit,kick',
  ...Array.from({ length: 30 }, (_, i) => [
    `s${i % 3}`, i % 3 === 2 ? 'north' : 'south', i % 2 === 0 ? 'woman' : 'man', '"Oslo, sentrum"', `"note ${i}"`,
    i % 3 === 0 ? '1' : '0', i % 10 === 0 ? '' : String(i % 2),
  ].join(',')),
].join('\n')

describe('analyze CLI', () => {
  let dir: string
  const file = (name: string, text: string): string => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'prevalens-analyze-')) })
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  function analyze (...args: string[]): { status: number, stdout: string, stderr: string } {
    let stdout = ''
    let stderr = ''
    const status = runAnalyze(args, {
      readFile: (path) => readFileSync(path, 'utf8'),
      stdout: (text) => { stdout += text },
      stderr: (text) => { stderr += text },
    })
    return { status, stdout, stderr }
  }

  it('prints the rows as a JSON array: overall by default, every 1/0/empty column an indicator', () => {
    const { status, stdout, stderr } = analyze('--input', file('ok.csv', CSV))
    expect(stderr).toBe('')
    expect(status).toBe(0)
    const rows = JSON.parse(stdout) as ResultRow[]
    expect(rows.map((r) => r.indicator)).toEqual(['hit', 'kick'])
    expect(rows[0]).toMatchObject({ group: {}, n: 30, count: 10, method: 'wilson', suppressed: false })
    expect(rows[1]).toMatchObject({ n: 27, count: 15 })
  })

  it('breaks down by a quoted column with commas, design-based with clusters and strata', () => {
    const { status, stdout } = analyze('--input', file('ok.csv', CSV), '--by', 'district,gender', '--indicators', 'hit',
      '--method', 'cluster', '--cluster', 'site', '--strata', 'region', '--no-suppress')
    expect(status).toBe(0)
    const rows = JSON.parse(stdout) as ResultRow[]
    expect(rows.map((r) => r.group)).toEqual([{ district: 'Oslo, sentrum', gender: 'man' }, { district: 'Oslo, sentrum', gender: 'woman' }])
    // Region north has a single site: its stratum cannot give a variance.
    for (const row of rows) {
      expect(row).toMatchObject({ method: 'design-logit', n: 15, count: 5, estimate: 1 / 3 })
      expect(row).not.toHaveProperty('ci_low')
      expect(row.reason).toContain('stratum "north" has only one cluster')
    }
  })

  it('refuses bad input with a message naming the problem and a non-zero exit', () => {
    const csv = file('ok.csv', CSV)
    const cases: Array<[string[], number, string]> = [
      [[], 2, '--input FILE is required'],
      [['--input', join(dir, 'missing.csv')], 1, `cannot read ${join(dir, 'missing.csv')}: no such file`],
      [['--input', file('data.xlsx', 'x')], 2, 'must end in .csv or .jsonl'],
      [['--input', csv, '--by', 'region,county'], 1, 'unknown column "county" (breakdown)'],
      [['--input', csv, '--indicators', 'hit,punch'], 1, 'unknown column "punch" (indicator)'],
      [['--input', csv, '--indicators', 'note'], 1, 'line 2: column "note" holds "note 0"; an indicator holds 1 (yes), 0 (no) or empty (missing)'],
      [['--input', file('bad.csv', 'site,hit\ns1,1\ns2,yes\n')], 1, 'no indicator column'],
      [['--input', file('bad2.csv', 'site,hit\ns1,1\ns2,2\n'), '--indicators', 'hit'], 1, 'line 3: column "hit" holds "2"'],
      [['--input', file('bad.jsonl', '{"hit":1}\n{"hit":true}\n'), '--indicators', 'hit'], 1, 'line 2: column "hit" holds "true"'],
      [['--input', file('quote.csv', 'a,hit\n"x,1\n')], 1, 'line 2: a quoted field is never closed'],
      [['--input', csv, '--method', 'bootstrap'], 2, 'unknown method "bootstrap": use wilson, clopper-pearson, cluster'],
      [['--input', csv, '--method', 'cluster'], 2, '--method cluster needs --cluster COLUMN'],
      [['--input', csv, '--method', 'cluster', '--cluster', 'nowhere'], 1, 'unknown column "nowhere" (cluster)'],
      [['--input', csv, '--strata', 'region'], 2, '--strata applies to --method cluster or korn-graubard only'],
      [['--input', csv, '--level', '95'], 2, '--level must be a number strictly between 0 and 1'],
      [['--input', csv, '--k', '2'], 2, '--k must be a whole number of at least 3'],
      [['--input', csv, '--by', 'gender', '--by', 'gender'], 1, 'the breakdown by [gender] is requested twice'],
      [['--input', csv, '--shoe-size', '9'], 2, "Unknown option '--shoe-size'"],
    ]
    for (const [args, status, message] of cases) {
      const result = analyze(...args)
      expect(result.status, args.join(' ')).toBe(status)
      expect(result.stderr, args.join(' ')).toContain(message)
      expect(result.stdout, args.join(' ')).toBe('')
    }
  })

  it('as a command: exits non-zero and says why on stderr', async () => {
    const missing = join(dir, 'nothing-here.csv')
    const outcome = await new Promise<{ code: number | null, stderr: string }>((resolve) => {
      execFile('npx', ['tsx', 'api/cli/analyze.ts', '--input', missing], { cwd: ROOT }, (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : (typeof error.code === 'number' ? error.code : null), stderr })
      })
    })
    expect(outcome.code).toBe(1)
    expect(outcome.stderr).toContain(`cannot read ${missing}: no such file`)
  }, 30_000)
})
