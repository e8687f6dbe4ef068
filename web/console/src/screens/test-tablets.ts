import type { Tablet } from '../../../../api/schemas/tablets.js'
import type { TestResponseListReply } from '../../../../api/schemas/test-responses.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import type { Lang } from '../../../shared/i18n.js'
import { announce, button, confirmAction, field, form, formatDateTime, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

const responses = (n: number): string => n === 1 ? '1 test response' : `${n} test responses`

const TEXT = {
  nb: {
    title: 'Testmodus',
    intro: 'Prøv en versjon på et nettbrett før en runde åpner: et testnettbrett viser versjonen med et «TEST»-bånd på hver side, og svarene holdes atskilt – aldri i resultater, frigivelser eller eksport – til du sletter dem.',
    enrol: 'Registrer et testnettbrett',
    version: 'Versjon',
    site: 'Sted',
    label: 'Navn på nettbrettet (valgfritt)',
    labelHint: 'for eksempel «Test kontor»',
    make: 'Lag testkode',
    codeFor: (site: string, version: string) => `Engangskode for et testnettbrett på ${site}, versjon ${version}:`,
    expires: 'Utløper ',
    shownOnce: '. Den vises bare nå. Åpne /kiosk/ på nettbrettet og skriv den inn der.',
    kept: 'Testsvar som er lagret',
    caption: 'Testsvar per versjon (holdes atskilt fra alle resultater)',
    count: 'Testsvar',
    remove: (version: string) => `Slett testsvar for ${version}`,
    confirm: (n: number, version: string) => `Slette ${n} testsvar for ${version}? Det kan ikke angres.`,
    confirmButton: 'Slett testsvar',
    removed: (n: number, version: string) => `${n} testsvar for ${version} er slettet.`,
    badge: (version: string) => `testnettbrett: ${version}`,
  },
  en: {
    title: 'Test mode',
    intro: 'Try a version on a tablet before a wave opens: a test tablet shows that version with a "TEST" band on every screen, and its responses are kept apart — never in results, releases or exports — until you delete them.',
    enrol: 'Enrol a test tablet',
    version: 'Version',
    site: 'Site',
    label: 'Tablet label (optional)',
    labelHint: 'e.g. "Office test"',
    make: 'Make test enrolment code',
    codeFor: (site: string, version: string) => `One-time code for a test tablet at ${site}, version ${version}:`,
    expires: 'Expires ',
    shownOnce: '. It is shown only now. Open /kiosk/ on the tablet and type it there.',
    kept: 'Test responses kept',
    caption: 'Test responses per version (kept apart from every result)',
    count: 'Test responses',
    remove: (version: string) => `Delete test responses of ${version}`,
    confirm: (n: number, version: string) => `Delete ${responses(n)} of ${version}? This cannot be undone.`,
    confirmButton: 'Delete test responses',
    removed: (n: number, version: string) => `Deleted ${responses(n)} of ${version}.`,
    badge: (version: string) => `test tablet: ${version}`,
  },
} as const

const versionName = (version: { slug: string, version: number }): string => `${version.slug} v${version.version}`

/** "Test tablet: hverdag v1" beside a test tablet in the tablets list; nothing for a live one. */
export function testTabletBadge (tablet: Tablet, lang: Lang): HTMLElement | null {
  if (tablet.testSurveyVersion === null) return null
  return h('span', { class: 'test-badge', 'data-testid': 'test-tablet' }, TEXT[lang].badge(versionName(tablet.testSurveyVersion)))
}

/**
 * Test mode on the survey versions screen (researcher, admin): a one-time code that enrols a test tablet for a
 * version at a site, and each version's kept test responses with a button that deletes them.
 */
export async function testModeSection (context: Context): Promise<HTMLElement> {
  const text = TEXT[context.lang]
  const [{ versions }, { sites }] = await Promise.all([
    api.request('GET /api/test-responses'),
    api.request('GET /api/sites'),
  ])
  const version = select(versions.map((item) => ({ value: String(item.surveyVersionId), label: versionName(item) })), undefined, { name: 'test-version', 'data-testid': 'test-version' })
  const site = select(sites.map((item) => ({ value: item.id, label: item.name })), undefined, { name: 'test-site', 'data-testid': 'test-site' })
  const label = input({ name: 'test-label', maxlength: 100 })
  const codeView = h('div', { 'aria-live': 'polite' })
  const enrol = form({ 'data-testid': 'test-code-form' }, [
    field(text.version, version), field(text.site, site), field(text.label, label, text.labelHint),
  ], text.make, async () => {
    const reply = await api.request('POST /api/tablets/enrolment-codes', {
      body: { siteId: site.value, testSurveyVersionId: Number(version.value), ...(label.value.trim() === '' ? {} : { label: label.value.trim() }) },
    })
    codeView.replaceChildren(h('div', { class: 'code-card test' },
      h('p', {}, text.codeFor(reply.siteName, reply.testSurveyVersion === null ? '' : versionName(reply.testSurveyVersion))),
      h('p', { class: 'big-code', 'data-testid': 'test-enrolment-code' }, reply.code),
      h('p', {}, text.expires, h('time', { datetime: reply.expiresAt }, formatDateTime(reply.expiresAt)), text.shownOnce)))
  })

  const outcome = new Outcome()
  const remove = async (item: TestResponseListReply['versions'][number]): Promise<void> => {
    if (!await confirmAction(text.confirm(item.count, versionName(item)), text.confirmButton)) return
    try {
      const { deleted } = await api.request('DELETE /api/test-responses/:surveyVersionId', { params: { surveyVersionId: item.surveyVersionId } })
      context.reload()
      announce(text.removed(deleted, versionName(item)))
    } catch (error) { outcome.error(error) }
  }
  return section(text.title,
    h('p', {}, text.intro),
    h('h3', {}, text.enrol),
    enrol,
    codeView,
    h('h3', {}, text.kept),
    table(text.caption, [text.version, text.count, ''], versions.map((item) => [
      versionName(item),
      h('span', { 'data-testid': 'test-count', 'data-version': String(item.surveyVersionId) }, item.count),
      item.count === 0 ? '' : button(text.remove(versionName(item)), () => { remove(item).catch(() => {}) }, { class: 'small danger' }),
    ]), { 'data-testid': 'test-responses' }),
    outcome.element)
}
