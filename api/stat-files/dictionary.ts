/**
 * What a statistical data file holds apart from its rows: the variables, their labels, value labels and
 * missing values, in the shape both writers (SPSS .sav, Stata .dta) take. Pure data, no I/O.
 */

/** A user-missing value: SPSS declares `value` missing; Stata writes the extended missing value `.stata`. */
export interface MissingCode {
  value: number
  /** The letter of Stata's extended missing value (.a–.z). */
  stata: string
  label: string
}

export interface StatVariable {
  name: string
  label: string
  /** 0 for a numeric variable; otherwise a string of at most this many UTF-8 bytes. */
  stringWidth: number
  /** Labels of valid values (numeric variables only). */
  valueLabels: ReadonlyArray<{ value: number, label: string }>
  /** Labelled missing values (numeric variables only; SPSS allows three). */
  missing: readonly MissingCode[]
  measure: 'nominal' | 'ordinal' | 'scale'
}

export interface StatDictionary {
  /** A label for the whole file. */
  fileLabel: string
  variables: readonly StatVariable[]
}

/** One row: a number, a string (for string variables), or null for system-missing (SPSS sysmis, Stata `.`). */
export type StatCell = number | string | null

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, ending in '…' when cut. */
export function fitBytes (text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  let out = ''
  let bytes = Buffer.byteLength('…')
  for (const character of text) {
    const size = Buffer.byteLength(character)
    if (bytes + size > maxBytes) break
    out += character
    bytes += size
  }
  return `${out}…`
}

/** Cuts `text` to at most `maxCharacters` characters (code points), ending in '…' when cut. */
export function fitCharacters (text: string, maxCharacters: number): string {
  const characters = [...text]
  return characters.length <= maxCharacters ? text : `${characters.slice(0, maxCharacters - 1).join('')}…`
}

/** Throws naming the variable when a cell does not fit its variable's type. */
export function checkCell (variable: StatVariable, cell: StatCell): void {
  if (cell === null) return
  if (variable.stringWidth === 0 && (typeof cell !== 'number' || !Number.isFinite(cell))) throw new Error(`variable ${variable.name}: ${JSON.stringify(cell)} is not a number`)
  if (variable.stringWidth > 0 && (typeof cell !== 'string' || Buffer.byteLength(cell) > variable.stringWidth)) {
    throw new Error(`variable ${variable.name}: ${JSON.stringify(cell)} is not a string of at most ${variable.stringWidth} bytes`)
  }
}
