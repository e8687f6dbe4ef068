import type { CrisisCentre, CrisisCentreInput, HelpLine, HelpResourcesReply } from '../../../../api/schemas/help-resources.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { formatDate, studyToday } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

type Policy = CrisisCentreInput['activeSubstanceUse']['women']
const POLICY_WORDS: Record<Policy, { nb: string, en: string }> = {
  yes: { nb: 'tar dem inn', en: 'takes them in' },
  case_by_case: { nb: 'avgjør fra sak til sak', en: 'decides case by case' },
  no: { nb: 'tar dem ikke inn', en: 'does not take them in' },
  not_checked: { nb: 'ikke sjekket', en: 'not checked' },
}
const policies = (lang: Lang): Array<{ value: Policy, label: string }> =>
  (Object.keys(POLICY_WORDS) as Policy[]).map((value) => ({ value, label: POLICY_WORDS[value][lang] }))
const today = studyToday

const TEXT = {
  nb: {
    title: 'Hjelpetilbud',
    nothing: 'Ingenting er oppført ennå.',
    oldest: (date: string) => `Den eldste sjekken er fra ${date}. `,
    stale: (days: number) => `Det er mer enn ${days} dager siden: ingen bølge kan åpnes før den er sjekket på nytt.`,
    fresh: (days: number) => `Oppføringene må sjekkes minst hver ${days}. dag for at en bølge skal kunne åpnes.`,
    deleteQuestion: (what: string) => `Slette ${what}? Nettbrettene slutter å vise det.`,
    delete: 'Slett',
    deleted: (what: string) => `Slettet ${what}.`,
    lines: 'Hjelpelinjer',
    lineCols: ['Navn', 'Kontakt', 'Sjekket', ''],
    edit: (name: string) => `Endre ${name}`,
    del: (name: string) => `Slett ${name}`,
    addLine: 'Legg til en hjelpelinje',
    centres: 'Krisesentre',
    centresCaption: 'Krisesentre etter fylke',
    centreCols: ['Fylke', 'Senter', 'Kvinner i aktiv rus', 'Menn i aktiv rus', 'Sjekket', ''],
    addCentre: 'Legg til et krisesenter',
    bokmal: 'bokmål',
    english: 'engelsk',
    name: 'Navn',
    description: 'Beskrivelse',
    newLine: 'Ny hjelpelinje',
    identifier: 'Kjennetegn',
    identifierHint: 'små bokstaver, sifre og bindestrek; kan ikke endres senere',
    kind: 'Type',
    phone: 'telefon',
    web: 'nettadresse',
    contact: 'Nummer eller adresse',
    contactHint: 'slik folk sier det («116 006»), eller adressen uten https://',
    checked: 'Sjekket',
    checkedHint: 'dagen noen bekreftet disse opplysningene',
    addLineSubmit: 'Legg til hjelpelinjen',
    saveLine: 'Lagre hjelpelinjen',
    saved: (name: string) => `Lagret ${name}.`,
    newCentre: 'Nytt krisesenter',
    county: 'Fylke',
    women: 'Tar inn kvinner i aktiv rus',
    men: 'Tar inn menn i aktiv rus',
    source: 'Kilde',
    sourceHint: 'hvor opplysningen om praksis kommer fra (for forskere; vises ikke på nettbrettene)',
    addCentreSubmit: 'Legg til krisesenteret',
    saveCentre: 'Lagre krisesenteret',
    noteName: 'Merknad om sentre som ikke er oppført',
    noteTitle: 'Merknad under listen',
    saveNote: 'Lagre merknaden',
    noteSaved: 'Lagret merknaden.',
  },
  en: {
    title: 'Help resources',
    nothing: 'Nothing is listed yet.',
    oldest: (date: string) => `The oldest check is from ${date}. `,
    stale: (days: number) => `That is more than ${days} days ago: no wave can be opened until it is checked again.`,
    fresh: (days: number) => `Entries must be checked at least every ${days} days for a wave to open.`,
    deleteQuestion: (what: string) => `Delete ${what}? Tablets stop showing it.`,
    delete: 'Delete',
    deleted: (what: string) => `Deleted ${what}.`,
    lines: 'Helplines',
    lineCols: ['Name', 'Contact', 'Checked', ''],
    edit: (name: string) => `Edit ${name}`,
    del: (name: string) => `Delete ${name}`,
    addLine: 'Add a helpline',
    centres: 'Crisis centres',
    centresCaption: 'Crisis centres by county',
    centreCols: ['County', 'Centre', 'Women in active use', 'Men in active use', 'Checked', ''],
    addCentre: 'Add a crisis centre',
    bokmal: 'bokmål',
    english: 'English',
    name: 'Name',
    description: 'Description',
    newLine: 'New helpline',
    identifier: 'Identifier',
    identifierHint: 'lower-case letters, digits and hyphens; cannot change later',
    kind: 'Kind',
    phone: 'phone',
    web: 'web address',
    contact: 'Number or address',
    contactHint: 'as people say it ("116 006"), or the address without https://',
    checked: 'Checked on',
    checkedHint: 'the day someone confirmed these details',
    addLineSubmit: 'Add helpline',
    saveLine: 'Save helpline',
    saved: (name: string) => `Saved ${name}.`,
    newCentre: 'New crisis centre',
    county: 'County',
    women: 'Takes in women in active substance use',
    men: 'Takes in men in active substance use',
    source: 'Source',
    sourceHint: 'where the policy comes from (for researchers; not shown on tablets)',
    addCentreSubmit: 'Add crisis centre',
    saveCentre: 'Save crisis centre',
    noteName: 'Note about centres not listed',
    noteTitle: 'Note shown below the list',
    saveNote: 'Save note',
    noteSaved: 'Saved the note.',
  },
} as const

/** The helplines and crisis centres the kiosk shows, with each one's policy on active substance use and when it was checked. */
export async function renderHelpResources (context: Context): Promise<void> {
  const lang = context.lang
  const t = TEXT[lang]
  const help = await api.request('GET /api/help-resources')
  const editor = h('div', {})
  const show = (content: HTMLElement): void => { editor.replaceChildren(content); editor.querySelector('input')?.focus() }
  const outcome = new Outcome()
  const remove = async (what: string, endpoint: 'DELETE /api/help-resources/lines/:id' | 'DELETE /api/help-resources/crisis-centres/:id', id: string | number): Promise<void> => {
    if (!await confirmAction(t.deleteQuestion(what), t.delete)) return
    try { await api.request(endpoint, { params: { id } }); context.reload(); announce(t.deleted(what)) } catch (error) { outcome.error(error) }
  }
  const countyName = new Map(help.counties.map((county) => [county.number, county.name]))
  context.main.append(
    h('h1', {}, t.title),
    h('p', { class: help.stale ? 'notice warning' : 'notice', 'data-testid': 'help-freshness', ...(help.stale ? { role: 'alert' } : {}) },
      help.oldestChecked === null ? t.nothing : t.oldest(formatDate(help.oldestChecked, lang)),
      help.stale ? t.stale(help.maxAgeDays) : t.fresh(help.maxAgeDays)),
    outcome.element,
    section(t.lines,
      table(t.lines, [...t.lineCols], help.lines.map((line) => [
        line.name[lang], line.contact, formatDate(line.checked, lang),
        h('span', { class: 'row-actions' },
          button(t.edit(line.name[lang]), () => { show(lineForm(context, line)) }, { class: 'small' }),
          button(t.del(line.name[lang]), () => { remove(line.name[lang], 'DELETE /api/help-resources/lines/:id', line.id).catch(() => {}) }, { class: 'small danger' })),
      ])),
      button(t.addLine, () => { show(lineForm(context)) })),
    section(t.centres,
      table(t.centresCaption, [...t.centreCols],
        [...help.crisisCentres].sort((a, b) => a.county.localeCompare(b.county) || a.name.localeCompare(b.name)).map((centre) => [
          countyName.get(centre.county) ?? centre.county, centre.name, POLICY_WORDS[centre.activeSubstanceUse.women][lang], POLICY_WORDS[centre.activeSubstanceUse.men][lang], formatDate(centre.checked, lang),
          h('span', { class: 'row-actions' },
            button(t.edit(centre.name), () => { show(centreForm(context, help, centre)) }, { class: 'small' }),
            button(t.del(centre.name), () => { remove(centre.name, 'DELETE /api/help-resources/crisis-centres/:id', centre.id).catch(() => {}) }, { class: 'small danger' })),
        ]), { 'data-testid': 'crisis-centres' }),
      button(t.addCentre, () => { show(centreForm(context, help)) })),
    editor,
    noteForm(context, help))
}

function bilingual (lang: Lang, name: string, value?: { nb: string, en: string }, multiline = false): { nb: HTMLInputElement | HTMLTextAreaElement, en: HTMLInputElement | HTMLTextAreaElement, fields: HTMLElement[] } {
  const t = TEXT[lang]
  const make = (textLang: Lang) => {
    const control = multiline ? h('textarea', { name: `${name}-${textLang}`, required: true, maxlength: 2000, lang: textLang, rows: 3 }) : input({ name: `${name}-${textLang}`, required: true, maxlength: 2000, lang: textLang })
    control.value = value?.[textLang] ?? ''
    return control
  }
  const nb = make('nb')
  const en = make('en')
  return { nb, en, fields: [field(`${name} (${t.bokmal})`, nb), field(`${name} (${t.english})`, en)] }
}

function lineForm (context: Context, line?: HelpLine): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  const id = input({ name: 'id', required: true, pattern: '[a-z0-9-]+', maxlength: 100, value: line?.id, ...(line === undefined ? {} : { readonly: true }) })
  const kind = select([{ value: 'phone', label: t.phone }, { value: 'web', label: t.web }], line?.kind, { name: 'kind' })
  const contact = input({ name: 'contact', required: true, maxlength: 100, value: line?.contact })
  const name = bilingual(lang, t.name, line?.name)
  const description = bilingual(lang, t.description, line?.description, true)
  const checked = input({ name: 'checked', type: 'date', required: true, value: line?.checked ?? today() })
  return section(line === undefined ? t.newLine : t.edit(line.name[lang]), form({}, [
    field(t.identifier, id, t.identifierHint),
    field(t.kind, kind),
    field(t.contact, contact, t.contactHint),
    ...name.fields, ...description.fields,
    field(t.checked, checked, t.checkedHint),
  ], line === undefined ? t.addLineSubmit : t.saveLine, async () => {
    const body = {
      kind: kind.value as HelpLine['kind'],
      contact: contact.value,
      name: { nb: name.nb.value, en: name.en.value },
      description: { nb: description.nb.value, en: description.en.value },
      checked: checked.value,
    }
    if (line === undefined) await api.request('POST /api/help-resources/lines', { body: { id: id.value, ...body } })
    else await api.request('PATCH /api/help-resources/lines/:id', { params: { id: line.id }, body })
    context.reload()
    announce(t.saved(body.name[lang]))
  }))
}

function centreForm (context: Context, help: HelpResourcesReply, centre?: CrisisCentre): HTMLElement {
  const t = TEXT[context.lang]
  const name = input({ name: 'name', required: true, maxlength: 200, value: centre?.name })
  const county = select(help.counties.map((c) => ({ value: c.number, label: `${c.name} (${c.number})` })), centre?.county, { name: 'county' })
  const women = select(policies(context.lang), centre?.activeSubstanceUse.women ?? 'not_checked', { name: 'women' })
  const men = select(policies(context.lang), centre?.activeSubstanceUse.men ?? 'not_checked', { name: 'men' })
  const source = h('textarea', { name: 'source', required: true, maxlength: 2000, rows: 2 })
  source.value = centre?.source ?? ''
  const checked = input({ name: 'checked', type: 'date', required: true, value: centre?.checked ?? today() })
  return section(centre === undefined ? t.newCentre : t.edit(centre.name), form({}, [
    field(t.name, name), field(t.county, county),
    field(t.women, women),
    field(t.men, men),
    field(t.source, source, t.sourceHint),
    field(t.checked, checked),
  ], centre === undefined ? t.addCentreSubmit : t.saveCentre, async () => {
    const body: CrisisCentreInput = {
      name: name.value,
      county: county.value,
      checked: checked.value,
      source: source.value,
      activeSubstanceUse: { women: women.value as Policy, men: men.value as Policy },
    }
    if (centre === undefined) await api.request('POST /api/help-resources/crisis-centres', { body })
    else await api.request('PATCH /api/help-resources/crisis-centres/:id', { params: { id: centre.id }, body })
    context.reload()
    announce(t.saved(body.name))
  }))
}

function noteForm (context: Context, help: HelpResourcesReply): HTMLElement {
  const t = TEXT[context.lang]
  const note = bilingual(context.lang, t.noteName, help.note, true)
  return section(t.noteTitle, form({}, note.fields, t.saveNote, async () => {
    await api.request('PUT /api/help-resources/note', { body: { nb: note.nb.value, en: note.en.value } })
    context.reload()
    announce(t.noteSaved)
  }))
}
