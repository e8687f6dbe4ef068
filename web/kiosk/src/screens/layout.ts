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
  state.redraw = () => {}
}
