/**
 * An SPSS system file (.sav) writer, uncompressed, UTF-8, little-endian, as PSPP documents the format
 * ("System File Format" in the PSPP developers' guide): the file header, a variable record (type 2) per
 * variable with its label and up to three discrete user-missing values, value labels (types 3 and 4),
 * machine integer and float info (type 7, subtypes 3 and 4), display parameters (11), long variable
 * names (13) and the character encoding (20), the dictionary end (999), then the cases, 8 bytes a value.
 *
 * Streaming: `dictionary()` is the whole head; `cases(rows)` gives the bytes of any number of rows, so a
 * caller writes rows as it reads them. The number of cases is in the header, so the caller says it first
 * (or -1, unknown, which every reader accepts) and `end()` checks it was kept.
 * @see https://www.gnu.org/software/pspp/pspp-dev/html_node/System-File-Format.html
 */
import { Bytes } from './bytes.js'
import { checkCell, fitBytes } from './dictionary.js'
import type { StatCell, StatDictionary, StatVariable } from './dictionary.js'

/** -DBL_MAX: the system-missing value. */
const SYSMIS = -Number.MAX_VALUE
const LOWEST = -1.7976931348623155e308
const NUMERIC_FORMAT = (5 << 16) | (8 << 8) // F8.0
/** Label lengths the format holds, in UTF-8 bytes; longer labels are cut (the codebook keeps them whole). */
export const SAV_LABEL_BYTES = { variable: 255, value: 120 } as const
const MAX_VARIABLE_LABEL = SAV_LABEL_BYTES.variable
const MAX_VALUE_LABEL = SAV_LABEL_BYTES.value
const MAX_STRING = 255
const MEASURES = { nominal: 1, ordinal: 2, scale: 3 } as const

export interface SavWriter {
  /** The header and the dictionary, up to and including the dictionary end. */
  dictionary: () => Buffer
  /** The bytes of these cases. */
  cases: (rows: ReadonlyArray<readonly StatCell[]>) => Buffer
  /** Checks that as many cases were written as the header announced. */
  end: () => void
}

/**
 * @param cases the number of cases that will follow, or -1 when unknown
 * @param created the time written in the header
 * @throws {Error} naming the variable for a name, width or missing value the format cannot hold
 */
export function createSavWriter (dictionary: StatDictionary, cases: number, created = new Date()): SavWriter {
  const variables = dictionary.variables
  variables.forEach(checkVariable)
  const segments = variables.map((variable) => variable.stringWidth === 0 ? 1 : Math.ceil(variable.stringWidth / 8))
  const caseBytes = segments.reduce((a, b) => a + b, 0) * 8
  let written = 0
  return {
    dictionary: () => head(dictionary, segments, cases, created),
    cases: (rows) => {
      // One buffer per batch, written in place: a field-by-field builder costs an allocation per value.
      const out = Buffer.alloc(rows.length * caseBytes, 0x20)
      let at = 0
      for (const row of rows) {
        if (row.length !== variables.length) throw new Error(`a row has ${row.length} values for ${variables.length} variables`)
        variables.forEach((variable, i) => {
          const cell = row[i] ?? null
          checkCell(variable, cell)
          if (variable.stringWidth === 0) {
            out.writeDoubleLE(cell === null ? SYSMIS : cell as number, at)
            at += 8
          } else {
            if (cell !== null) out.write(cell as string, at, 'utf8')
            at += (segments[i] ?? 1) * 8
          }
        })
      }
      written += rows.length
      return out
    },
    end: () => {
      if (cases >= 0 && written !== cases) throw new Error(`the header announced ${cases} cases but ${written} were written`)
    },
  }
}

function checkVariable (variable: StatVariable): void {
  if (!/^[\p{L}@#$][\p{L}\p{N}_.@#$]*$/u.test(variable.name) || Buffer.byteLength(variable.name) > 64) throw new Error(`variable ${variable.name}: not a valid SPSS name`)
  if (variable.stringWidth < 0 || variable.stringWidth > MAX_STRING) throw new Error(`variable ${variable.name}: strings longer than ${MAX_STRING} bytes are not written`)
  if (variable.missing.length > 3) throw new Error(`variable ${variable.name}: SPSS allows three discrete missing values`)
  if (variable.stringWidth > 0 && (variable.missing.length > 0 || variable.valueLabels.length > 0)) throw new Error(`variable ${variable.name}: only numeric variables carry value labels here`)
}

function head (dictionary: StatDictionary, segments: readonly number[], cases: number, created: Date): Buffer {
  const out = new Bytes()
  const totalSegments = segments.reduce((a, b) => a + b, 0)
  out.ascii('$FL2').fixed('@(#) SPSS DATA FILE Prevalens', 60, 0x20)
    .int32(2).int32(totalSegments).int32(0).int32(0).int32(cases).float64(100)
    .fixed(spssDate(created), 9, 0x20).fixed(created.toISOString().slice(11, 19), 8, 0x20)
    .fixed(fitBytes(dictionary.fileLabel, 64), 64, 0x20).raw(Buffer.alloc(3))
  const shortNames = dictionary.variables.map((_, i) => `V${i + 1}`)
  dictionary.variables.forEach((variable, i) => { variableRecords(out, variable, shortNames[i] ?? '', segments[i] ?? 1) })
  // Value labels: a set per variable, each followed by the one variable it applies to (1-based, counting segments).
  let index = 1
  dictionary.variables.forEach((variable, i) => {
    const labels = [...variable.valueLabels, ...variable.missing.map(({ value, label }) => ({ value, label }))]
    if (labels.length > 0) {
      out.int32(3).int32(labels.length)
      for (const { value, label } of labels) {
        const text = Buffer.from(fitBytes(label, MAX_VALUE_LABEL))
        out.float64(value).uint8(text.length).raw(text).raw(Buffer.alloc((8 - ((text.length + 1) % 8)) % 8))
      }
      out.int32(4).int32(1).int32(index)
    }
    index += segments[i] ?? 1
  })
  out.int32(7).int32(3).int32(4).int32(8).int32(1).int32(0).int32(0).int32(-1).int32(1).int32(1).int32(2).int32(65001)
  out.int32(7).int32(4).int32(8).int32(3).float64(SYSMIS).float64(Number.MAX_VALUE).float64(LOWEST)
  out.int32(7).int32(11).int32(4).int32(dictionary.variables.length * 3)
  for (const variable of dictionary.variables) out.int32(MEASURES[variable.measure]).int32(Math.max(8, Math.min(variable.stringWidth, 40))).int32(variable.stringWidth > 0 ? 0 : 1)
  const longNames = Buffer.from(dictionary.variables.map((variable, i) => `${shortNames[i] ?? ''}=${variable.name}`).join('\t'))
  out.int32(7).int32(13).int32(1).int32(longNames.length).raw(longNames)
  out.int32(7).int32(20).int32(1).int32(5).ascii('UTF-8')
  out.int32(999).int32(0)
  return out.toBuffer()
}

function variableRecords (out: Bytes, variable: StatVariable, shortName: string, segments: number): void {
  const label = Buffer.from(fitBytes(variable.label, MAX_VARIABLE_LABEL))
  const format = variable.stringWidth === 0 ? NUMERIC_FORMAT : (1 << 16) | (variable.stringWidth << 8)
  out.int32(2).int32(variable.stringWidth).int32(label.length > 0 ? 1 : 0).int32(variable.missing.length).int32(format).int32(format).fixed(shortName, 8, 0x20)
  if (label.length > 0) out.int32(label.length).raw(label).raw(Buffer.alloc((4 - (label.length % 4)) % 4))
  for (const missing of variable.missing) out.float64(missing.value)
  // A string wider than 8 bytes takes one continuation record per further 8 bytes.
  for (let i = 1; i < segments; i++) out.int32(2).int32(-1).int32(0).int32(0).int32(0).int32(0).fixed('', 8, 0x20)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** "dd mmm yy", as the header wants it. */
function spssDate (date: Date): string {
  return `${String(date.getUTCDate()).padStart(2, '0')} ${MONTHS[date.getUTCMonth()] ?? ''} ${String(date.getUTCFullYear() % 100).padStart(2, '0')}`
}
