import type { RespondentRow } from '../../../api/schemas/releases.js'
import type { ResultRowReply } from '../../../api/schemas/results.js'
import type { Caption, Chart } from './charts.js'
import type { Lang } from './i18n.js'
import { rowNoteText } from './notes.js'
import { suppressionText } from './tables.js'

/** Hands a file to the browser's download (a blob: link; no server round trip, nothing kept). */
export function saveFile (name: string, type: string, content: Blob | string): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => { URL.revokeObjectURL(url) }, 10_000)
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
const field = (value: string): string => /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
const csvText = (rows: ReadonlyArray<readonly string[]>): string => rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n'

/** Written in the dimension columns of a row that is not broken down by that dimension (the overall figure). */
export const ALL = 'all'

/**
 * A results table as CSV with exactly the API's figures (full precision, a dot as decimal mark, as
 * statistics programs read them); a suppressed cell has empty number fields, suppressed=true and its
 * rule, never a number; note says why a cell is suppressed or how to read it, in the reader's language
 * (never the API's English sentence, which may name a site); reliability is the NCHS standard's verdict
 * (yes, flag, no) with its flags, and withheld whether the release withheld the estimate for it.
 */
export function resultsCsv (lang: Lang, k: number, rows: ReadonlyArray<{ row: ResultRowReply, label: string, wave?: string }>): string {
  const dimensions = [...new Set(rows.flatMap(({ row }) => Object.keys(row.group)))]
  const hasWave = rows.some((row) => row.wave !== undefined)
  const number = (value: number | undefined): string => value === undefined ? '' : String(value)
  return csvText([
    [...(hasWave ? ['wave'] : []), 'indicator', 'indicator_label', ...dimensions, 'n', 'count', 'estimate', 'ci_low', 'ci_high', 'method', 'deff', 'suppressed', 'rule', 'note', 'reliability', 'reliability_flags', 'withheld'],
    ...rows.map(({ row, label, wave }) => [
      ...(hasWave ? [wave ?? ''] : []),
      row.indicator,
      label,
      ...dimensions.map((d) => row.group[d] ?? ALL),
      number(row.n), number(row.count), number(row.estimate), number(row.ci_low), number(row.ci_high),
      row.method,
      number(row.deff),
      String(row.suppressed),
      row.rule ?? '',
      row.suppressed ? suppressionText(lang, row.rule, k) : rowNoteText(lang, row),
      row.reliability?.publish ?? '',
      row.reliability?.flags.join(' ') ?? '',
      String(row.reliability?.withheld === true),
    ]),
  ])
}

/** "Who answered" as CSV: the group, the respondents (empty when suppressed) and why a cell is suppressed. */
export function respondentsCsv (lang: Lang, k: number, rows: readonly RespondentRow[]): string {
  const dimensions = [...new Set(rows.flatMap((row) => Object.keys(row.group)))]
  return csvText([
    [...dimensions, 'respondents', 'suppressed', 'rule', 'note'],
    ...rows.map((row) => [...dimensions.map((d) => row.group[d] ?? ALL), row.n === undefined ? '' : String(row.n), String(row.suppressed), row.rule ?? '',
      row.suppressed ? suppressionText(lang, row.rule, k) : '']),
  ])
}

export function saveSvg (name: string, chart: Chart, caption: Caption): void {
  saveFile(`${name}.svg`, 'image/svg+xml', chart.file(caption).text)
}

/**
 * The chart as PNG: the SVG file drawn on a canvas at twice its size. It loads as a data: image, which
 * the policy allows (img-src 'self' data:), and a data: SVG without foreignObject leaves the canvas untainted.
 */
export async function savePng (name: string, chart: Chart, caption: Caption): Promise<void> {
  const file = chart.file(caption)
  const image = new Image()
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => { resolve() }
    image.onerror = () => { reject(new Error('the chart could not be drawn as an image')) }
  })
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(file.text)}`
  await loaded
  const scale = 2
  const { width, height } = file
  const canvas = document.createElement('canvas')
  canvas.width = Math.ceil(width * scale)
  canvas.height = Math.ceil(height * scale)
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('this browser cannot draw on a canvas')
  context.fillStyle = '#fff'
  context.fillRect(0, 0, canvas.width, canvas.height)
  context.drawImage(image, 0, 0, canvas.width, canvas.height)
  const blob = await new Promise<Blob>((resolve, reject) => {
    canvas.toBlob((result) => { if (result === null) reject(new Error('the image could not be made')); else resolve(result) }, 'image/png')
  })
  saveFile(`${name}.png`, 'image/png', blob)
}
