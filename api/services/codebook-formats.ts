import { RELIABILITY_TEXT } from '../../analysis/reliability.js'
import type { Codebook, CodebookColumn } from '../schemas/exports.js'
import { MULTIPLE_SEPARATOR } from './codebook.js'

/** File names the downloads are offered under; the R script reads the CSV by this name by default. */
export function exportFileNames (codebook: Codebook, language: 'nb' | 'en' = 'nb'): {
  csv: string, jsonl: string, codebookJson: string, codebookMd: string, rScript: string, sav: string, dta: string, sps: string, doFile: string
} {
  const base = `prevalens-${codebook.surveyVersion.slug}-wave-${codebook.wave.id.slice(0, 8)}`
  return {
    csv: `${base}.csv`,
    jsonl: `${base}.jsonl`,
    codebookJson: `${base}-codebook.json`,
    codebookMd: `${base}-codebook.md`,
    rScript: `${base}.R`,
    // Labels differ by language, so the language is in the name: both can sit in one folder.
    sav: `${base}-${language}.sav`,
    dta: `${base}-${language}.dta`,
    sps: `${base}-${language}.sps`,
    doFile: `${base}-${language}.do`,
  }
}

const KIND_HEADINGS: Record<CodebookColumn['kind'], string> = {
  dimension: 'Analysis dimensions / Analysedimensjoner',
  design: 'Weights and repeat participation / Vekter og gjentatt deltakelse',
  indicator: 'Indicators (1 yes, 0 no, empty unknown) / Indikatorer (1 ja, 0 nei, tom ukjent)',
  answer: 'Answers to closed questions (coded) / Svar på lukkede spørsmål (kodet)',
  free_text: 'Free-text answers (exported on request only) / Fritekstsvar (bare på forespørsel)',
}

/** The languages of the version beyond nb and en: a question's text and its choices are labelled in them too. */
const translationCodes = (codebook: Codebook): string[] => codebook.languages.map(({ code }) => code).filter((code) => code !== 'nb' && code !== 'en')

/**
 * The codebook as Markdown: a section per kind of column, every code with its bokmål and English label, and
 * a column of labels per translation of the version.
 */
export function codebookMarkdown (codebook: Codebook): string {
  const { wave, surveyVersion } = codebook
  const extra = codebook.languages.filter(({ code }) => code !== 'nb' && code !== 'en')
  const out: string[] = [
    `# Codebook / Kodebok: ${escapeMd(wave.name)}`,
    '',
    `- Survey / Undersøkelse: ${surveyVersion.slug} v${surveyVersion.version} (sha256 ${surveyVersion.checksum})`,
    `- Wave / Runde: ${wave.id}, ${wave.opensOn} – ${wave.closesOn}`,
    `- File / Fil: ${exportFileNames(codebook).csv} (UTF-8, comma-separated, a header row; rows in random order)`,
    `- Codes that count as missing / Koder som regnes som manglende: ${codebook.missingValues.join(', ')}`,
    `- A checkbox question's codes are joined by "${MULTIPLE_SEPARATOR}" / Avkrysningsspørsmål: kodene skilles med "${MULTIPLE_SEPARATOR}"`,
    `- Labels / Etiketter: en, nb${extra.map(({ code, name, status }) => `, ${code} (${escapeMd(name)}, ${status === 'draft' ? 'draft translation / utkast' : 'reviewed translation / gjennomgått'}: question texts and choices only / bare spørsmål og svaralternativer)`).join('')}`,
    '',
  ]
  for (const kind of ['dimension', 'design', 'indicator', 'answer', 'free_text'] as const) {
    const columns = codebook.columns.filter((column) => column.kind === kind)
    if (columns.length === 0) continue
    out.push(`## ${KIND_HEADINGS[kind]}`, '')
    for (const column of columns) out.push(...columnMarkdown(column, extra.map(({ code }) => code)))
  }
  out.push(...releasedFiguresMarkdown())
  return `${out.join('\n')}\n`
}

/** How a released figure is made from these columns, and the reliability flags it may carry, in both languages. */
const releasedFiguresMarkdown = (): string[] => [
  '## Reproducing a released figure / Å gjenskape et publisert tall',
  '',
  '- en: A release says its method (Korn–Graubard or design-based logit, sites as clusters, counties as strata or not), ' +
    'whether it is weighted by attendance (`w`) and whether it counts the respondents with `answered_before` = 1 (left out by default). ' +
    'The R script\'s `released_share()` builds that design with the survey package (`svydesign(ids = ~site, weights = ~w)`) and gives the same figure.',
  '- nb: En frigiving oppgir metoden (Korn–Graubard eller designbasert logit, stedene som klynger, fylkene som strata eller ikke), ' +
    'om den er vektet etter oppmøte (`w`) og om den teller med dem som har `answered_before` = 1 (holdes utenfor som standard). ' +
    'R-skriptets `released_share()` bygger det samme designet med survey-pakken (`svydesign(ids = ~site, weights = ~w)`) og gir samme tall.',
  '',
  '### Reliability flags / Pålitelighetsflagg (NCHS, Parker et al. 2017)',
  '',
  '| flag | en | nb |',
  '| --- | --- | --- |',
  ...Object.entries(RELIABILITY_TEXT).map(([flag, text]) => `| \`${flag}\` | ${escapeMd(text.en)} | ${escapeMd(text.nb)} |`),
  '',
]

function columnMarkdown (column: CodebookColumn, codes: readonly string[]): string[] {
  const lines = [`### \`${column.name}\``, '', `- en: ${escapeMd(column.label.en)}`, `- nb: ${escapeMd(column.label.nb)}`]
  for (const code of codes) {
    const label = column.label[code]
    if (label !== undefined) lines.push(`- ${code}: ${escapeMd(label)}`)
  }
  if (column.question !== undefined) lines.push(`- question / spørsmål: \`${column.question}\`${column.questionType === undefined ? '' : ` (${column.questionType}${column.multiple === true ? ', several answers' : ''})`}`)
  if (column.rule !== undefined) lines.push(`- rule (en): ${escapeMd(column.rule.text.en)}`, `- regel (nb): ${escapeMd(column.rule.text.nb)}`)
  lines.push(`- empty / tom: ${escapeMd(column.missing.en)} / ${escapeMd(column.missing.nb)}`)
  for (const code of column.missingCodes ?? []) {
    lines.push(`- SPSS/Stata missing: ${code.code === '' ? 'empty' : `\`${code.code}\``} = ${code.number} (SPSS user-missing) / .${code.stata} (Stata): ${escapeMd(code.label.en)} / ${escapeMd(code.label.nb)}`)
  }
  if (column.dummies !== undefined) lines.push(`- SPSS/Stata: one variable per choice, 1 chosen, 0 not chosen: ${column.dummies.map((dummy) => `\`${dummy.name}\` = \`${dummy.code}\``).join(', ')}`)
  if (column.values.length > 0) {
    lines.push('', `| code | number (SPSS/Stata) | en | nb |${codes.map((code) => ` ${code} |`).join('')}`, `| --- | --- | --- | --- |${codes.map(() => ' --- |').join('')}`)
    for (const value of column.values) {
      lines.push(`| \`${value.code}\` | ${value.number ?? ''} | ${escapeMd(value.label.en)} | ${escapeMd(value.label.nb)} |${codes.map((code) => ` ${escapeMd(value.label[code] ?? '')} |`).join('')}`)
    }
  }
  lines.push('')
  return lines
}

const escapeMd = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

/**
 * A ready-to-run R script (base R only) that reads the CSV with every column as text, turns coded columns
 * into factors whose levels and labels come from the codebook (bokmål, English or a translation of the
 * version: where it has no label of its own, the English one), indicators into 0/1 integers, and puts each
 * column's label in attr(, "label").
 */
export function rScript (codebook: Codebook): string {
  const names = exportFileNames(codebook)
  const languages = ['nb', 'en', ...translationCodes(codebook)]
  const inLanguage = (label: CodebookColumn['label'], language: string): string => label[language] ?? label.en
  const factors = codebook.columns.filter((column) => column.kind !== 'indicator' && column.kind !== 'design' && column.multiple !== true && column.values.length > 0)
  const indicators = codebook.columns.filter((column) => column.kind === 'indicator')
  const factorSpecs = factors.map((column) => `  ${r(column.name)} = list(levels = ${rVector(column.values.map((v) => v.code))},\n` +
    `${languages.map((language) => `    ${language} = ${rVector(column.values.map((v) => inLanguage(v.label, language)))}`).join(',\n')})`)
  const labels = (language: string) => codebook.columns.map((column) => `  ${r(column.name)} = ${r(inLanguage(column.label, language))}`).join(',\n')
  return `# Reads the anonymised microdata of wave "${oneLine(codebook.wave.name)}" (${codebook.surveyVersion.slug} v${codebook.surveyVersion.version})
# with its labels. Base R only. Usage:
#   Rscript ${names.rScript} [${names.csv}] [${languages.join('|')}]
# or source() it in R after setting csv_file / language. The codebook (${names.codebookMd}) explains every column.

args <- commandArgs(trailingOnly = TRUE)
if (!exists("csv_file")) csv_file <- if (length(args) >= 1) args[[1]] else ${r(names.csv)}
if (!exists("language")) language <- if (length(args) >= 2) args[[2]] else "nb"
stopifnot(language %in% ${rVector(languages)})

microdata <- read.csv(csv_file, colClasses = "character", na.strings = "", encoding = "UTF-8",
                      fileEncoding = "UTF-8", check.names = FALSE)

# Coded columns: levels are the codes, labels the codebook's texts. A code not in the codebook becomes NA.
factor_levels <- list(
${factorSpecs.join(',\n')}
)
for (column in intersect(names(factor_levels), names(microdata))) {
  spec <- factor_levels[[column]]
  microdata[[column]] <- factor(microdata[[column]], levels = spec$levels, labels = spec[[language]])
}

# Indicators: 1 yes, 0 no, NA unknown (left out of the denominator).
indicators <- ${rVector(indicators.map((column) => column.name))}
for (column in intersect(indicators, names(microdata))) microdata[[column]] <- as.integer(microdata[[column]])

# A checkbox question's codes are joined by "${MULTIPLE_SEPARATOR}": strsplit(microdata$q_name, "${MULTIPLE_SEPARATOR}", fixed = TRUE) gives them back.

column_labels <- list(
${languages.map((language) => `  ${language} = list(\n${labels(language)}\n  )`).join(',\n')}
)
for (column in names(microdata)) {
  label <- column_labels[[language]][[column]]
  if (!is.null(label)) attr(microdata[[column]], "label") <- label
}

# Weights and repeats: w is the attendance weight (1 / visits to the site in 7 days, 1 where unknown);
# answered_before is 1 for a respondent who said they had already answered in this round.
microdata$w <- as.numeric(microdata$w)
microdata$answered_before <- as.integer(microdata$answered_before)

# released_share(): an indicator's share and interval as a release computes it, from the same design:
# sites as clusters (counties as strata when strata = TRUE), weights = ~w when weighted = TRUE, and the
# respondents with answered_before = 1 left out unless repeats = "include". method "korn-graubard" is
# svyciprop(method = "beta") with the NCHS cap (never more effective answers than answers: the
# release's own rule); "cluster" is svyciprop(method = "logit"). "where" picks a group, e.g.
# function(d) d$gender == levels(d$gender)[1]. Needs the survey package (install.packages("survey")).
released_share <- function(indicator, where = NULL, method = "korn-graubard", weighted = FALSE,
                           strata = FALSE, repeats = "exclude", level = 0.95) {
  d <- microdata
  if (repeats == "exclude") d <- d[d$answered_before == 0, , drop = FALSE]
  d$y <- d[[indicator]]
  d$weight <- if (weighted) d$w else 1
  keep <- !is.na(d$y) & (if (is.null(where)) TRUE else where(d))
  design <- survey::svydesign(ids = ~site, strata = if (strata) ~county else NULL, weights = ~weight, data = d)
  domain <- subset(design, keep)
  n <- sum(keep)
  if (method == "cluster") {
    ci <- survey::svyciprop(~y, domain, method = "logit", level = level)
    return(c(n = n, estimate = unname(coef(ci)), lower = unname(attr(ci, "ci")[1]), upper = unname(attr(ci, "ci")[2])))
  }
  m <- survey::svymean(~y, domain)
  p <- unname(coef(m)); v <- unname(vcov(m)[1, 1]); alpha <- 1 - level
  neff <- if (v > 0) min(n, p * (1 - p) / v) else n
  neff_df <- neff * (qt(alpha / 2, n - 1) / qt(alpha / 2, survey::degf(domain)))^2
  c(n = n, estimate = p, effective_n = neff,
    lower = if (p > 0) qbeta(alpha / 2, neff_df * p, neff_df * (1 - p) + 1) else 0,
    upper = if (p < 1) qbeta(1 - alpha / 2, neff_df * p + 1, neff_df * (1 - p)) else 1)
}

# Example: the share answering yes to the first indicator, by gender (unweighted, no interval):
# tapply(microdata[[indicators[1]]], microdata$gender, mean, na.rm = TRUE)
# and as a weighted Korn–Graubard release gives it: released_share(indicators[1], weighted = TRUE)
cat(sprintf("Read %d responses and %d columns from %s\\n", nrow(microdata), ncol(microdata), csv_file))
`
}

/** An R string literal; JSON's escapes (\\", \\\\, \\n, \\uXXXX) are valid in R. */
const r = (text: string): string => JSON.stringify(text)
const rVector = (items: readonly string[]): string => `c(${items.map(r).join(', ')})`
const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ')
