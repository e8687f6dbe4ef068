import { h } from '../../../shared/dom.js'
import { words } from '../i18n.js'
import { helpContent } from './help.js'
import { setIdleArmed } from './idle.js'
import { surveyBar } from './kit.js'
import { HOME, state } from '../state.js'
import { screen } from './layout.js'

export function showThanks (note?: 'notAccepted' | 'savedForLater'): void {
  const t = words(state.lang)
  screen(surveyBar().filter((child) => !(child instanceof HTMLButtonElement && child.textContent === t.help)),
    h('h1', {}, t.thanks),
    h('p', note === 'notAccepted' ? { role: 'alert' } : {}, note === undefined ? t.thanksText : t[note]),
    helpContent(),
    h('button', { type: 'button', class: 'primary big', 'data-testid': 'done', onClick: () => { location.replace(HOME) } }, t.done))
  state.redraw = () => { showThanks(note) }
  setIdleArmed(true)
}
