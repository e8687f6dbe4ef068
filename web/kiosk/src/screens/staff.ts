import { h } from '../../../shared/dom.js'
import { BOTH } from '../i18n.js'
import { drawStaffStatus } from '../offline.js'
import { quickExitButton } from './kit.js'

/** How long the staff's status stays open if nobody closes it: the next respondent should not find it. */
export const STAFF_STATUS_MS = 30_000

/**
 * Staff's status sits behind a deliberate gesture: the discreet "Ansatte / Staff" control on the cover, then a
 * confirmation that it is for staff. It shows a count only: when the last upload went is exactly what the next
 * person at the tablet must not learn (when the previous one finished), so no time is kept or shown.
 */
export function showStaffStatus (): void {
  const dialog = h('dialog', { class: 'help staff', 'aria-labelledby': 'staff-title', 'data-testid': 'staff-dialog' })
  const close = (): void => { dialog.close() }
  const timer = setTimeout(close, STAFF_STATUS_MS)
  dialog.addEventListener('close', () => { clearTimeout(timer); dialog.remove() })
  const closeButton = (): HTMLButtonElement => h('button', { type: 'button', class: 'secondary', 'data-testid': 'staff-close', onClick: close }, BOTH.close)
  const show = (): void => {
    dialog.replaceChildren(quickExitButton(BOTH.quickExit),
      h('h1', { id: 'staff-title' }, BOTH.staffTitle),
      h('p', { role: 'status', 'data-testid': 'staff-status' }),
      closeButton())
    drawStaffStatus()
  }
  dialog.replaceChildren(quickExitButton(BOTH.quickExit),
    h('h1', { id: 'staff-title' }, BOTH.staffTitle),
    h('p', {}, BOTH.staffConfirm),
    h('div', { class: 'stack' },
      h('button', { type: 'button', class: 'primary', 'data-testid': 'staff-confirm', onClick: show }, BOTH.staffShow),
      closeButton()))
  document.body.append(dialog)
  dialog.showModal()
}
