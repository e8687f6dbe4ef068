import { showCover, showLanguage } from './screens/cover.js'
import { showEnrol } from './screens/enrolment.js'
import { showHelp } from './screens/help.js'
import { idle, watchActivity } from './screens/idle.js'
import { nav } from './screens/kit.js'
import { TOKEN_KEY } from './state.js'
import { startOffline } from './offline.js'
import { showPage } from './screens/question-page.js'
import { quickExit } from './screens/quick-exit.js'

/**
 * The kiosk: each screen lives in screens/ (cover, enrolment, question page, privacy check, help, idle prompt,
 * thanks); this file only wires them together and starts.
 */
nav.quickExit = quickExit
nav.showHelp = showHelp
nav.showPage = showPage
nav.showLanguage = showLanguage

/**
 * Escape is quick exit on every screen, and in the idle prompt. Inside the help or staff dialog it closes that
 * dialog instead: whoever opened help expects Escape to put it away, and quick exit stays one touch away at the
 * dialog's top. (In the idle prompt the only other answer is "continue", which Escape does not mean.)
 */
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return
  const dialog = document.querySelector<HTMLDialogElement>('dialog[open]')
  if (idle.prompt === undefined && dialog !== null) {
    event.preventDefault()
    dialog.close()
    return
  }
  quickExit()
})

watchActivity()

if (localStorage.getItem(TOKEN_KEY) === null) showEnrol()
else showCover()
startOffline()
