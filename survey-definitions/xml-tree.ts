/**
 * The little XML a translation file needs: escaping for writing, and a strict parse into a plain tree for
 * reading. saxes checks well-formedness and namespaces as XML 1.0 states them (a lone `&`, an unquoted
 * attribute, a mismatched tag, a second root are errors with line and column), which a lenient parser or a
 * few regular expressions would let through. No Node imports: the console may bundle it with xliff.ts.
 */
import { SaxesParser } from 'saxes'

export interface XmlElement {
  /** The element's namespace URI ('' when none) and local name. */
  uri: string
  local: string
  /** Attributes without a namespace, by name (`id`, `state`); namespaced ones (`xml:space`) are not kept. */
  attributes: Record<string, string>
  children: XmlNode[]
}
export type XmlNode = XmlElement | string

/** Text content: `&`, `<` and `>` (so `]]>` never appears), and CR, which a parser would turn into LF. */
export const escapeText = (text: string): string =>
  text.replace(/[&<>\r]/g, (char) => ESCAPES[char]!)

/** An attribute value in double quotes: also both quotes, and the white space a parser would normalise. */
export const escapeAttribute = (text: string): string =>
  text.replace(/[&<>"'\r\n\t]/g, (char) => ESCAPES[char]!)

const ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;',
}

/**
 * The document's root element, or what makes it not well-formed (the first few errors, each with line:column).
 * A DOCTYPE is refused: an XLIFF file has none, and entity declarations are a way to smuggle in text.
 */
export function parseXml (xml: string): { root?: XmlElement, problems: string[] } {
  const problems: string[] = []
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  const addText = (text: string): void => {
    const parent = stack[stack.length - 1]
    if (parent === undefined) return
    const last = parent.children.length - 1
    if (typeof parent.children[last] === 'string') parent.children[last] += text
    else parent.children.push(text)
  }
  parser.on('error', (error) => { problems.push(error.message) })
  parser.on('doctype', () => { problems.push(`${parser.line}:${parser.column}: has a DOCTYPE; an XLIFF file has none`) })
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {}
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === '') attributes[attribute.local] = attribute.value
    }
    const element: XmlElement = { uri: tag.uri, local: tag.local, attributes, children: [] }
    stack[stack.length - 1]?.children.push(element)
    if (stack.length === 0) root ??= element
    stack.push(element)
  })
  parser.on('closetag', () => { stack.pop() })
  parser.on('text', addText)
  parser.on('cdata', addText)
  try {
    parser.write(xml).close()
  } catch (error) {
    // saxes throws when an error handler is absent; ours is there, but a closed parser still throws.
    problems.push(error instanceof Error ? error.message : String(error))
  }
  return problems.length > 0 ? { problems: problems.slice(0, 3) } : root === undefined ? { problems: ['has no root element'] } : { root, problems }
}

/** The element children of an element in the given namespace, optionally only those of one local name. */
export const childElements = (element: XmlElement, uri: string, local?: string): XmlElement[] =>
  element.children.filter((child): child is XmlElement => typeof child !== 'string' && child.uri === uri && (local === undefined || child.local === local))
