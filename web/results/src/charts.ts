import { axisX, barX, barY, plot, ruleX, ruleY, text } from '@observablehq/plot'
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

export interface Chart {
  /** The chart as shown: the SVG without Plot's <style> element (see stripStyle). */
  svg: SVGSVGElement
  /** The chart as a standalone SVG file, Plot's default styles included. */
  file: () => string
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
  return {
    svg,
    file: () => {
      const copy = svg.cloneNode(true) as SVGSVGElement
      copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
      const element = document.createElementNS('http://www.w3.org/2000/svg', 'style')
      element.textContent = css
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title')
      title.textContent = label
      const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect')
      for (const [name, value] of [['width', '100%'], ['height', '100%'], ['fill', 'white']]) background.setAttribute(name as string, value as string)
      copy.prepend(title, element, background)
      return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`
    },
  }
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
