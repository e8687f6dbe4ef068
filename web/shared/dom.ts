/**
 * The one element builder of the three web apps: no framework and no innerHTML, so nothing the API or an
 * instrument sends is ever parsed as markup (ARCHITECTURE.md, rooms: `web/shared/`).
 */
export type Child = Node | string | number | false | null | undefined

export type Listener = (event: Event) => void
export type AttributeValue = string | number | boolean | undefined

/**
 * One props shape for every element: attributes by their HTML name (`class`, `for`, `aria-label`,
 * `data-testid` …; `true` sets an empty attribute, `false` and `undefined` leave it out), and `on<Event>`
 * functions (`onClick`, `onChange`, `onSubmit`, any event) as listeners.
 */
export type Props = Record<string, AttributeValue | Listener>

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  setProps(element, props)
  element.append(...nodes(...children))
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** An SVG element; attributes only (a style attribute would break the Content-Security-Policy). */
export function svg (tag: string, props: Props = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement
  setProps(element, props)
  element.append(...nodes(...children))
  return element
}

function setProps (element: Element, props: Props): void {
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') {
      if (!/^on[A-Za-z]/.test(key)) throw new TypeError(`h(): "${key}" is a function but not an on<Event> listener`)
      element.addEventListener(key.slice(2).toLowerCase(), value)
    } else if (value === true) element.setAttribute(key, '')
    else if (value !== false && value !== undefined) element.setAttribute(key, String(value))
  }
}

/** The children worth inserting: conditions that came out false, null or undefined are left out. */
export function nodes (...children: Child[]): Array<Node | string> {
  return children.flatMap((child) => child === false || child === null || child === undefined ? [] : [typeof child === 'number' ? String(child) : child])
}

/** Replaces an element's content. */
export function fill (element: Element, ...children: Child[]): void {
  element.replaceChildren(...nodes(...children))
}

let idCounter = 0
/** An id unique on the page, to tie a label, hint or heading to its element. */
export const uniqueId = (prefix: string): string => `${prefix}-${++idCounter}`

/** The visible text of a piece of instrument HTML (parsed inertly, never inserted as markup). */
export function textOfHtml (html: string): string {
  return (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim()
}

const ALLOWED = new Set(['H2', 'H3', 'H4', 'P', 'UL', 'OL', 'LI', 'STRONG', 'EM', 'B', 'I', 'BR'])

/**
 * An instrument's html block, rebuilt from allowed tags only (no attributes, so no handlers, links or
 * styles): the definition is ours, but no app trusts markup it did not make.
 */
export function sanitisedHtml (html: string): DocumentFragment {
  const source = new DOMParser().parseFromString(html, 'text/html').body
  const fragment = document.createDocumentFragment()
  const copy = (from: Node, to: Node): void => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.textContent ?? ''))
      } else if (node instanceof Element) {
        if (ALLOWED.has(node.tagName)) {
          // Headings inside a question sit below the page's h1.
          const tag = node.tagName === 'H3' || node.tagName === 'H4' ? 'h2' : node.tagName.toLowerCase()
          const element = document.createElement(tag)
          copy(node, element)
          to.appendChild(element)
        } else if (node.tagName !== 'SCRIPT' && node.tagName !== 'STYLE') {
          copy(node, to)
        }
      }
    }
  }
  copy(source, fragment)
  return fragment
}
