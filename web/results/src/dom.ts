/** A tiny element builder: no framework, no innerHTML, so nothing the API sends is ever parsed as markup. */
export type Child = Node | string | number | false | null | undefined

/** Attributes by name; onClick, onChange and onSubmit take a listener. */
export type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>

const EVENTS = { onClick: 'click', onChange: 'change', onSubmit: 'submit' } as const

export function h<K extends keyof HTMLElementTagNameMap> (tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'function') {
      if (key in EVENTS) element.addEventListener(EVENTS[key as keyof typeof EVENTS], value)
    } else if (value === true) element.setAttribute(key, '')
    else if (typeof value === 'string' || typeof value === 'number') element.setAttribute(key, String(value))
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue
    element.append(typeof child === 'number' ? String(child) : child)
  }
  return element
}

/** Replaces an element's content. */
export function fill (element: Element, ...children: Child[]): void {
  element.replaceChildren(...children.flatMap((child) =>
    child === false || child === null || child === undefined ? [] : [typeof child === 'number' ? String(child) : child]))
}
