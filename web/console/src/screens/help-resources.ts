import type { CrisisCentre, CrisisCentreInput, HelpLine, HelpResourcesReply } from '../../../../api/schemas/help-resources.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

type Policy = CrisisCentreInput['activeSubstanceUse']['women']
const POLICIES: Array<{ value: Policy, label: string }> = [
  { value: 'yes', label: 'takes them in' },
  { value: 'case_by_case', label: 'decides case by case' },
  { value: 'no', label: 'does not take them in' },
  { value: 'not_checked', label: 'not checked' },
]
const policyLabel = (policy: Policy): string => POLICIES.find((option) => option.value === policy)?.label ?? policy
const today = (): string => new Date().toISOString().slice(0, 10)

/** The helplines and crisis centres the kiosk shows, with each one's policy on active substance use and when it was checked. */
export async function renderHelpResources (context: Context): Promise<void> {
  const help = await api.get<HelpResourcesReply>('/api/help-resources')
  const editor = h('div', {})
  const show = (content: HTMLElement): void => { editor.replaceChildren(content); editor.querySelector('input')?.focus() }
  const outcome = new Outcome()
  const remove = async (what: string, path: string): Promise<void> => {
    if (!await confirmAction(`Delete ${what}? Tablets stop showing it.`, 'Delete')) return
    try { await api.delete(path); context.reload(); announce(`Deleted ${what}.`) } catch (error) { outcome.error(error) }
  }
  const countyName = new Map(help.counties.map((county) => [county.number, county.name]))
  context.main.append(
    h('h1', {}, 'Help resources'),
    h('p', { class: help.stale ? 'notice warning' : 'notice', 'data-testid': 'help-freshness', ...(help.stale ? { role: 'alert' } : {}) },
      help.oldestChecked === null ? 'Nothing is listed yet.' : `The oldest check is from ${help.oldestChecked}. `,
      help.stale ? `That is more than ${help.maxAgeDays} days ago: no wave can be opened until it is checked again.` : `Entries must be checked at least every ${help.maxAgeDays} days for a wave to open.`),
    outcome.element,
    section('Helplines',
      table('Helplines', ['Name', 'Contact', 'Checked', ''], help.lines.map((line) => [
        line.name.en, line.contact, line.checked,
        h('span', { class: 'row-actions' },
          button(`Edit ${line.name.en}`, () => { show(lineForm(context, line)) }, { class: 'small' }),
          button(`Delete ${line.name.en}`, () => { remove(line.name.en, `/api/help-resources/lines/${encodeURIComponent(line.id)}`).catch(() => {}) }, { class: 'small danger' })),
      ])),
      button('Add a helpline', () => { show(lineForm(context)) })),
    section('Crisis centres',
      table('Crisis centres by county', ['County', 'Centre', 'Women in active use', 'Men in active use', 'Checked', ''],
        [...help.crisisCentres].sort((a, b) => a.county.localeCompare(b.county) || a.name.localeCompare(b.name)).map((centre) => [
          countyName.get(centre.county) ?? centre.county, centre.name, policyLabel(centre.activeSubstanceUse.women), policyLabel(centre.activeSubstanceUse.men), centre.checked,
          h('span', { class: 'row-actions' },
            button(`Edit ${centre.name}`, () => { show(centreForm(context, help, centre)) }, { class: 'small' }),
            button(`Delete ${centre.name}`, () => { remove(centre.name, `/api/help-resources/crisis-centres/${centre.id}`).catch(() => {}) }, { class: 'small danger' })),
        ]), { 'data-testid': 'crisis-centres' }),
      button('Add a crisis centre', () => { show(centreForm(context, help)) })),
    editor,
    noteForm(context, help))
}

function bilingual (name: string, value?: { nb: string, en: string }, multiline = false): { nb: HTMLInputElement | HTMLTextAreaElement, en: HTMLInputElement | HTMLTextAreaElement, fields: HTMLElement[] } {
  const make = (lang: 'nb' | 'en') => {
    const control = multiline ? h('textarea', { name: `${name}-${lang}`, required: true, maxlength: 2000, lang, rows: 3 }) : input({ name: `${name}-${lang}`, required: true, maxlength: 2000, lang })
    control.value = value?.[lang] ?? ''
    return control
  }
  const nb = make('nb')
  const en = make('en')
  return { nb, en, fields: [field(`${name} (bokmål)`, nb), field(`${name} (English)`, en)] }
}

function lineForm (context: Context, line?: HelpLine): HTMLElement {
  const id = input({ name: 'id', required: true, pattern: '[a-z0-9-]+', maxlength: 100, value: line?.id, ...(line === undefined ? {} : { readonly: true }) })
  const kind = select([{ value: 'phone', label: 'phone' }, { value: 'web', label: 'web address' }], line?.kind, { name: 'kind' })
  const contact = input({ name: 'contact', required: true, maxlength: 100, value: line?.contact })
  const name = bilingual('Name', line?.name)
  const description = bilingual('Description', line?.description, true)
  const checked = input({ name: 'checked', type: 'date', required: true, value: line?.checked ?? today() })
  return section(line === undefined ? 'New helpline' : `Edit ${line.name.en}`, form({}, [
    field('Identifier', id, 'lower-case letters, digits and hyphens; cannot change later'),
    field('Kind', kind),
    field('Number or address', contact, 'as people say it ("116 006"), or the address without https://'),
    ...name.fields, ...description.fields,
    field('Checked on', checked, 'the day someone confirmed these details'),
  ], line === undefined ? 'Add helpline' : 'Save helpline', async () => {
    const body = {
      kind: kind.value as HelpLine['kind'],
      contact: contact.value,
      name: { nb: name.nb.value, en: name.en.value },
      description: { nb: description.nb.value, en: description.en.value },
      checked: checked.value,
    }
    if (line === undefined) await api.post<HelpLine>('/api/help-resources/lines', { id: id.value, ...body })
    else await api.patch<HelpLine>(`/api/help-resources/lines/${encodeURIComponent(line.id)}`, body)
    context.reload()
    announce(`Saved ${body.name.en}.`)
  }))
}

function centreForm (context: Context, help: HelpResourcesReply, centre?: CrisisCentre): HTMLElement {
  const name = input({ name: 'name', required: true, maxlength: 200, value: centre?.name })
  const county = select(help.counties.map((c) => ({ value: c.number, label: `${c.name} (${c.number})` })), centre?.county, { name: 'county' })
  const women = select(POLICIES, centre?.activeSubstanceUse.women ?? 'not_checked', { name: 'women' })
  const men = select(POLICIES, centre?.activeSubstanceUse.men ?? 'not_checked', { name: 'men' })
  const source = h('textarea', { name: 'source', required: true, maxlength: 2000, rows: 2 })
  source.value = centre?.source ?? ''
  const checked = input({ name: 'checked', type: 'date', required: true, value: centre?.checked ?? today() })
  return section(centre === undefined ? 'New crisis centre' : `Edit ${centre.name}`, form({}, [
    field('Name', name), field('County', county),
    field('Takes in women in active substance use', women),
    field('Takes in men in active substance use', men),
    field('Source', source, 'where the policy comes from (for researchers; not shown on tablets)'),
    field('Checked on', checked),
  ], centre === undefined ? 'Add crisis centre' : 'Save crisis centre', async () => {
    const body: CrisisCentreInput = {
      name: name.value,
      county: county.value,
      checked: checked.value,
      source: source.value,
      activeSubstanceUse: { women: women.value as Policy, men: men.value as Policy },
    }
    if (centre === undefined) await api.post<CrisisCentre>('/api/help-resources/crisis-centres', body)
    else await api.patch<CrisisCentre>(`/api/help-resources/crisis-centres/${centre.id}`, body)
    context.reload()
    announce(`Saved ${body.name}.`)
  }))
}

function noteForm (context: Context, help: HelpResourcesReply): HTMLElement {
  const note = bilingual('Note about centres not listed', help.note, true)
  return section('Note shown below the list', form({}, note.fields, 'Save note', async () => {
    await api.put('/api/help-resources/note', { nb: note.nb.value, en: note.en.value })
    context.reload()
    announce('Saved the note.')
  }))
}
