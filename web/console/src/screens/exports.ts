import { h } from '../dom.js'
import { section } from '../ui.js'
import type { Context } from './index.js'
import { loadWaves, wavePicker } from './shared.js'

const FILES = [
  { file: 'microdata.csv', label: 'Microdata, CSV', hint: 'one row per response, rows shuffled; the format npm run analyze reads', microdata: true },
  { file: 'microdata.jsonl', label: 'Microdata, JSON lines', hint: 'the same rows, one JSON object per line', microdata: true },
  { file: 'codebook.json', label: 'Codebook, JSON', hint: 'every column: question text, choices, indicator rule, in bokmål and English', microdata: false },
  { file: 'codebook.md', label: 'Codebook, readable', hint: 'the same as a Markdown document', microdata: false },
  { file: 'read-microdata.R', label: 'R script', hint: 'reads microdata.csv with labelled factors', microdata: false },
] as const

/** Downloads for one wave; each one is written to the audit log by the server. */
export async function renderExports (context: Context, [waveId]: string[]): Promise<void> {
  const waves = await loadWaves()
  context.main.append(h('h1', {}, 'Exports'), wavePicker('exports', waves, waveId))
  if (waveId === undefined) return
  const wave = waves.find((candidate) => candidate.id === waveId)
  const base = `/api/exports/waves/${encodeURIComponent(waveId)}/`
  const freeText = h('input', { type: 'checkbox', name: 'freeText', id: 'free-text' })
  const links = FILES.map((item) => ({ item, link: h('a', { href: `${base}${item.file}`, download: `${wave?.name ?? 'wave'}-${item.file}`.replace(/[^\w.-]+/g, '-'), 'data-testid': `export-${item.file}` }, item.label) }))
  // Free text stays out unless asked for (anonymity rule 4); asking is a deliberate, audited choice.
  freeText.addEventListener('change', () => {
    for (const { item, link } of links) if (item.microdata) link.href = `${base}${item.file}${freeText.checked ? '?freeText=true' : ''}`
  })
  context.main.append(section(`Downloads for ${wave?.name ?? 'this wave'}`,
    h('p', {}, 'Every download is recorded in the audit log with your account.'),
    h('ul', { class: 'downloads' }, ...links.map(({ item, link }) => h('li', {}, link, h('span', { class: 'hint' }, ` — ${item.hint}`)))),
    h('div', { class: 'field inline' }, freeText, h('label', { for: 'free-text' }, 'Include free-text answers in the microdata (only when the analysis needs them)'))))
}
