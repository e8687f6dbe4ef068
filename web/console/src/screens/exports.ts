import { h } from '../../../shared/dom.js'
import { field, section, select } from '../ui.js'
import type { Context } from './context.js'
import { loadWaves, wavePicker } from './shared.js'

type Words = { readonly nb: string, readonly en: string }

/** `rows`: takes the free-text choice; `labelled`: takes the label language (and never holds free text). */
const FILES: ReadonlyArray<{ file: string, label: Words, hint: Words, rows: boolean, labelled: boolean }> = [
  { file: 'microdata.csv', label: { nb: 'Mikrodata, CSV', en: 'Microdata, CSV' }, hint: { nb: 'én rad per svar, radene stokket; formatet npm run analyze leser', en: 'one row per response, rows shuffled; the format npm run analyze reads' }, rows: true, labelled: false },
  { file: 'microdata.jsonl', label: { nb: 'Mikrodata, JSON-linjer', en: 'Microdata, JSON lines' }, hint: { nb: 'de samme radene, ett JSON-objekt per linje', en: 'the same rows, one JSON object per line' }, rows: true, labelled: false },
  { file: 'microdata.sav', label: { nb: 'Mikrodata, SPSS (.sav)', en: 'Microdata, SPSS (.sav)' }, hint: { nb: 'de samme radene, kodet, med etikett på hver variabel og verdi; «vil ikke svare» og «ikke spurt» er brukerdefinerte manglende verdier', en: 'the same rows, coded, every variable and value labelled; "prefer not to say" and "not asked" are user-missing' }, rows: false, labelled: true },
  { file: 'microdata.dta', label: { nb: 'Mikrodata, Stata (.dta)', en: 'Microdata, Stata (.dta)' }, hint: { nb: 'det samme, for Stata 14 eller nyere; manglende verdier er .a og .b', en: 'the same, for Stata 14 or later; missing codes are .a and .b' }, rows: false, labelled: true },
  { file: 'codebook.json', label: { nb: 'Kodebok, JSON', en: 'Codebook, JSON' }, hint: { nb: 'hver kolonne: spørsmålstekst, svaralternativer og tallene deres, indikatorregel, på bokmål og engelsk', en: 'every column: question text, choices and their numbers, indicator rule, in bokmål and English' }, rows: false, labelled: false },
  { file: 'codebook.md', label: { nb: 'Kodebok, lesbar', en: 'Codebook, readable' }, hint: { nb: 'det samme som et Markdown-dokument', en: 'the same as a Markdown document' }, rows: false, labelled: false },
  { file: 'read-microdata.R', label: { nb: 'R-skript', en: 'R script' }, hint: { nb: 'leser microdata.csv med faktorer med etiketter', en: 'reads microdata.csv with labelled factors' }, rows: false, labelled: false },
  { file: 'read-microdata.sps', label: { nb: 'SPSS-syntaks', en: 'SPSS syntax' }, hint: { nb: 'leser microdata.csv inn i de samme variablene med etiketter som .sav (SPSS eller PSPP)', en: 'reads microdata.csv into the same labelled variables as the .sav (SPSS or PSPP)' }, rows: false, labelled: true },
  { file: 'read-microdata.do', label: { nb: 'Stata do-fil', en: 'Stata do-file' }, hint: { nb: 'leser microdata.csv inn i de samme variablene med etiketter som .dta', en: 'reads microdata.csv into the same labelled variables as the .dta' }, rows: false, labelled: true },
]

const TEXT = {
  nb: {
    title: 'Eksport',
    downloads: (wave: string | undefined) => `Nedlastinger for ${wave ?? 'denne bølgen'}`,
    audited: 'Hver nedlasting føres i revisjonsloggen med kontoen din.',
    labels: 'Etiketter i SPSS- og Stata-filer',
    labelsHint: 'kodeboken har alltid begge språk',
    freeText: 'Ta med fritekstsvar i CSV og JSON-linjer (bare når analysen trenger dem; aldri i SPSS- eller Stata-filer)',
  },
  en: {
    title: 'Exports',
    downloads: (wave: string | undefined) => `Downloads for ${wave ?? 'this wave'}`,
    audited: 'Every download is recorded in the audit log with your account.',
    labels: 'Labels in SPSS and Stata files',
    labelsHint: 'the codebook always has both languages',
    freeText: 'Include free-text answers in the CSV and JSON lines (only when the analysis needs them; never in SPSS or Stata files)',
  },
} as const

/** Downloads for one wave; each one is written to the audit log by the server. */
export async function renderExports (context: Context, [waveId]: string[]): Promise<void> {
  const lang = context.lang
  const t = TEXT[lang]
  const waves = await loadWaves()
  context.main.append(h('h1', {}, t.title), wavePicker('exports', waves, waveId, lang))
  if (waveId === undefined) return
  const wave = waves.find((candidate) => candidate.id === waveId)
  const base = `/api/exports/waves/${encodeURIComponent(waveId)}/`
  const freeText = h('input', { type: 'checkbox', name: 'freeText', id: 'free-text' })
  // The labels' language starts as the console's; the names of the two languages are written in themselves.
  const language = select([{ value: 'nb', label: 'Norsk bokmål' }, { value: 'en', label: 'English' }], lang, { name: 'language' })
  const links = FILES.map((item) => ({ item, link: h('a', { href: `${base}${item.file}`, download: `${wave?.name ?? 'wave'}-${item.file}`.replace(/[^\w.-]+/g, '-'), 'data-testid': `export-${item.file}` }, item.label[lang]) }))
  const update = (): void => {
    for (const { item, link } of links) {
      const query = item.rows && freeText.checked ? '?freeText=true' : item.labelled ? `?language=${language.value}` : ''
      link.href = `${base}${item.file}${query}`
    }
  }
  // Free text stays out unless asked for (anonymity rule 4); asking is a deliberate, audited choice.
  freeText.addEventListener('change', update)
  language.addEventListener('change', update)
  update()
  context.main.append(section(t.downloads(wave?.name),
    h('p', {}, t.audited),
    field(t.labels, language, t.labelsHint),
    h('ul', { class: 'downloads' }, ...links.map(({ item, link }) => h('li', {}, link, h('span', { class: 'hint' }, ` — ${item.hint[lang]}`)))),
    h('div', { class: 'field inline' }, freeText, h('label', { for: 'free-text' }, t.freeText))))
}
