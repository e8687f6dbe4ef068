/**
 * A Stata .dta writer, format 118 (Stata 14 and later; UTF-8), little-endian, as StataCorp documents it
 * (`help dta`): the header, the map of section offsets, variable types, names, sort list, display
 * formats, value-label names, variable labels, no characteristics, the data, no strLs, the value labels.
 * Numbers are written as `long` (4 bytes); strings as `str#` (at most 2045 bytes). A variable's missing
 * codes are written as Stata's extended missing values (.a–.z) and labelled there.
 *
 * Streaming: the header holds the number of observations and the map holds the offset of every section
 * after the data, so the caller says the number of rows first; `opening()` is everything before the rows,
 * `rows(batch)` the bytes of a batch, `closing()` everything after, after checking the count was kept.
 * @see https://www.stata.com/help.cgi?dta
 */
import { Bytes } from './bytes.js'
import { checkCell, fitCharacters } from './dictionary.js'
import type { StatCell, StatDictionary, StatVariable } from './dictionary.js'

const LONG = 65528
const MAX_STR = 2045
/** `long`'s missing values: . is 2,147,483,621, .a the next, up to .z. */
const LONG_MISSING = 2147483621
const LONG_MAX = 2147483620
const NAME_BYTES = 129
const LABEL_BYTES = 321
const FORMAT_BYTES = 57
/** Label lengths the format holds, in characters; longer labels are cut (the codebook keeps them whole). */
export const DTA_LABEL_CHARACTERS = { variable: 80, value: 32000 } as const
const MAX_VARIABLE_LABEL = DTA_LABEL_CHARACTERS.variable
const MAX_VALUE_LABEL = DTA_LABEL_CHARACTERS.value

export interface DtaWriter {
  opening: () => Buffer
  rows: (rows: ReadonlyArray<readonly StatCell[]>) => Buffer
  closing: () => Buffer
}

/**
 * @param observations the number of rows that will follow
 * @throws {Error} naming the variable for a name, width or value Stata cannot hold
 */
export function createDtaWriter (dictionary: StatDictionary, observations: number, created = new Date()): DtaWriter {
  const variables = dictionary.variables
  variables.forEach(checkVariable)
  if (new Set(variables.map((variable) => variable.name)).size !== variables.length) throw new Error('variable names must be unique')
  const widths = variables.map((variable) => variable.stringWidth === 0 ? 4 : variable.stringWidth)
  const rowBytes = widths.reduce((a, b) => a + b, 0)
  const labels = valueLabels(variables)
  const missingByValue = variables.map((variable) => new Map(variable.missing.map((missing) => [missing.value, extendedMissing(missing.stata)])))
  let written = 0

  const opening = (): Buffer => {
    const header = new Bytes().ascii('<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>').uint16(variables.length).ascii('</K><N>').uint64(observations).ascii('</N><label>')
    const label = Buffer.from(fitCharacters(dictionary.fileLabel, 80))
    header.uint16(label.length).raw(label).ascii('</label><timestamp>').uint8(17).ascii(stataTimestamp(created)).ascii('</timestamp></header>')
    const mapOffset = header.length
    const mapLength = '<map>'.length + 14 * 8 + '</map>'.length
    const sections = [
      new Bytes().ascii('<variable_types>').raw(Buffer.concat(variables.map((variable) => new Bytes().uint16(variable.stringWidth === 0 ? LONG : variable.stringWidth).toBuffer()))).ascii('</variable_types>'),
      new Bytes().ascii('<varnames>').raw(Buffer.concat(variables.map((variable) => new Bytes().fixed(variable.name, NAME_BYTES).toBuffer()))).ascii('</varnames>'),
      new Bytes().ascii('<sortlist>').raw(Buffer.alloc(2 * (variables.length + 1))).ascii('</sortlist>'),
      new Bytes().ascii('<formats>').raw(Buffer.concat(variables.map((variable) => new Bytes().fixed(variable.stringWidth === 0 ? '%8.0g' : `%-${variable.stringWidth}s`, FORMAT_BYTES).toBuffer()))).ascii('</formats>'),
      new Bytes().ascii('<value_label_names>').raw(Buffer.concat(variables.map((variable) => new Bytes().fixed(labels.has(variable.name) ? variable.name : '', NAME_BYTES).toBuffer()))).ascii('</value_label_names>'),
      new Bytes().ascii('<variable_labels>').raw(Buffer.concat(variables.map((variable) => new Bytes().fixed(fitCharacters(variable.label, MAX_VARIABLE_LABEL), LABEL_BYTES).toBuffer()))).ascii('</variable_labels>'),
      new Bytes().ascii('<characteristics></characteristics>'),
    ]
    const offsets = [0, mapOffset]
    let at = mapOffset + mapLength
    for (const section of sections) { offsets.push(at); at += section.length }
    const data = at
    const strls = data + '<data>'.length + observations * rowBytes + '</data>'.length
    const valueLabelsAt = strls + '<strls></strls>'.length
    const end = valueLabelsAt + closingLabels(labels).length
    offsets.push(data, strls, valueLabelsAt, end - '</stata_dta>'.length, end)
    const map = new Bytes().ascii('<map>')
    for (const offset of offsets) map.uint64(offset)
    map.ascii('</map>')
    return Buffer.concat([header.toBuffer(), map.toBuffer(), ...sections.map((section) => section.toBuffer()), Buffer.from('<data>')])
  }

  return {
    opening,
    rows: (rows) => {
      // One zero-filled buffer per batch, written in place (strings are padded with \0).
      const out = Buffer.alloc(rows.length * rowBytes)
      let at = 0
      for (const row of rows) {
        if (row.length !== variables.length) throw new Error(`a row has ${row.length} values for ${variables.length} variables`)
        variables.forEach((variable, i) => {
          const cell = row[i] ?? null
          checkCell(variable, cell)
          if (variable.stringWidth > 0) {
            if (cell !== null) out.write(cell as string, at, 'utf8')
            at += variable.stringWidth
            return
          }
          const missing = cell === null ? LONG_MISSING : missingByValue[i]?.get(cell as number)
          if (missing === undefined && (!Number.isInteger(cell) || Math.abs(cell as number) > LONG_MAX)) throw new Error(`variable ${variable.name}: ${String(cell)} does not fit a Stata long`)
          out.writeInt32LE(missing ?? cell as number, at)
          at += 4
        })
      }
      written += rows.length
      return out
    },
    closing: () => {
      if (written !== observations) throw new Error(`the header announced ${observations} observations but ${written} were written`)
      return Buffer.concat([Buffer.from('</data><strls></strls>'), closingLabels(labels)])
    },
  }
}

function checkVariable (variable: StatVariable): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(variable.name)) throw new Error(`variable ${variable.name}: not a valid Stata name (letters, digits, _; at most 32)`)
  if (variable.stringWidth < 0 || variable.stringWidth > MAX_STR) throw new Error(`variable ${variable.name}: str# holds at most ${MAX_STR} bytes`)
  for (const missing of variable.missing) {
    if (!/^[a-z]$/.test(missing.stata)) throw new Error(`variable ${variable.name}: .${missing.stata} is not an extended missing value`)
  }
}

/** .a is one past `.`, up to .z. */
const extendedMissing = (letter: string): number => LONG_MISSING + 1 + letter.charCodeAt(0) - 'a'.charCodeAt(0)

/** A value-label table per labelled numeric variable, named as the variable, entries sorted by value. */
function valueLabels (variables: readonly StatVariable[]): Map<string, Buffer> {
  const tables = new Map<string, Buffer>()
  for (const variable of variables) {
    const entries = [
      ...variable.valueLabels.map(({ value, label }) => ({ value, label })),
      ...variable.missing.map(({ stata, label }) => ({ value: extendedMissing(stata), label })),
    ].sort((a, b) => a.value - b.value)
    if (variable.stringWidth > 0 || entries.length === 0) continue
    const texts = entries.map(({ label }) => Buffer.from(`${fitCharacters(label, MAX_VALUE_LABEL)}\0`))
    const table = new Bytes().int32(entries.length).int32(texts.reduce((sum, text) => sum + text.length, 0))
    let offset = 0
    for (const text of texts) { table.int32(offset); offset += text.length }
    for (const { value } of entries) table.int32(value)
    for (const text of texts) table.raw(text)
    const body = table.toBuffer()
    tables.set(variable.name, new Bytes().ascii('<lbl>').int32(body.length).fixed(variable.name, NAME_BYTES).raw(Buffer.alloc(3)).raw(body).ascii('</lbl>').toBuffer())
  }
  return tables
}

function closingLabels (labels: ReadonlyMap<string, Buffer>): Buffer {
  return Buffer.concat([Buffer.from('<value_labels>'), ...labels.values(), Buffer.from('</value_labels></stata_dta>')])
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** "dd Mon yyyy hh:mm". */
function stataTimestamp (date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0')
  return `${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`
}
