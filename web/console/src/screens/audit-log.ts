import type { Static } from '@sinclair/typebox'
import type { AuditListReplySchema, ChainCheckReplySchema } from '../../../../api/schemas/audit-log.js'
import { query } from '../../../shared/api-client.js'
import { api } from '../api.js'
import { h, nodes } from '../../../shared/dom.js'
import { button, field, form, formatDateTime, input, Outcome, section, table } from '../ui.js'
import type { Context } from './context.js'

type AuditEntry = Static<typeof AuditListReplySchema>['entries'][number]
type ChainCheck = Static<typeof ChainCheckReplySchema>

const PAGE = 100

/** The audit log, newest first, filtered on the server; and whether its hash chain is intact. */
export async function renderAuditLog (context: Context): Promise<void> {
  const chain = h('div', { 'data-testid': 'chain-check' }, h('p', { role: 'status' }, 'Checking the hash chain …'))
  const results = h('div', {})
  const action = input({ name: 'action', maxlength: 100, placeholder: 'e.g. wave.open' })
  const actor = input({ name: 'actor', type: 'email', maxlength: 254 })
  const objectType = input({ name: 'objectType', maxlength: 100, placeholder: 'e.g. wave' })
  const objectId = input({ name: 'objectId', maxlength: 100 })
  const from = input({ name: 'from', type: 'datetime-local' })
  const to = input({ name: 'to', type: 'datetime-local' })
  const iso = (value: string): string | undefined => value === '' ? undefined : new Date(value).toISOString()
  const filters = (): Record<string, string | number | undefined> => ({
    action: action.value.trim(), actor: actor.value.trim(), objectType: objectType.value.trim(), objectId: objectId.value.trim(), from: iso(from.value), to: iso(to.value), limit: PAGE,
  })
  const load = async (beforeSeq?: number): Promise<void> => {
    const { entries } = await api.get<Static<typeof AuditListReplySchema>>(`/api/audit-log${query({ ...filters(), beforeSeq })}`)
    const older = entries.length === PAGE ? entries.at(-1)?.seq : undefined
    results.replaceChildren(...nodes(
      h('p', { role: 'status', 'data-testid': 'audit-count' }, entries.length === 0 ? 'No entries match.' : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${beforeSeq === undefined ? '' : ` before #${beforeSeq}`}, newest first.`),
      entries.length > 0 && entryTable(entries),
      older !== undefined && button('Older entries', () => { load(older).catch((error: unknown) => { outcome.error(error) }) })))
  }
  const outcome = new Outcome()
  context.main.append(
    h('h1', {}, 'Audit log'),
    section('Hash chain', chain),
    section('Entries',
      form({ class: 'form filters', 'data-testid': 'audit-filters' }, [
        field('Action', action), field('Actor (e-mail)', actor), field('Object type', objectType), field('Object id', objectId),
        field('From', from), field('To', to),
      ], 'Filter', async () => { await load() }, outcome),
      results))
  await Promise.all([load(), checkChain(chain)])
}

async function checkChain (target: HTMLElement): Promise<void> {
  try {
    const check = await api.get<ChainCheck>('/api/audit-log/verify')
    target.replaceChildren(check.intact
      ? h('p', { class: 'outcome ok', role: 'status' }, `Intact: all ${check.entries} entries chain up to head `, h('code', {}, check.headHash.slice(0, 16)), '.')
      : h('p', { class: 'outcome error', role: 'alert' }, `Broken at entry #${check.firstBrokenSeq ?? '?'}: ${check.problem ?? 'an entry was changed or removed'}.`))
  } catch (error) {
    const outcome = new Outcome()
    target.replaceChildren(outcome.element)
    outcome.error(error)
  }
}

function entryTable (entries: AuditEntry[]): HTMLElement {
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Audit entries' },
    table('Audit entries', ['#', 'When', 'Who', 'Role', 'Action', 'Object', 'Detail'], entries.map((entry) => [
      entry.seq, formatDateTime(entry.at), entry.actorEmail ?? '—', entry.actorRole ?? '—', h('code', {}, entry.action),
      entry.objectType === null ? '—' : `${entry.objectType} ${entry.objectId ?? ''}`,
      Object.keys(entry.detail).length === 0 ? '' : h('code', { class: 'wrap' }, JSON.stringify(entry.detail)),
    ]), { 'data-testid': 'audit-entries' }))
}
