import type { RegionsReply } from '../../../../api/schemas/reference.js'
import type { Site, SiteCreateBody, SiteListReply } from '../../../../api/schemas/sites.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { announce, button, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

export async function renderSites (context: Context): Promise<void> {
  const canEdit = context.account.role === 'researcher' || context.account.role === 'admin'
  // Everyone reads the kinds' names (site staff included): a code such as municipal_low_threshold means nothing to them.
  const [{ sites }, regions] = await Promise.all([
    api.get<SiteListReply>('/api/sites'),
    api.get<RegionsReply>('/api/reference/regions'),
  ])
  const kindLabel = new Map(regions.siteKinds.map((kind) => [kind.value, kind.label.en]))
  const editor = h('div', {})
  const edit = (site?: Site): void => {
    if (!canEdit) return
    editor.replaceChildren(siteForm(context, regions, site))
    editor.querySelector('input')?.focus()
  }
  context.main.append(
    h('h1', {}, 'Sites'),
    table('Sites', ['Name', 'Kind', 'Municipality', 'County', 'Centrality', ...(canEdit ? [''] : [])], sites.map((site) => [
      site.name, kindLabel.get(site.kind) ?? site.kind, `${site.municipalityName} (${site.municipalityNumber})`, `${site.countyName} (${site.countyNumber})`, site.centrality,
      ...(canEdit ? [button(`Edit ${site.name}`, () => { edit(site) }, { class: 'small' })] : []),
    ]), { 'data-testid': 'sites' }),
    editor)
  edit()
}

function siteForm (context: Context, regions: RegionsReply, site?: Site): HTMLElement {
  const name = input({ name: 'name', required: true, maxlength: 200, value: site?.name })
  const kind = select(regions.siteKinds.map((option) => ({ value: option.value, label: `${option.label.en} / ${option.label.nb}` })), site?.kind, { name: 'kind' })
  // Municipalities grouped by county: the county follows from the municipality number.
  const municipality = h('select', { name: 'municipality', required: true },
    h('option', { value: '' }, 'Choose …'),
    ...regions.counties.map((county) => h('optgroup', { label: `${county.name} (${county.number})` },
      ...county.municipalities.map((m) => h('option', { value: m.number }, `${m.name} (${m.number})`)))))
  municipality.value = site?.municipalityNumber ?? ''
  const centrality = select(regions.centralityClasses.map((option) => ({ value: String(option.value), label: `${option.value}: ${option.label.en}` })), site === undefined ? undefined : String(site.centrality), { name: 'centrality' })
  const outcome = new Outcome()
  return section(site === undefined ? 'New site' : `Edit ${site.name}`, form({ 'data-testid': 'site-form' }, [
    field('Name', name),
    field('Kind of service', kind),
    field('Municipality', municipality, 'Norwegian municipality number; the county follows from it'),
    field('Centrality class', centrality, "Statistics Norway's centrality index: 1 most central, 6 least"),
  ], site === undefined ? 'Create site' : 'Save changes', async () => {
    const body: SiteCreateBody = { name: name.value, kind: kind.value as SiteCreateBody['kind'], municipalityNumber: municipality.value, centrality: Number(centrality.value) }
    const saved = site === undefined ? await api.post<Site>('/api/sites', body) : await api.patch<Site>(`/api/sites/${site.id}`, body)
    context.reload()
    announce(`${site === undefined ? 'Created' : 'Saved'} ${saved.name} (${saved.municipalityName}, ${saved.countyName}).`)
  }, outcome),
  site !== undefined && button('Cancel editing', () => { context.reload() }))
}
