import { h } from '../../../shared/dom.js'
import { field, section, select } from '../ui.js'
import type { Context } from './context.js'
import { loadWaves, wavePicker } from './shared.js'

/** `rows`: takes the free-text choice; `labelled`: takes the label language (and never holds free text). */
const FILES = [
  { file: 'microdata.csv', label: 'Microdata, CSV', hint: 'one row per response, rows shuffled; the format npm run analyze reads', rows: true, labelled: false },
  { file: 'microdata.jsonl', label: 'Microdata, JSON lines', hint: 'the same rows, one JSON object per line', rows: true, labelled: false },
  { file: 'microdata.sav', label: 'Microdata, SPSS (.sav)', hint: 'the same rows, coded, every variable and value labelled; "prefer not to say" and "not asked" are user-missing', rows: false, labelled: true },
  { file: 'microdata.dta', label: 'Microdata, Stata (.dta)', hint: 'the same, for Stata 14 or later; missing codes are .a and .b', rows: false, labelled: true },
  { file: 'codebook.json', label: 'Codebook, JSON', hint: 'every column: question text, choices and their numbers, indicator rule, in bokmål and English', rows: false, labelled: false },
  { file: 'codebook.md', label: 'Codebook, readable', hint: 'the same as a Markdown document', rows: false, labelled: false },
  { file: 'read-microdata.R', label: 'R script', hint: 'reads microdata.csv with labelled factors', rows: false, labelled: false },
  { file: 'read-microdata.sps', label: 'SPSS syntax', hint: 'reads microdata.csv into the same labelled variables as the .sav (SPSS or PSPP)', rows: false, labelled: true },
  { file: 'read-microdata.do', label: 'Stata do-file', hint: 'reads microdata.csv into the same labelled variables as the .dta', rows: false, labelled: true },
] as const

/** Downloads for one wave; each one is written to the audit log by the server. */
export async function renderExports (context: Context, [waveId]: string[]): Promise<void> {
  const waves = await loadWaves()
  context.main.append(h('h1', {}, 'Exports'), wavePicker('exports', waves, waveId))
  if (waveId === undefined) return
  const wave = waves.find((candidate) => candidate.id === waveId)
  const base = `/api/exports/waves/${encodeURIComponent(waveId)}/`
  const freeText = h('input', { type: 'checkbox', name: 'freeText', id: 'free-text' })
  const language = select([{ value: 'nb', label: 'Norsk bokmål' }, { value: 'en', label: 'English' }], 'nb', { name: 'language' })
  const links = FILES.map((item) => ({ item, link: h('a', { href: `${base}${item.file}`, download: `${wave?.name ?? 'wave'}-${item.file}`.replace(/[^\w.-]+/g, '-'), 'data-testid': `export-${item.file}` }, item.label) }))
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
  context.main.append(section(`Downloads for ${wave?.name ?? 'this wave'}`,
    h('p', {}, 'Every download is recorded in the audit log with your account.'),
    field('Labels in SPSS and Stata files', language, 'the codebook always has both languages'),
    h('ul', { class: 'downloads' }, ...links.map(({ item, link }) => h('li', {}, link, h('span', { class: 'hint' }, ` — ${item.hint}`)))),
    h('div', { class: 'field inline' }, freeText, h('label', { for: 'free-text' }, 'Include free-text answers in the CSV and JSON lines (only when the analysis needs them; never in SPSS or Stata files)'))))
}
