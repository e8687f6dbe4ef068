/** A tiny element builder: no framework, no innerHTML for anything but sanitised instrument HTML. */
export type Child = Node | string | false | null | undefined

export interface Props {
  class?: string
  id?: string
  type?: string
  role?: string
  tabindex?: string
  lang?: string
  for?: string
  name?: string
  value?: string
  autocomplete?: string
  autocapitalize?: string
  spellcheck?: string
  inputmode?: string
  maxlength?: string
  'aria-label'?: string
  'aria-live'?: string
  'aria-pressed'?: string
  'aria-describedby'?: string
  'aria-labelledby'?: string
  'data-testid'?: string
  'data-page'?: string
  'data-county'?: string
  onClick?: (event: Event) => void
}

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (key === 'onClick') element.addEventListener('click', value as EventListener)
    else if (typeof value === 'string') element.setAttribute(key, value)
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue
    element.append(child)
  }
  return element
}

const ALLOWED = new Set(['H2', 'H3', 'H4', 'P', 'UL', 'OL', 'LI', 'STRONG', 'EM', 'B', 'I', 'BR'])

/**
 * The instrument's html blocks, rebuilt from allowed tags only (no attributes, so no handlers, links or
 * styles): the definition is ours, but the kiosk still never trusts markup it did not make.
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
