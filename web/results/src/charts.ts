import { axisX, axisY, barX, barY, dot, gridY, plot, ruleX, ruleY, text } from '@observablehq/plot'
import type { Markish } from '@observablehq/plot'

/** One bar: a published estimate with its interval, or a suppressed cell (no numbers, drawn as a word). */
export interface Bar {
  /** The facet (a group such as "Women"), or "" for none. */
  facet: string
  /** The bar's label within the facet (a period or a wave). */
  x: string
  estimate?: number
  low?: number
  high?: number
  /** The word drawn where a bar has no number ("suppressed", "–"). */
  missing?: string
}

/** The class Plot gives our charts; its default rules (results.css) replace the <style> element it makes. */
const CLASS_NAME = 'prevalens-plot'
const INK = '#1b1b1b'
const SERIES = ['#1d4f91', '#7aa6d8', '#c5620f', '#5c8a3a', '#7b4f9d', '#a33b3b']

/** What a downloaded chart carries around it, in the reader's language. */
export interface Caption {
  title: string
  /** Lines under the chart: what the interval means, the suppression legend, the source line. */
  lines: readonly string[]
}

/** A chart file: the SVG text and its size in CSS pixels. */
export interface ChartFile {
  text: string
  width: number
  height: number
}

export interface Chart {
  /** The chart as shown: the SVG without Plot's <style> element (see stripStyle). */
  svg: SVGSVGElement
  /** The chart as a standalone SVG file with its title above and its caption lines below, Plot's default styles included. */
  file: (caption: Caption) => ChartFile
}

const SVG = 'http://www.w3.org/2000/svg'

function svgElement<K extends keyof SVGElementTagNameMap> (tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag)
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value))
  if (text !== undefined) element.textContent = text
  return element
}

/**
 * Words broken into lines of at most `chars` characters: SVG text does not wrap by itself. The width
 * per character is a sans-serif average (0.55 em), generous enough that a line does not run out.
 */
export function wrap (text: string, chars: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > chars) {
      lines.push(line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push(line)
  return lines
}

/**
 * The file a reader downloads: the chart with its title above it and, below, what the interval means,
 * the suppression legend and the source line, so a chart pasted into a report still says what it
 * shows and where it comes from.
 */
function chartFile (svg: SVGSVGElement, css: string, label: string, caption: Caption): ChartFile {
  const chartWidth = svg.width.baseVal.value
  const chartHeight = svg.height.baseVal.value
  const width = Math.max(560, Math.ceil(chartWidth))
  const pad = 16
  const titleSize = 17
  const lineSize = 12.5
  const titleLines = wrap(caption.title, Math.floor((width - 2 * pad) / (titleSize * 0.58)))
  const captionLines = caption.lines.map((text) => wrap(text, Math.floor((width - 2 * pad) / (lineSize * 0.55))))
  const chartTop = pad + titleLines.length * titleSize * 1.3 + 6
  let y = chartTop + chartHeight + 8
  const file = svgElement('svg', { xmlns: SVG, width, height: 0, viewBox: '', 'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif' })
  file.append(
    svgElement('title', {}, label),
    svgElement('rect', { width: '100%', height: '100%', fill: 'white' }))
  titleLines.forEach((line, i) => {
    file.append(svgElement('text', { x: pad, y: pad + (i + 0.85) * titleSize * 1.3, 'font-size': titleSize, 'font-weight': 700, fill: INK, class: 'caption-title' }, line))
  })
  const copy = svg.cloneNode(true) as SVGSVGElement
  copy.setAttribute('x', String(Math.round((width - chartWidth) / 2)))
  copy.setAttribute('y', String(chartTop))
  copy.prepend(svgElement('style', {}, css))
  file.append(copy)
  captionLines.forEach((lines, paragraph) => {
    for (const line of lines) {
      y += lineSize * 1.35
      file.append(svgElement('text', { x: pad, y, 'font-size': lineSize, fill: INK, class: `caption-line caption-${paragraph}` }, line))
    }
    y += 4
  })
  const height = Math.ceil(y + pad)
  file.setAttribute('height', String(height))
  file.setAttribute('viewBox', `0 0 ${width} ${height}`)
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(file)}\n`, width, height }
}

/**
 * Plot puts a <style> element in each chart. The pages' Content-Security-Policy allows styles from
 * 'self' only (no 'unsafe-inline': api/plugins/external/helmet.ts), so Chromium would refuse that
 * element and report a violation. It is removed before the chart enters the page and its few rules
 * live in results.css; the downloaded file (not under the CSP) keeps it. Plot's other styling is
 * presentation attributes and CSSOM, which the policy allows.
 */
function stripStyle (svg: SVGSVGElement, label: string): Chart {
  const style = svg.querySelector('style')
  const css = style?.textContent ?? ''
  style?.remove()
  // The chart is one image named by its title, its data in the table beside it: the labels Plot gives
  // its inner groups would be prohibited ARIA on elements without a role (axe: aria-prohibited-attr).
  for (const element of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
    element.removeAttribute('aria-label')
    element.removeAttribute('aria-description')
  }
  svg.setAttribute('role', 'img')
  svg.setAttribute('aria-label', label)
  return { svg, file: (caption) => chartFile(svg, css, label, caption) }
}

const pct = (value: number | undefined): number | undefined => value === undefined ? undefined : value * 100

/**
 * Vertical bars with 95 % whiskers: one panel per facet (group), one bar per x (period or wave) inside
 * it; a cell without a number shows its word at the baseline instead of a bar.
 */
export function facetedBars (bars: readonly Bar[], options: { label: string, yLabel: string, width?: number }): Chart {
  const shown = bars.filter((bar) => bar.estimate !== undefined).map((bar) => ({ ...bar, estimate: pct(bar.estimate), low: pct(bar.low), high: pct(bar.high) }))
  const missing = bars.filter((bar) => bar.estimate === undefined)
  const xs = [...new Set(bars.map((bar) => bar.x))]
  const facets = [...new Set(bars.map((bar) => bar.facet))]
  const marks: Markish[] = [
    barY(shown, { fx: 'facet', x: 'x', y: 'estimate', fill: 'x' }),
    ruleX(shown.filter((bar) => bar.low !== undefined && bar.high !== undefined), { fx: 'facet', x: 'x', y1: 'low', y2: 'high', stroke: INK, strokeWidth: 2, className: 'interval' }),
    ruleY([0], { stroke: INK }),
    // Labels such as "12 months" or a wave's name wrap onto two lines under their bar rather than overlap.
    axisX({ lineWidth: 4.5, tickSize: 0, label: null }),
    text(missing, { fx: 'facet', x: 'x', y: 0, text: 'missing', dy: -10, rotate: -90, textAnchor: 'start', fill: INK, fontSize: 12 }),
  ]
  const svg = plot({
    className: CLASS_NAME,
    width: options.width ?? Math.max(420, facets.length * xs.length * 70 + 80),
    height: 320,
    marginBottom: 48,
    marginTop: 28,
    style: { fontSize: '13px' },
    fx: { domain: facets, label: null, padding: 0.12 },
    x: { domain: xs, label: null, padding: 0.15 },
    y: { domain: [0, 100], label: options.yLabel, grid: true },
    color: { domain: xs, range: SERIES },
    marks,
  }) as SVGSVGElement
  return stripStyle(svg, options.label)
}

/** Horizontal bars with whiskers, one per group: the explore view's shape for any breakdown or crossing. */
export function groupBars (bars: readonly Bar[], options: { label: string, xLabel: string }): Chart {
  const shown = bars.filter((bar) => bar.estimate !== undefined).map((bar) => ({ ...bar, estimate: pct(bar.estimate), low: pct(bar.low), high: pct(bar.high) }))
  const missing = bars.filter((bar) => bar.estimate === undefined)
  const ys = bars.map((bar) => bar.x)
  const longest = Math.max(...ys.map((y) => y.length), 4)
  const svg = plot({
    className: CLASS_NAME,
    width: 720,
    height: 60 + ys.length * 30,
    marginLeft: Math.min(300, 12 + longest * 7.5),
    marginRight: 24,
    style: { fontSize: '13px' },
    y: { domain: ys, label: null, padding: 0.25 },
    x: { domain: [0, 100], label: options.xLabel, grid: true },
    marks: [
      barX(shown, { y: 'x', x: 'estimate', fill: SERIES[0] }),
      ruleY(shown.filter((bar) => bar.low !== undefined && bar.high !== undefined), { y: 'x', x1: 'low', x2: 'high', stroke: INK, strokeWidth: 2, className: 'interval' }),
      ruleX([0], { stroke: INK }),
      text(missing, { y: 'x', x: 0, text: 'missing', dx: 6, textAnchor: 'start', fill: INK, fontSize: 12 }),
    ],
  }) as SVGSVGElement
  return stripStyle(svg, options.label)
}

/** One figure of one wave in a comparison over time: a group's estimate with its interval, or a word where it has none. */
export interface WavePoint {
  group: string
  wave: string
  estimate?: number
  low?: number
  high?: number
  missing?: string
}

/** Pixels between two waves' figures in one group's band. */
const WAVE_STEP = 16
/** Average width of a character of a 13 px label, for the margin the group labels need. */
const CHAR = 7

/**
 * A comparison over waves that scales with the table: one band per group, each wave's figure a dot
 * (its own colour and shape) with its interval as a line, the waves named in a legend above. The
 * chart grows in height with the groups, never squeezes them side by side, so a gender × county table
 * reads like a list; group labels wrap within their margin and the band is tall enough for them.
 */
export function overTimeDots (points: readonly WavePoint[], options: { label: string, xLabel: string, format: (value: number) => string, width?: number }): Chart {
  const groups = [...new Set(points.map((point) => point.group))]
  const waves = [...new Set(points.map((point) => point.wave))]
  const width = options.width ?? 720
  const longest = Math.max(4, ...groups.map((group) => group.length))
  const marginLeft = Math.min(260, 16 + longest * CHAR)
  const labelLines = Math.ceil((longest * CHAR) / (marginLeft - 16))
  const band = Math.max(30, waves.length * WAVE_STEP + 14, labelLines * 16 + 10)
  const legendRows = Math.ceil(waves.length / 3)
  const marginTop = 18 + legendRows * 20
  const shown = points.filter((point) => point.estimate !== undefined)
    .map((point) => ({ ...point, estimate: pct(point.estimate), low: pct(point.low), high: pct(point.high) }))
  const top = Math.max(10, ...shown.map((point) => point.high ?? point.estimate ?? 0))
  const domainMax = Math.min(100, Math.ceil((top + 5) / 10) * 10)
  const offset = (i: number): number => (i - (waves.length - 1) / 2) * WAVE_STEP
  const marks: Markish[] = [ruleX([0], { stroke: INK })]
  waves.forEach((wave, i) => {
    const mine = shown.filter((point) => point.wave === wave)
    const colour = SERIES[i % SERIES.length] as string
    marks.push(
      ruleY(mine.filter((point) => point.low !== undefined && point.high !== undefined), { y: 'group', x1: 'low', x2: 'high', dy: offset(i), stroke: colour, strokeWidth: 2.5, className: 'interval' }),
      dot(mine, { y: 'group', x: 'estimate', dy: offset(i), fill: colour, stroke: 'white', r: 5 }),
      text(points.filter((point) => point.wave === wave && point.estimate === undefined), {
        y: 'group', x: 0, dy: offset(i), dx: 6, text: (point: WavePoint) => `${waves.length > 1 ? `${point.wave}: ` : ''}${point.missing ?? '–'}`, textAnchor: 'start', fill: INK, fontSize: 12.5,
      }))
  })
  const svg = plot({
    className: CLASS_NAME,
    width,
    height: marginTop + 44 + groups.length * band,
    marginLeft,
    marginRight: 20,
    marginTop,
    marginBottom: 44,
    style: { fontSize: '13px' },
    y: { domain: groups, label: null, padding: 0, insetBottom: 14 },
    x: { domain: [0, domainMax], label: options.xLabel, grid: true, tickFormat: options.format },
    axis: null,
    marks: [
      axisY({ lineWidth: (marginLeft - 16) / 7.5, tickSize: 0, label: null }),
      axisX({ label: options.xLabel, tickFormat: options.format }),
      gridY({ stroke: '#e3e3e3', strokeOpacity: 1, dy: band / 2 }),
      ...marks,
    ],
  }) as SVGSVGElement
  // The legend is drawn into the SVG itself (Plot's own legend is HTML beside it), so the page and the
  // downloaded file show the same.
  const legend = document.createElementNS(SVG, 'g')
  legend.setAttribute('class', 'wave-legend')
  waves.forEach((wave, i) => {
    const x = marginLeft + (i % 3) * Math.floor((width - marginLeft - 20) / 3)
    const y = 14 + Math.floor(i / 3) * 20
    const swatch = svg.ownerDocument.createElementNS(SVG, 'circle')
    for (const [name, value] of [['cx', x + 6], ['cy', y], ['r', 5], ['fill', SERIES[i % SERIES.length] as string]] as const) swatch.setAttribute(name, String(value))
    const name = svg.ownerDocument.createElementNS(SVG, 'text')
    for (const [attribute, value] of [['x', x + 16], ['y', y + 4], ['font-size', 12.5], ['fill', INK], ['text-anchor', 'start']] as const) name.setAttribute(attribute, String(value))
    name.textContent = wave
    legend.append(swatch, name)
  })
  svg.append(legend)
  return stripStyle(svg, options.label)
}
