/**
 * Syntax that reads the microdata CSV into the same labelled variables as the .sav and .dta downloads:
 * an SPSS syntax file (.sps; SPSS and PSPP) and a Stata do-file (.do). Both are built from the same plan
 * (`planStatVariables`), so codes, labels and missing values are those of the binary files, cut to the
 * same lengths.
 */
import { DTA_LABEL_CHARACTERS } from '../stat-files/dta-writer.js'
import { SAV_LABEL_BYTES } from '../stat-files/sav-writer.js'
import { fitBytes, fitCharacters } from '../stat-files/dictionary.js'
import type { Codebook } from '../schemas/exports.js'
import { MULTIPLE_SEPARATOR } from './codebook.js'
import { exportFileNames } from './codebook-formats.js'
import { planStatVariables } from './stat-variables.js'
import type { Language, PlannedVariable } from './stat-variables.js'

const LANGUAGE_NAMES: Record<Language, string> = { nb: 'bokmål', en: 'English' }

/** "-1 = prefer_not, -2 = empty cell (…)": the missing codes as `withStatisticalCodes` numbers them. */
function missingLegend (codebook: Codebook, name: (i: number) => string): string {
  const codes = codebook.missingValues.map((code, i) => `${name(i)} = the code ${code}`)
  return [...codes, `${name(codebook.missingValues.length)} = an empty cell (not asked or skipped; for an indicator: unknown)`].join(', ')
}

/** Every CSV column's width in bytes, wide enough for any value the codebook allows. */
function csvWidths (codebook: Codebook): number[] {
  return codebook.columns.map((column) => {
    if (column.name === 'iso_week') return 8
    const bytes = column.values.map((value) => Buffer.byteLength(value.code))
    const width = column.multiple === true ? bytes.reduce((sum, b) => sum + b + 1, 0) : Math.max(0, ...bytes)
    return Math.min(32767, Math.max(1, width))
  })
}

/** SPSS syntax reading the CSV (downloaded without free text) into labelled numeric variables. */
export function spssSyntax (codebook: Codebook, language: Language): string {
  const names = exportFileNames(codebook, language)
  const planned = planStatVariables(codebook, language).filter((entry) => entry.column.kind !== 'free_text')
  const columns = codebook.columns.filter((column) => column.kind !== 'free_text')
  const widths = csvWidths(codebook)
  const raw = new Map(columns.map((column, i) => [column.name, `raw_${i + 1}`]))
  const q = (text: string): string => `'${text.replace(/[\r\n]+/g, ' ').replace(/'/g, "''")}'`
  const out: string[] = [
    '* Encoding: UTF-8.',
    `* Reads the anonymised microdata of wave ${q(codebook.wave.name)} (${codebook.surveyVersion.slug} v${codebook.surveyVersion.version}) from`,
    `* ${names.csv} (downloaded without free text) into labelled variables, labels in ${LANGUAGE_NAMES[language]}.`,
    '* Run it all in SPSS or PSPP (pspp this-file.sps) in the folder of the CSV, or change FILE below; then SAVE.',
    `* User-missing: ${missingLegend(codebook, (i) => String(-(i + 1)))}.`,
    `* The codebook (${names.codebookMd}) explains every variable.`,
    '',
    'GET DATA /TYPE=TXT',
    `  /FILE=${q(names.csv)}`,
    "  /ENCODING='UTF-8'",
    '  /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2',
    "  /DELIMITERS=',' /QUALIFIER='\"'",
    '  /VARIABLES=',
    ...columns.map((column, i) => `    ${raw.get(column.name) ?? ''} A${widths[codebook.columns.indexOf(column)] ?? 1}${i === columns.length - 1 ? '.' : ''}`),
    '',
  ]
  for (const entry of planned) {
    const source = raw.get(entry.column.name) ?? ''
    const { variable } = entry
    const missing = variable.missing
    const missingCode = (value: number): string => entry.column.missingCodes?.find((code) => code.number === value)?.code ?? ''
    if (variable.stringWidth > 0) {
      out.push(`STRING ${variable.name} (A${variable.stringWidth}).`, `COMPUTE ${variable.name} = ${source}.`)
    } else if (variable.measure === 'scale') {
      // F40.0: no implied decimals for a whole number; a decimal point in the text is read as written.
      out.push(`COMPUTE ${variable.name} = NUMBER(${source}, F40.0).`)
    } else if (entry.dummyCode !== undefined) {
      out.push(`COMPUTE ${variable.name} = INDEX(CONCAT(${q(MULTIPLE_SEPARATOR)}, RTRIM(${source}), ${q(MULTIPLE_SEPARATOR)}), ${q(`${MULTIPLE_SEPARATOR}${entry.dummyCode}${MULTIPLE_SEPARATOR}`)}) > 0.`)
      for (const code of missing) out.push(`IF (RTRIM(${source}) = ${q(missingCode(code.value))}) ${variable.name} = ${code.value}.`)
    } else {
      const pairs = entry.column.values.map((value) => `(${q(value.code)}=${value.number ?? 'SYSMIS'})`)
      const empty = missing.find((code) => missingCode(code.value) === '')
      out.push(`RECODE ${source} ${pairs.join(' ')}${empty === undefined ? '' : ` ('${' '}'=${empty.value})`} (ELSE=SYSMIS) INTO ${variable.name}.`)
    }
  }
  const numeric = planned.filter((entry) => entry.variable.stringWidth === 0 && entry.variable.measure !== 'scale')
  const scale = planned.filter((entry) => entry.variable.measure === 'scale')
  out.push(
    'EXECUTE.',
    `DELETE VARIABLES ${raw.get(columns[0]?.name ?? '') ?? ''} TO ${raw.get(columns.at(-1)?.name ?? '') ?? ''}.`,
    '',
    `FORMATS ${numeric.map((entry) => entry.variable.name).join(' ')} (F8.0).`,
    `VARIABLE LEVEL ${numeric.map((entry) => entry.variable.name).join(' ')} (NOMINAL).`,
    ...scale.map((entry) => `FORMATS ${entry.variable.name} (F12.8).\nVARIABLE LEVEL ${entry.variable.name} (SCALE).`),
    'VARIABLE LABELS',
    ...planned.map((entry, i) => `  ${i === 0 ? '' : '/'}${entry.variable.name} ${q(fitBytes(entry.variable.label, SAV_LABEL_BYTES.variable))}`),
    '.'
  )
  const labelled = numeric.filter((entry) => entry.variable.valueLabels.length + entry.variable.missing.length > 0)
  if (labelled.length > 0) {
    out.push('VALUE LABELS')
    labelled.forEach((entry, i) => {
      const labels = [...entry.variable.valueLabels, ...entry.variable.missing]
      out.push(`  ${i === 0 ? '' : '/'}${entry.variable.name} ${labels.map(({ value, label }) => `${value} ${q(fitBytes(label, SAV_LABEL_BYTES.value))}`).join(' ')}`)
    })
    out.push('.')
  }
  for (const entry of numeric.filter((candidate) => candidate.variable.missing.length > 0)) {
    out.push(`MISSING VALUES ${entry.variable.name} (${entry.variable.missing.map((code) => code.value).join(', ')}).`)
  }
  out.push('EXECUTE.', '', `* SAVE OUTFILE=${q(names.sav)}.`, '')
  return out.join('\n')
}

/** A Stata do-file (Stata 14 or later) reading the CSV into labelled numeric variables, missing codes as .a, .b. */
export function stataDoFile (codebook: Codebook, language: Language): string {
  const names = exportFileNames(codebook, language)
  const planned = planStatVariables(codebook, language)
  const s = (text: string): string => `\`"${text.replace(/[\r\n]+/g, ' ')}"'`
  const out: string[] = [
    `* Reads the anonymised microdata of wave "${codebook.wave.name.replace(/[\r\n]+/g, ' ')}" (${codebook.surveyVersion.slug} v${codebook.surveyVersion.version})`,
    `* from ${names.csv} (downloaded without free text) into labelled variables, labels in ${LANGUAGE_NAMES[language]}.`,
    `* Usage: do ${names.doFile} [path/to/the.csv]`,
    `* Missing: ${missingLegend(codebook, (i) => `.${String.fromCharCode(97 + i)}`)}.`,
    `* The codebook (${names.codebookMd}) explains every variable.`,
    'version 14',
    'args csvfile',
    `if \`"\`csvfile'"' == "" local csvfile ${s(names.csv)}`,
    'import delimited using `"`csvfile\'"\', varnames(1) stringcols(_all) encoding("utf-8") bindquote(strict) case(preserve) clear',
    '',
  ]
  const byColumn = new Map<string, PlannedVariable[]>()
  for (const entry of planned) byColumn.set(entry.column.name, [...(byColumn.get(entry.column.name) ?? []), entry])
  for (const [column, entries] of byColumn) {
    const first = entries[0]
    if (first === undefined || first.variable.stringWidth > 0) continue
    if (first.variable.measure === 'scale') {
      out.push(`destring ${column}, replace`)
      continue
    }
    const missingCode = (value: number): string => first.column.missingCodes?.find((code) => code.number === value)?.code ?? ''
    if (first.dummyCode !== undefined) {
      for (const entry of entries) {
        out.push(`generate long ${entry.variable.name} = strpos(";" + ${column} + ";", ${s(`${MULTIPLE_SEPARATOR}${entry.dummyCode ?? ''}${MULTIPLE_SEPARATOR}`)}) > 0`)
        for (const code of entry.variable.missing) out.push(`replace ${entry.variable.name} = .${code.stata} if ${column} == ${s(missingCode(code.value))}`)
      }
      out.push(`drop ${column}`)
      continue
    }
    out.push('generate long __code = .')
    for (const value of first.column.values) {
      const code = first.variable.missing.find((candidate) => candidate.value === value.number)
      out.push(`replace __code = ${code === undefined ? String(value.number) : `.${code.stata}`} if ${column} == ${s(value.code)}`)
    }
    const empty = first.variable.missing.find((code) => missingCode(code.value) === '')
    if (empty !== undefined) out.push(`replace __code = .${empty.stata} if ${column} == ""`)
    out.push(`drop ${column}`, `rename __code ${column}`)
  }
  out.push('')
  for (const { variable } of planned) {
    out.push(`label variable ${variable.name} ${s(fitCharacters(variable.label, DTA_LABEL_CHARACTERS.variable))}`)
    const labels = [
      ...variable.valueLabels.map(({ value, label }) => `${value} ${s(fitCharacters(label, DTA_LABEL_CHARACTERS.value))}`),
      ...variable.missing.map(({ stata, label }) => `.${stata} ${s(fitCharacters(label, DTA_LABEL_CHARACTERS.value))}`),
    ]
    if (labels.length > 0) out.push(`label define ${variable.name} ${labels.join(' ')}, replace`, `label values ${variable.name} ${variable.name}`)
  }
  out.push(`order ${planned.map((entry) => entry.variable.name).join(' ')}`, 'compress', `* save ${s(names.dta)}, replace`, '')
  return out.join('\n')
}
