import { h } from '../../../shared/dom.js'
import type { Child } from '../../../shared/dom.js'
import { stopAudio } from '../audio.js'
import { setIdleArmed } from './idle.js'
import { app, state } from '../state.js'

/** Draws a screen: its bar, its main content; disarms the idle timeout and stops any audio first. */
export function screen (header: Child[], ...main: Child[]): void {
  setIdleArmed(false)
  stopAudio()
  app.replaceChildren(
    h('header', { class: 'bar' }, ...header),
    h('main', { id: 'main' }, ...main)
  )
  markTestTablet()
  state.redraw = () => {}
}

/** On a test tablet, a band above every screen, in both languages: whoever holds it knows nothing is counted. */
export function markTestTablet (): void {
  if (!state.testMode || app.querySelector('[data-testid="test-band"]') !== null) return
  app.prepend(h('p', { class: 'test-band', role: 'note', 'data-testid': 'test-band' },
    h('span', { lang: 'nb' }, 'Testnettbrett: svarene telles ikke'), ' · ', h('span', { lang: 'en' }, 'Test tablet: answers are not counted')))
}
