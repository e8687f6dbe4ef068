import { h, sanitisedHtml } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { otherLang } from '../../../shared/i18n.js'
import { BOTH, TEXT } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { quickExitButton } from './kit.js'
import { state } from '../state.js'

/**
 * The help dialog, from every screen. Its top bar holds quick exit (red) and "close" (same size, not red) and stays
 * in view while the help scrolls. Before a language is chosen it shows both languages; after, the respondent's,
 * with a button for the other.
 */
export function showHelp (): void {
  let lang = state.lang
  const dialog = h('dialog', { class: 'help', 'aria-labelledby': 'help-title', 'data-testid': 'help-dialog' })
  dialog.addEventListener('close', () => { dialog.remove() })
  const draw = (): void => {
    const both = !state.langChosen
    const t = TEXT[lang]
    const other = otherLang(lang)
    const close = h('button', { type: 'button', class: 'close-help', 'data-testid': 'close-help', onClick: () => { dialog.close() } },
      h('span', { class: 'close-icon' }, '✕'), ` ${both ? BOTH.close : t.closeHelp}`)
    close.querySelector('.close-icon')?.setAttribute('aria-hidden', 'true')
    close.autofocus = true
    if (both) dialog.removeAttribute('lang')
    else dialog.lang = lang
    dialog.replaceChildren(
      h('div', { class: 'dialog-bar' },
        quickExitButton(both ? BOTH.quickExit : t.quickExit),
        !both && h('button', { type: 'button', class: 'dialog-lang', lang: other, 'aria-label': t.otherLanguageLabel, onClick: () => { lang = other; draw() } }, t.otherLanguage),
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
    ...langs.map((lang) => h('div', { class: 'help-lang', lang }, ...helpParts(lang))))
}

/** Helplines, then crisis centres by county (the site's first) with what each says about active substance use. */
export function helpParts (lang: Lang): Child[] {
  const t = TEXT[lang]
  const data = state.helpData
  if (data === undefined) {
    // The API could not be asked (no connection): the instrument's own help page, or the emergency numbers.
    const html = state.help?.[lang] ?? ''
    return [html === '' ? h('p', {}, t.fallbackHelp) : h('div', { class: 'html-block' }, sanitisedHtml(html))]
  }
  const latest = data.lines.map((line) => line.checked).sort().at(-1) ?? ''
  return [
    h('h2', {}, t.helpTitle),
    h('ul', { class: 'help-lines' }, ...data.lines.map((line) =>
      h('li', {}, h('strong', {}, line.name[lang]), ' ', h('span', { class: 'contact' }, line.contact), h('br'), line.description[lang]))),
    h('p', { class: 'checked' }, `(${t.checked(latest)})`),
    h('h2', {}, t.crisisCentres),
    ...data.counties.map((county) => h('section', { class: 'help-county', 'data-testid': 'help-county', 'data-county': county.number },
      h('h3', {}, county.name),
      county.centres.length === 0
        ? h('p', {}, t.noCentreChecked)
        : h('ul', {}, ...county.centres.map((centre) => h('li', {},
          h('strong', {}, centre.name), h('br'),
          `${t.women}: ${t.policy[centre.activeSubstanceUse.women]}. ${t.men}: ${t.policy[centre.activeSubstanceUse.men]}. (${t.checked(centre.checked)})`))))),
    h('p', {}, data.note[lang]),
  ]
}
