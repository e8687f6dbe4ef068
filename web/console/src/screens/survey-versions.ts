import type { AvailableDefinitionsReply, PublishReply, SurveyVersionDetail, SurveyVersionListReply } from '../../../../api/schemas/survey-versions.js'
import { api } from '../api.js'
import { h, textOfHtml } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { button, field, form, formatDateTime, input, Outcome, section, table } from '../ui.js'
import type { Context } from './context.js'
import { localised } from '../../../shared/i18n.js'
import type { Lang } from '../../../shared/i18n.js'
import { testModeSection } from './test-tablets.js'

export async function renderSurveyVersions (context: Context): Promise<void> {
  const [{ versions }, available] = await Promise.all([
    api.get<SurveyVersionListReply>('/api/survey-versions'),
    api.get<AvailableDefinitionsReply>('/api/survey-versions/available').catch(() => ({ definitions: [] })),
  ])
  context.main.append(
    h('h1', {}, 'Survey versions'),
    h('p', {}, 'A published version never changes: a change is a new version number.'),
    table('Published versions', ['Survey', 'Version', 'Title', 'Published', 'Questions', 'Indicators', 'Waves', ''], versions.map((version) => [
      version.slug, version.version, version.title.en, formatDateTime(version.publishedAt), version.questionCount, version.indicatorCount, version.waveCount,
      h('a', { href: `#/survey-versions/${version.id}` }, `View ${version.slug} v${version.version}`),
    ]), { 'data-testid': 'versions' }),
    publishFromFolder(context, available),
    publishUpload(context))
  // Test mode sits right under the versions it tries.
  context.main.querySelector('[data-testid="versions"]')?.after(await testModeSection(context))
}

/** The definitions in survey-definitions/ that are new may be published as they are. */
function publishFromFolder (context: Context, available: AvailableDefinitionsReply): HTMLElement {
  const outcome = new Outcome()
  const rows = available.definitions.map((definition): Child[] => [
    definition.slug, definition.version, definition.status,
    definition.problems.map((problem) => problem.problem).join('; '),
    definition.status === 'new'
      ? button(`Publish ${definition.slug} v${definition.version}`, () => {
        outcome.busy()
        api.post<PublishReply>('/api/survey-versions/from-definitions', { slug: definition.slug, version: definition.version })
          .then(() => { context.reload() }, (error: unknown) => { outcome.error(error) })
      })
      : '',
  ])
  return section('From the survey-definitions folder',
    rows.length === 0 ? h('p', {}, 'No definitions found on the server.') : table('Definitions on the server', ['Survey', 'Version', 'Status', 'Problems', ''], rows),
    outcome.element)
}

async function readJsonFile (file: File | undefined, what: string): Promise<Record<string, unknown>> {
  if (file === undefined) throw new Error(`choose the ${what} file`)
  try {
    const value: unknown = JSON.parse(await file.text())
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object')
    return value as Record<string, unknown>
  } catch (error) {
    throw new Error(`${file.name} (${what}) is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Publishes an uploaded SurveyJS JSON with its indicator map; the API runs definitions:check's checks and lists every problem. */
function publishUpload (context: Context): HTMLElement {
  const slug = input({ name: 'slug', required: true, pattern: '[a-z0-9]+(-[a-z0-9]+)*', value: 'hverdag' })
  const version = input({ name: 'version', type: 'number', min: 1, required: true })
  const definition = input({ name: 'definition', type: 'file', accept: 'application/json,.json', required: true })
  const indicators = input({ name: 'indicators', type: 'file', accept: 'application/json,.json', required: true })
  const outcome = new Outcome()
  return section('Publish an uploaded version', form({}, [
    field('Survey (slug)', slug, 'lower-case letters, digits and hyphens'),
    field('Version number', version),
    field('Survey definition (SurveyJS JSON)', definition, 'as survey-definitions/<survey>/v<N>.survey.json'),
    field('Indicator map (JSON)', indicators, 'as survey-definitions/<survey>/v<N>.indicators.json'),
  ], 'Check and publish', async () => {
    const body = {
      slug: slug.value,
      version: Number(version.value),
      survey: await readJsonFile(definition.files?.[0], 'survey definition'),
      indicatorMap: await readJsonFile(indicators.files?.[0], 'indicator map'),
    }
    const reply = await api.post<PublishReply>('/api/survey-versions', body)
    outcome.ok(reply.outcome === 'published' ? `Published ${reply.version.slug} v${reply.version.version}.` : `${reply.version.slug} v${reply.version.version} was already published with exactly this content.`,
      ' ', h('a', { href: `#/survey-versions/${reply.version.id}` }, 'View it'))
  }, outcome))
}

// ---- one version, read-only --------------------------------------------------------------------------------

interface Element { type?: string, name?: string, title?: unknown, html?: unknown, description?: unknown, visibleIf?: string, choices?: unknown[], elements?: Element[], isRequired?: boolean }

function choiceView (choice: unknown, lang: Lang): HTMLElement {
  if (typeof choice === 'object' && choice !== null) {
    const { value, text } = choice as { value?: unknown, text?: unknown }
    return h('li', {}, localised(text, lang) || String(value), ' ', h('code', {}, String(value)))
  }
  return h('li', {}, h('code', {}, String(choice)))
}

function elementView (element: Element, lang: Lang): HTMLElement {
  if (element.type === 'html') return h('li', { class: 'q html' }, h('p', {}, textOfHtml(localised(element.html, lang))))
  const title = localised(element.title, lang) || (element.name ?? '')
  return h('li', { class: 'q' },
    h('p', {}, h('strong', {}, title), ' ', h('code', {}, element.name ?? ''), ' ', h('span', { class: 'tag' }, element.type ?? '')),
    element.description !== undefined && h('p', { class: 'hint' }, localised(element.description, lang)),
    element.visibleIf !== undefined && h('p', { class: 'hint' }, `Shown if: ${element.visibleIf}`),
    Array.isArray(element.choices) && h('ul', { class: 'choices' }, ...element.choices.map((choice) => choiceView(choice, lang))),
    Array.isArray(element.elements) && h('ol', {}, ...element.elements.map((child) => elementView(child, lang))))
}

function definitionView (definition: Record<string, unknown>, lang: Lang): HTMLElement {
  const pages = Array.isArray(definition.pages) ? definition.pages as Array<{ name?: string, title?: unknown, elements?: Element[] }> : []
  return h('div', { class: 'definition', lang, 'data-testid': 'definition' },
    h('h2', {}, localised(definition.title, lang)),
    ...pages.map((page, index) => h('section', { class: 'page-view' },
      h('h3', {}, `${index + 1}. ${localised(page.title, lang) || (page.name ?? '')}`),
      h('ol', {}, ...(page.elements ?? []).map((element) => elementView(element, lang))))))
}

function indicatorView (map: Record<string, unknown>, lang: Lang): HTMLElement {
  const indicators = (typeof map.indicators === 'object' && map.indicators !== null ? map.indicators : {}) as Record<string, { label?: unknown, anyOf?: Array<{ question: string, values: string[] }> }>
  return section('Indicators', table('Indicator map', ['Indicator', 'Label', 'Yes when any of'], Object.entries(indicators).map(([name, indicator]) => [
    h('code', {}, name), localised(indicator.label, lang),
    (indicator.anyOf ?? []).map((rule) => `${rule.question} ∈ {${rule.values.join(', ')}}`).join(' or '),
  ])))
}

export async function renderSurveyVersion (context: Context, id: string): Promise<void> {
  const version = await api.get<SurveyVersionDetail>(`/api/survey-versions/${encodeURIComponent(id)}`)
  let lang: Lang = 'nb'
  const body = h('div', {})
  const toggle = h('button', { type: 'button', lang: 'en' }, 'Show in English')
  const draw = (): void => {
    toggle.textContent = lang === 'nb' ? 'Show in English' : 'Vis på bokmål'
    toggle.lang = lang === 'nb' ? 'en' : 'nb'
    body.replaceChildren(definitionView(version.definition, lang), indicatorView(version.indicatorMap, lang))
  }
  toggle.addEventListener('click', () => { lang = lang === 'nb' ? 'en' : 'nb'; draw() })
  draw()
  context.main.append(
    h('p', {}, h('a', { href: '#/survey-versions' }, '← All survey versions')),
    h('h1', {}, `${version.slug} v${version.version}`),
    h('p', {}, `Published ${formatDateTime(version.publishedAt)} · ${version.questionCount} questions · ${version.indicatorCount} indicators · checksum `, h('code', {}, version.checksum.slice(0, 16))),
    toggle,
    body)
}
