import { ApiError } from '../../../shared/api-client.js'
import { h } from '../../../shared/dom.js'
import { BOTH } from '../i18n.js'
import { quickExitButton } from './kit.js'
import { HOME, TOKEN_KEY } from '../state.js'
import { screen } from './layout.js'

/** Why the survey cannot start or go on (revoked, unknown tablet, no wave today, no connection), in both languages. */
export function showProblem (error: unknown): void {
  const code = error instanceof ApiError ? error.code : 'internal'
  const enrolAgain = h('button', { type: 'button', class: 'primary', onClick: () => { localStorage.removeItem(TOKEN_KEY); location.replace(HOME) } }, BOTH.enrolAgain)
  const retry = h('button', { type: 'button', class: 'primary', onClick: () => { location.replace(HOME) } }, BOTH.tryAgain)
  const message = code === 'device_revoked'
    ? BOTH.revoked
    : code === 'device_unknown' || code === 'unauthorized'
      ? BOTH.unknownDevice
      : code === 'no_open_wave' ? BOTH.noWave : BOTH.offline
  const revokedOrUnknown = code === 'device_revoked' || code === 'device_unknown' || code === 'unauthorized'
  screen([quickExitButton(BOTH.quickExit)],
    h('h1', {}, 'Hverdag og helse'),
    h('p', { role: 'alert', class: 'problem', 'data-testid': 'problem' }, message),
    revokedOrUnknown ? enrolAgain : retry)
}
