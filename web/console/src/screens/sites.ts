import type { RegionsReply } from '../../../../api/schemas/reference.js'
import type { Site, SiteCreateBody } from '../../../../api/schemas/sites.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import type { Lang } from '../i18n.js'
import { announce, button, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

const TEXT = {
  nb: {
    title: 'Steder',
    cols: ['Navn', 'Type', 'Kommune', 'Fylke', 'Sentralitet'],
    edit: (name: string) => `Endre ${name}`,
    newSite: 'Nytt sted',
    name: 'Navn',
    kind: 'Type tjeneste',
    municipality: 'Kommune',
    municipalityHint: 'norsk kommunenummer; fylket følger av det',
    choose: 'Velg …',
    centrality: 'Sentralitetsklasse',
    centralityHint: 'SSBs sentralitetsindeks: 1 mest sentral, 6 minst',
    create: 'Opprett sted',
    save: 'Lagre endringene',
    cancel: 'Avbryt endringen',
    created: (name: string, where: string) => `Opprettet ${name} (${where}).`,
    saved: (name: string, where: string) => `Lagret ${name} (${where}).`,
  },
  en: {
    title: 'Sites',
    cols: ['Name', 'Kind', 'Municipality', 'County', 'Centrality'],
    edit: (name: string) => `Edit ${name}`,
    newSite: 'New site',
    name: 'Name',
    kind: 'Kind of service',
    municipality: 'Municipality',
    municipalityHint: 'Norwegian municipality number; the county follows from it',
    choose: 'Choose …',
    centrality: 'Centrality class',
    centralityHint: "Statistics Norway's centrality index: 1 most central, 6 least",
    create: 'Create site',
    save: 'Save changes',
    cancel: 'Cancel editing',
    created: (name: string, where: string) => `Created ${name} (${where}).`,
    saved: (name: string, where: string) => `Saved ${name} (${where}).`,
  },
} as const

export async function renderSites (context: Context): Promise<void> {
  const t = TEXT[context.lang]
  const canEdit = context.account.role === 'researcher' || context.account.role === 'admin'
  // Everyone reads the kinds' names (site staff included): a code such as municipal_low_threshold means nothing to them.
  const [{ sites }, regions] = await Promise.all([
    api.request('GET /api/sites'),
    api.request('GET /api/reference/regions'),
  ])
  const kindLabel = new Map(regions.siteKinds.map((kind) => [kind.value, kind.label[context.lang]]))
  const centralityLabel = new Map(regions.centralityClasses.map((option) => [option.value, option.label[context.lang]]))
  const editor = h('div', {})
  const edit = (site?: Site): void => {
    if (!canEdit) return
    editor.replaceChildren(siteForm(context, regions, site))
    editor.querySelector('input')?.focus()
  }
  context.main.append(
    h('h1', {}, t.title),
    table(t.title, [...t.cols, ...(canEdit ? [''] : [])], sites.map((site) => [
      site.name, kindLabel.get(site.kind) ?? site.kind.replace(/_/g, ' '), `${site.municipalityName} (${site.municipalityNumber})`, `${site.countyName} (${site.countyNumber})`,
      centralityLabel.get(site.centrality) ?? site.centrality,
      ...(canEdit ? [button(t.edit(site.name), () => { edit(site) }, { class: 'small' })] : []),
    ]), { 'data-testid': 'sites' }),
    editor)
  edit()
}

function siteForm (context: Context, regions: RegionsReply, site?: Site): HTMLElement {
  const lang: Lang = context.lang
  const t = TEXT[lang]
  const name = input({ name: 'name', required: true, maxlength: 200, value: site?.name })
  const kind = select(regions.siteKinds.map((option) => ({ value: option.value, label: option.label[lang] })), site?.kind, { name: 'kind' })
  // Municipalities grouped by county: the county follows from the municipality number.
  const municipality = h('select', { name: 'municipality', required: true },
    h('option', { value: '' }, t.choose),
    ...regions.counties.map((county) => h('optgroup', { label: `${county.name} (${county.number})` },
      ...county.municipalities.map((m) => h('option', { value: m.number }, `${m.name} (${m.number})`)))))
  municipality.value = site?.municipalityNumber ?? ''
  const centrality = select(regions.centralityClasses.map((option) => ({ value: String(option.value), label: option.label[lang] })), site === undefined ? undefined : String(site.centrality), { name: 'centrality' })
  const outcome = new Outcome()
  return section(site === undefined ? t.newSite : t.edit(site.name), form({ 'data-testid': 'site-form' }, [
    field(t.name, name),
    field(t.kind, kind),
    field(t.municipality, municipality, t.municipalityHint),
    field(t.centrality, centrality, t.centralityHint),
  ], site === undefined ? t.create : t.save, async () => {
    const body: SiteCreateBody = { name: name.value, kind: kind.value as SiteCreateBody['kind'], municipalityNumber: municipality.value, centrality: Number(centrality.value) }
    const saved = site === undefined ? await api.request('POST /api/sites', { body }) : await api.request('PATCH /api/sites/:id', { params: { id: site.id }, body })
    context.reload()
    const where = `${saved.municipalityName}, ${saved.countyName}`
    announce(site === undefined ? t.created(saved.name, where) : t.saved(saved.name, where))
  }, outcome),
  site !== undefined && button(t.cancel, () => { context.reload() }))
}
