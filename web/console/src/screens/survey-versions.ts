import type { AvailableDefinitionsReply } from '../../../../api/schemas/survey-versions.js'
import { api } from '../api.js'
import { h, textOfHtml } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { formatDateTime, label } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { localised } from '../../../shared/i18n.js'
import { testModeSection } from './test-tablets.js'
import { languagesSection } from './survey-version-languages.js'
import { button, field, form, input, Outcome, section, table } from '../ui.js'
import type { Context } from './context.js'

const DEFINITION_STATUS = {
  new: { nb: 'ny', en: 'new' },
  published: { nb: 'publisert', en: 'published' },
  changed: { nb: 'endret etter publisering', en: 'changed since published' },
  invalid: { nb: 'ugyldig', en: 'invalid' },
} as const

/** SurveyJS question types in words. */
const QUESTION_TYPES = {
  radiogroup: { nb: 'ett valg', en: 'single choice' },
  checkbox: { nb: 'flere valg', en: 'multiple choice' },
  dropdown: { nb: 'nedtrekksliste', en: 'drop-down' },
  text: { nb: 'fritekst, kort', en: 'short text' },
  comment: { nb: 'fritekst', en: 'free text' },
  boolean: { nb: 'ja/nei', en: 'yes/no' },
  html: { nb: 'informasjon', en: 'information' },
  panel: { nb: 'gruppe', en: 'group' },
  rating: { nb: 'skala', en: 'rating' },
} as const

const TEXT = {
  nb: {
    title: 'Skjemaversjoner',
    immutable: 'En publisert versjon endres aldri: en endring er et nytt versjonsnummer.',
    caption: 'Publiserte versjoner',
    cols: ['Skjema', 'Versjon', 'Tittel', 'Publisert', 'Spørsmål', 'Indikatorer', 'Bølger', ''],
    view: (name: string) => `Vis ${name}`,
    publish: (name: string) => `Publiser ${name}`,
    fromFolder: 'Fra mappen survey-definitions',
    noDefinitions: 'Fant ingen definisjoner på serveren.',
    definitionsCaption: 'Definisjoner på serveren',
    definitionCols: ['Skjema', 'Versjon', 'Status', 'Problemer', ''],
    chooseFile: (what: string) => `velg filen med ${what}`,
    notJson: (file: string, what: string, why: string) => `${file} (${what}) er ikke gyldig JSON: ${why}`,
    notObject: 'ikke et JSON-objekt',
    surveyDefinition: 'skjemadefinisjonen',
    indicatorMap: 'indikatorkartet',
    upload: 'Publiser en opplastet versjon',
    slug: 'Skjema (kortnavn)',
    slugHint: 'små bokstaver, sifre og bindestrek',
    version: 'Versjonsnummer',
    definition: 'Skjemadefinisjon (SurveyJS JSON)',
    definitionHint: 'som survey-definitions/<skjema>/v<N>.survey.json',
    indicators: 'Indikatorkart (JSON)',
    indicatorsHint: 'som survey-definitions/<skjema>/v<N>.indicators.json',
    checkAndPublish: 'Sjekk og publiser',
    published: (name: string) => `Publiserte ${name}.`,
    unchanged: (name: string) => `${name} var allerede publisert med nøyaktig dette innholdet.`,
    viewIt: 'Vis den',
    shownIf: 'Vises hvis: ',
    indicatorsTitle: 'Indikatorer',
    indicatorCaption: 'Indikatorkart',
    indicatorCols: ['Indikator', 'Etikett', 'Ja når noen av'],
    or: ' eller ',
    all: '← Alle skjemaversjoner',
    facts: (when: string, questions: number, indicators: number) => `Publisert ${when} · ${questions} spørsmål · ${indicators} indikatorer · sjekksum `,
  },
  en: {
    title: 'Survey versions',
    immutable: 'A published version never changes: a change is a new version number.',
    caption: 'Published versions',
    cols: ['Survey', 'Version', 'Title', 'Published', 'Questions', 'Indicators', 'Waves', ''],
    view: (name: string) => `View ${name}`,
    publish: (name: string) => `Publish ${name}`,
    fromFolder: 'From the survey-definitions folder',
    noDefinitions: 'No definitions found on the server.',
    definitionsCaption: 'Definitions on the server',
    definitionCols: ['Survey', 'Version', 'Status', 'Problems', ''],
    chooseFile: (what: string) => `choose the ${what} file`,
    notJson: (file: string, what: string, why: string) => `${file} (${what}) is not valid JSON: ${why}`,
    notObject: 'not a JSON object',
    surveyDefinition: 'survey definition',
    indicatorMap: 'indicator map',
    upload: 'Publish an uploaded version',
    slug: 'Survey (slug)',
    slugHint: 'lower-case letters, digits and hyphens',
    version: 'Version number',
    definition: 'Survey definition (SurveyJS JSON)',
    definitionHint: 'as survey-definitions/<survey>/v<N>.survey.json',
    indicators: 'Indicator map (JSON)',
    indicatorsHint: 'as survey-definitions/<survey>/v<N>.indicators.json',
    checkAndPublish: 'Check and publish',
    published: (name: string) => `Published ${name}.`,
    unchanged: (name: string) => `${name} was already published with exactly this content.`,
    viewIt: 'View it',
    shownIf: 'Shown if: ',
    indicatorsTitle: 'Indicators',
    indicatorCaption: 'Indicator map',
    indicatorCols: ['Indicator', 'Label', 'Yes when any of'],
    or: ' or ',
    all: '← All survey versions',
    facts: (when: string, questions: number, indicators: number) => `Published ${when} · ${questions} questions · ${indicators} indicators · checksum `,
  },
} as const

export async function renderSurveyVersions (context: Context): Promise<void> {
  const lang = context.lang
  const t = TEXT[lang]
  const [{ versions }, available] = await Promise.all([
    api.request('GET /api/survey-versions'),
    api.request('GET /api/survey-versions/available').catch(() => ({ definitions: [] })),
  ])
  context.main.append(
    h('h1', {}, t.title),
    h('p', {}, t.immutable),
    table(t.caption, [...t.cols], versions.map((version) => [
      version.slug, version.version, version.title[lang], formatDateTime(version.publishedAt, lang), version.questionCount, version.indicatorCount, version.waveCount,
      h('a', { href: `#/survey-versions/${version.id}` }, t.view(`${version.slug} v${version.version}`)),
    ]), { 'data-testid': 'versions' }),
    publishFromFolder(context, available),
    publishUpload(context))
  // Test mode sits right under the versions it tries.
  context.main.querySelector('[data-testid="versions"]')?.after(await testModeSection(context))
}

/** The definitions in survey-definitions/ that are new may be published as they are. */
function publishFromFolder (context: Context, available: AvailableDefinitionsReply): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  const outcome = new Outcome()
  const rows = available.definitions.map((definition): Child[] => [
    definition.slug, definition.version, label(DEFINITION_STATUS, definition.status, lang),
    definition.problems.map((problem) => problem.problem).join('; '),
    definition.status === 'new'
      ? button(t.publish(`${definition.slug} v${definition.version}`), () => {
        outcome.busy()
        api.request('POST /api/survey-versions/from-definitions', { body: { slug: definition.slug, version: definition.version } })
          .then(() => { context.reload() }, (error: unknown) => { outcome.error(error) })
      })
      : '',
  ])
  return section(t.fromFolder,
    rows.length === 0 ? h('p', {}, t.noDefinitions) : table(t.definitionsCaption, [...t.definitionCols], rows),
    outcome.element)
}

async function readJsonFile (file: File | undefined, what: string, lang: Lang): Promise<Record<string, unknown>> {
  const t = TEXT[lang]
  if (file === undefined) throw new Error(t.chooseFile(what))
  try {
    const value: unknown = JSON.parse(await file.text())
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(t.notObject)
    return value as Record<string, unknown>
  } catch (error) {
    throw new Error(t.notJson(file.name, what, error instanceof Error ? error.message : String(error)))
  }
}

/** Publishes an uploaded SurveyJS JSON with its indicator map; the API runs definitions:check's checks and lists every problem. */
function publishUpload (context: Context): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  const slug = input({ name: 'slug', required: true, pattern: '[a-z0-9]+(-[a-z0-9]+)*', value: 'hverdag' })
  const version = input({ name: 'version', type: 'number', min: 1, required: true })
  const definition = input({ name: 'definition', type: 'file', accept: 'application/json,.json', required: true })
  const indicators = input({ name: 'indicators', type: 'file', accept: 'application/json,.json', required: true })
  const outcome = new Outcome()
  return section(t.upload, form({}, [
    field(t.slug, slug, t.slugHint),
    field(t.version, version),
    field(t.definition, definition, t.definitionHint),
    field(t.indicators, indicators, t.indicatorsHint),
  ], t.checkAndPublish, async () => {
    const body = {
      slug: slug.value,
      version: Number(version.value),
      survey: await readJsonFile(definition.files?.[0], t.surveyDefinition, lang),
      indicatorMap: await readJsonFile(indicators.files?.[0], t.indicatorMap, lang),
    }
    const reply = await api.request('POST /api/survey-versions', { body })
    const name = `${reply.version.slug} v${reply.version.version}`
    outcome.ok(reply.outcome === 'published' ? t.published(name) : t.unchanged(name),
      ' ', h('a', { href: `#/survey-versions/${reply.version.id}` }, t.viewIt))
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
  const t = TEXT[lang]
  if (element.type === 'html') return h('li', { class: 'q html' }, h('p', {}, textOfHtml(localised(element.html, lang))))
  const title = localised(element.title, lang)
  return h('li', { class: 'q' },
    h('p', {}, h('strong', {}, title), ' ', h('code', {}, element.name ?? ''), ' ', h('span', { class: 'tag' }, element.type === undefined ? '' : label(QUESTION_TYPES, element.type, lang))),
    element.description !== undefined && h('p', { class: 'hint' }, localised(element.description, lang)),
    element.visibleIf !== undefined && h('p', { class: 'hint' }, t.shownIf, h('code', {}, element.visibleIf)),
    Array.isArray(element.choices) && h('ul', { class: 'choices' }, ...element.choices.map((choice) => choiceView(choice, lang))),
    Array.isArray(element.elements) && h('ol', {}, ...element.elements.map((child) => elementView(child, lang))))
}

function definitionView (definition: Record<string, unknown>, lang: Lang): HTMLElement {
  const pages = Array.isArray(definition.pages) ? definition.pages as Array<{ name?: string, title?: unknown, elements?: Element[] }> : []
  return h('div', { class: 'definition', lang, 'data-testid': 'definition' },
    h('h2', {}, localised(definition.title, lang)),
    ...pages.map((page, index) => h('section', { class: 'page-view' },
      h('h3', {}, `${index + 1}. `, localised(page.title, lang) || h('code', {}, page.name ?? '')),
      h('ol', {}, ...(page.elements ?? []).map((element) => elementView(element, lang))))))
}

function indicatorView (map: Record<string, unknown>, lang: Lang): HTMLElement {
  const t = TEXT[lang]
  const indicators = (typeof map.indicators === 'object' && map.indicators !== null ? map.indicators : {}) as Record<string, { label?: unknown, anyOf?: Array<{ question: string, values: string[] }> }>
  return section(t.indicatorsTitle, table(t.indicatorCaption, [...t.indicatorCols], Object.entries(indicators).map(([name, indicator]) => [
    h('code', {}, name), localised(indicator.label, lang),
    h('code', { class: 'wrap' }, (indicator.anyOf ?? []).map((rule) => `${rule.question} ∈ {${rule.values.join(', ')}}`).join(t.or)),
  ])))
}

export async function renderSurveyVersion (context: Context, id: string): Promise<void> {
  const version = await api.request('GET /api/survey-versions/:id', { params: { id } })
  const t = TEXT[context.lang]
  // The instrument is shown in the console's language first; the toggle shows it in the other.
  let lang: Lang = context.lang
  const body = h('div', {})
  const toggle = h('button', { type: 'button' })
  const draw = (): void => {
    toggle.textContent = lang === 'nb' ? 'Show in English' : 'Vis på bokmål'
    toggle.lang = lang === 'nb' ? 'en' : 'nb'
    body.replaceChildren(definitionView(version.definition, lang), indicatorView(version.indicatorMap, lang))
  }
  toggle.addEventListener('click', () => { lang = lang === 'nb' ? 'en' : 'nb'; draw() })
  draw()
  context.main.append(
    h('p', {}, h('a', { href: '#/survey-versions' }, t.all)),
    h('h1', {}, `${version.slug} v${version.version}`),
    h('p', {}, t.facts(formatDateTime(version.publishedAt, context.lang), version.questionCount, version.indicatorCount), h('code', {}, version.checksum.slice(0, 16))),
    // Its languages before the long read-only rendering of its questions.
    await languagesSection(context, version),
    toggle,
    body)
}
