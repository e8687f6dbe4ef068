import { ApiError } from '../../../shared/api-client.js'
import { submitAnswers } from '../api.js'
import { words } from '../i18n.js'
import { SEND_WAIT_MS, uploader } from '../offline.js'
import { sealResponse } from '../seal.js'
import type { SurveySession } from '../survey-session.js'
import { TOKEN_KEY, state } from '../state.js'
import { showProblem } from './problem.js'
import { showThanks } from './thanks.js'

export async function send (): Promise<void> {
  const session = state.session
  const token = localStorage.getItem(TOKEN_KEY)
  if (session === undefined || token === null) return
  const t = words(state.lang)
  const status = document.getElementById('send-status')
  const button = document.querySelector<HTMLButtonElement>('[data-testid="send"]')
  if (button !== null) button.disabled = true
  if (status !== null) status.textContent = t.sending
  // A test tablet sends from memory: its outbox is for live responses (the queue posts to the wave).
  if (session.waveId !== null && await sendSealed(session, session.waveId)) return
  try {
    await submitAnswers(token, { id: session.id, waveId: session.waveId, answers: session.answers })
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'device_revoked' || error.code === 'device_unknown')) {
      session.discard()
      state.session = undefined
      showProblem(error)
      return
    }
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) {
      // Refused for good (the wave closed, say): trying again cannot help. Drop the answers, still show help.
      session.discard()
      state.session = undefined
      showThanks('notAccepted')
      return
    }
    // The answers stay in memory only, under the same id, so a retry cannot store them twice.
    if (status !== null) { status.textContent = t.sendFailed; status.setAttribute('role', 'alert') }
    if (button !== null) { button.disabled = false; button.textContent = t.tryAgain }
    return
  }
  session.discard()
  state.session = undefined
  showThanks()
}

/**
 * Seals the response and writes it to the queue, drops the answers from memory, then sends: the thank-you
 * follows the server's answer or, after SEND_WAIT_MS or without a connection, says the answers will follow.
 * False when it could not be sealed or stored (no key, no storage): the caller then sends from memory.
 */
export async function sendSealed (session: SurveySession, waveId: string): Promise<boolean> {
  const intakeKey = await state.intakeKey
  if (intakeKey === undefined || uploader === undefined) return false
  let outcome: Promise<'sent' | 'refused' | 'waiting'>
  try {
    const sealed = await sealResponse(intakeKey, { id: session.id, waveId, answers: session.answers })
    outcome = (await uploader.submit(sealed)).outcome
  } catch {
    return false
  }
  session.discard()
  state.session = undefined
  const waited = await Promise.race([outcome, new Promise<'waiting'>((resolve) => { setTimeout(() => { resolve('waiting') }, SEND_WAIT_MS) })])
  showThanks(waited === 'sent' ? undefined : waited === 'refused' ? 'notAccepted' : 'savedForLater')
  return true
}
