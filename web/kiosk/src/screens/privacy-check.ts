import { h } from '../../../shared/dom.js'
import { kioskClip } from '../../../../survey-definitions/audio-keys.js'
import { playButton, readFirstQuestion } from '../audio.js'
import { words } from '../i18n.js'
import { setIdleArmed } from './idle.js'
import { nav, surveyBar } from './kit.js'
import { state } from '../state.js'
import { screen } from './layout.js'

export function showPageOrPrivacyCheck (): void {
  if (!state.privacyChecked && state.session?.isAtOrAfter(state.session.privacyCheckBefore) === true) showPrivacyCheck()
  else nav.showPage()
}

/** "Can you answer undisturbed now?": stop is quick exit; continue shows the first violence page. Neutral words. */
export function showPrivacyCheck (): void {
  const t = words(state.lang)
  screen(surveyBar(),
    h('div', { class: 'cover', 'data-testid': 'privacy-check' },
      h('h1', {}, t.privacyTitle),
      playButton([kioskClip('privacy_check')], state.lang),
      h('p', {}, t.privacyLead),
      h('div', { class: 'stack' },
        h('button', { type: 'button', class: 'primary big', 'data-testid': 'privacy-continue', onClick: () => { state.privacyChecked = true; nav.showPage() } }, t.privacyContinue),
        h('button', { type: 'button', class: 'secondary big', 'data-testid': 'privacy-stop', onClick: () => { nav.quickExit() } }, t.privacyStop))))
  state.redraw = showPrivacyCheck
  setIdleArmed(true)
  if (state.readAloud) readFirstQuestion()
}
