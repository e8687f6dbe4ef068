import { h, sanitisedHtml } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { BOTH, SWITCH_TO, words } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { quickExitButton } from './kit.js'
import { languageInfo, state } from '../state.js'

/**
 * The help dialog, from every screen. Its top bar holds quick exit (red) and "close" (same size, not red) and stays
 * in view while the help scrolls. Before a language is chosen it shows both languages; after, the respondent's,
 * with a button for bokmål or English (the helplines and crisis centres are written in those two), said in that
 * language; from English it goes back to the respondent's own.
 */
export function showHelp (): void {
  let lang = state.lang
  const dialog = h('dialog', { class: 'help', 'aria-labelledby': 'help-title', 'data-testid': 'help-dialog' })
  dialog.addEventListener('close', () => { dialog.remove() })
  const draw = (): void => {
    const both = !state.langChosen
    const t = words(lang)
    const other: Lang = lang === 'en' ? (state.lang === 'en' ? 'nb' : state.lang) : 'en'
    const info = languageInfo(other)
    const switchTo = other === 'nb' || other === 'en' ? SWITCH_TO[other] : { name: info.name, label: info.name }
    const close = h('button', { type: 'button', class: 'close-help', 'data-testid': 'close-help', onClick: () => { dialog.close() } },
      h('span', { class: 'close-icon' }, '✕'), ` ${both ? BOTH.close : t.closeHelp}`)
    close.querySelector('.close-icon')?.setAttribute('aria-hidden', 'true')
    close.autofocus = true
    if (both) { dialog.removeAttribute('lang'); dialog.removeAttribute('dir') } else { dialog.lang = lang; dialog.dir = languageInfo(lang).direction }
    dialog.replaceChildren(
      h('div', { class: 'dialog-bar' },
        quickExitButton(both ? BOTH.quickExit : t.quickExit),
        !both && h('button', { type: 'button', class: 'dialog-lang', lang: other, dir: info.direction, 'aria-label': switchTo.label, onClick: () => { lang = other; draw() } }, switchTo.name),
        close),
      h('h1', { id: 'help-title', class: 'sr-only' }, both ? BOTH.help : t.help),
      helpContent(both ? ['nb', 'en'] : [lang]))
  }
  draw()
  document.body.append(dialog)
  dialog.showModal()
}

/** Where to get help, in each of `langs` (bokmål first), under one section. */
export function helpContent (langs: readonly Lang[] = [state.lang]): HTMLElement {
  return h('section', { class: 'help-content', 'data-testid': 'help' },
    ...langs.map((lang) => h('div', { class: 'help-lang', lang, dir: languageInfo(lang).direction }, ...helpParts(lang))))
}

/**
 * Helplines, then crisis centres by county (the site's first) with what each says about active substance use.
 * The kiosk's words are in the language; the helplines' names, descriptions and the note are written in bokmål
 * and English only (survey-definitions/help-resources.json), so another language shows them in English,
 * marked as English for a screen reader and laid out left to right.
 */
export function helpParts (lang: Lang): Child[] {
  const t = words(lang)
  const data = state.helpData
  if (data === undefined) {
    // The API could not be asked (no connection): the instrument's own help page, or the emergency numbers.
    const html = state.help?.[lang] ?? ''
    return [html === '' ? h('p', {}, t.fallbackHelp) : h('div', { class: 'html-block' }, sanitisedHtml(html))]
  }
  const base = lang === 'nb' || lang === 'en'
  const written: 'nb' | 'en' = lang === 'nb' ? 'nb' : 'en'
  const english = base ? {} : { lang: 'en', dir: 'ltr' }
  const latest = data.lines.map((line) => line.checked).sort().at(-1) ?? ''
  return [
    h('h2', {}, t.helpTitle),
    h('ul', { class: 'help-lines' }, ...data.lines.map((line) =>
      h('li', english, h('strong', {}, line.name[written]), ' ', h('span', { class: 'contact', dir: 'ltr' }, line.contact), h('br'), line.description[written]))),
    h('p', { class: 'checked' }, `(${t.checked(latest)})`),
    h('h2', {}, t.crisisCentres),
    ...data.counties.map((county) => h('section', { class: 'help-county', 'data-testid': 'help-county', 'data-county': county.number },
      h('h3', {}, county.name),
      county.centres.length === 0
        ? h('p', {}, t.noCentreChecked)
        : h('ul', {}, ...county.centres.map((centre) => h('li', {},
          h('strong', {}, centre.name), h('br'),
          `${t.women}: ${t.policy[centre.activeSubstanceUse.women]}. ${t.men}: ${t.policy[centre.activeSubstanceUse.men]}. (${t.checked(centre.checked)})`))))),
    h('p', english, data.note[written]),
  ]
}
