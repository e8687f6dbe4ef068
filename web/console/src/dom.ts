import { currentLang } from './i18n.js'

/** A tiny element builder: no framework and no innerHTML, so nothing the API returns is ever parsed as markup. */
export type Child = Node | string | number | false | null | undefined

type Listener = (event: Event) => void
/** Attributes by name (`true` sets an empty attribute, false/undefined leaves it out); `on<event>` functions become listeners. */
export type Props = Record<string, string | number | boolean | undefined | Listener>

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value)
    else if (value === true) element.setAttribute(key, '')
    else if (value !== false && value !== undefined) element.setAttribute(key, String(value))
  }
  append(element, children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** An SVG element; attributes only (a style attribute would break the Content-Security-Policy). */
export function svg (tag: string, attributes: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value))
  append(element, children)
  return element
}

/** The children worth inserting: conditions that came out false, null or undefined are left out. */
export function nodes (...children: Child[]): Array<Node | string> {
  return children.flatMap((child) => child === false || child === null || child === undefined ? [] : [typeof child === 'number' ? String(child) : child])
}

function append (element: Element, children: Child[]): void {
  element.append(...nodes(...children))
}

/** A table with a caption, header row and body rows (or "None yet."); cells are nodes or text. */
export function table (caption: string, headers: string[], rows: Child[][], props: Props = {}): HTMLTableElement {
  return h('table', props,
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...(rows.length === 0
      ? [h('tr', {}, h('td', { colspan: headers.length, class: 'empty' }, currentLang() === 'nb' ? 'Ingen ennå.' : 'None yet.'))]
      : rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell)))))))
}

/** The visible text of a piece of instrument HTML (parsed inertly, never inserted as markup). */
export function textOfHtml (html: string): string {
  return (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim()
}

let idCounter = 0
export const uniqueId = (prefix: string): string => `${prefix}-${++idCounter}`
