import { words } from '../i18n.js'
import { showCover } from './cover.js'
import { setIdleArmed } from './idle.js'
import { HOME, app, state } from '../state.js'

/**
 * Drops the answers and the DOM at once, shows the neutral cover, then reloads the kiosk in place of this
 * history entry (location.replace), so nothing is left in memory and there is nothing to go back to.
 */
export function quickExit (): void {
  setIdleArmed(false)
  state.session?.discard()
  state.session = undefined
  state.help = undefined
  for (const dialog of Array.from(document.querySelectorAll('dialog'))) dialog.remove()
  app.replaceChildren()
  document.documentElement.lang = 'nb'
  document.documentElement.dir = 'ltr'
  document.title = words('nb').studyName
  delete document.documentElement.dataset.textSize
  showCover(false)
  location.replace(HOME)
}
