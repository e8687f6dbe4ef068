import type { AuditListReply } from '../../../../api/schemas/audit-log.js'
import { api } from '../api.js'
import { h, nodes } from '../../../shared/dom.js'
import { AUDIT_ACTIONS, formatDateTime, formatNumber, label, OBJECT_TYPES, ROLES, studyWallTimeToIso, timeZone } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { button, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context } from './context.js'

type AuditEntry = AuditListReply['entries'][number]

const PAGE = 100

const TEXT = {
  nb: {
    title: 'Revisjonslogg',
    checking: 'Sjekker hash-kjeden …',
    chain: 'Hash-kjede',
    entries: 'Oppføringer',
    action: 'Handling',
    any: 'alle',
    actor: 'Hvem (e-post)',
    objectType: 'Type objekt',
    objectId: 'Objektets id',
    from: 'Fra',
    to: 'Til',
    timeHint: (zone: string) => `tid i studiens tidssone (${zone})`,
    filter: 'Filtrer',
    none: 'Ingen oppføringer passer.',
    count: (n: number, before: number | undefined) => `${n} ${n === 1 ? 'oppføring' : 'oppføringer'}${before === undefined ? '' : ` før nr. ${before}`}, nyeste først.`,
    older: 'Eldre oppføringer',
    intact: (n: string) => `Hel: alle ${n} oppføringene henger sammen opp til toppen `,
    broken: (seq: string, problem: string) => `Brutt ved oppføring nr. ${seq}: ${problem}.`,
    changed: 'en oppføring er endret eller fjernet',
    region: 'Revisjonsoppføringer',
    caption: 'Revisjonsoppføringer',
    cols: ['Nr.', 'Når', 'Hvem (rolle)', 'Handling', 'Objekt', 'Detaljer'],
  },
  en: {
    title: 'Audit log',
    checking: 'Checking the hash chain …',
    chain: 'Hash chain',
    entries: 'Entries',
    action: 'Action',
    any: 'any',
    actor: 'Actor (e-mail)',
    objectType: 'Object type',
    objectId: 'Object id',
    from: 'From',
    to: 'To',
    timeHint: (zone: string) => `time in the study time zone (${zone})`,
    filter: 'Filter',
    none: 'No entries match.',
    count: (n: number, before: number | undefined) => `${n} ${n === 1 ? 'entry' : 'entries'}${before === undefined ? '' : ` before #${before}`}, newest first.`,
    older: 'Older entries',
    intact: (n: string) => `Intact: all ${n} entries chain up to head `,
    broken: (seq: string, problem: string) => `Broken at entry #${seq}: ${problem}.`,
    changed: 'an entry was changed or removed',
    region: 'Audit entries',
    caption: 'Audit entries',
    cols: ['#', 'When', 'Who (role)', 'Action', 'Object', 'Detail'],
  },
} as const

const byLabel = (lang: Lang) => (a: { label: string }, b: { label: string }): number => a.label.localeCompare(b.label, lang)

/** The audit log, newest first, filtered on the server; and whether its hash chain is intact. */
export async function renderAuditLog (context: Context): Promise<void> {
  const lang = context.lang
  const t = TEXT[lang]
  const chain = h('div', { 'data-testid': 'chain-check' }, h('p', { role: 'status' }, t.checking))
  const results = h('div', {})
  // Actions and object types are chosen by their names; the API filters by their codes.
  const action = select([{ value: '', label: t.any }, ...Object.keys(AUDIT_ACTIONS).map((code) => ({ value: code, label: label(AUDIT_ACTIONS, code, lang) })).sort(byLabel(lang))], '', { name: 'action' })
  const actor = input({ name: 'actor', type: 'email', maxlength: 254 })
  const objectType = select([{ value: '', label: t.any }, ...Object.keys(OBJECT_TYPES).filter((code) => code !== 'device')
    .map((code) => ({ value: code, label: label(OBJECT_TYPES, code, lang) })).sort(byLabel(lang))], '', { name: 'objectType' })
  const objectId = input({ name: 'objectId', maxlength: 100 })
  const from = input({ name: 'from', type: 'datetime-local' })
  const to = input({ name: 'to', type: 'datetime-local' })
  // A time typed here is a wall-clock time where the study runs, as every time this console shows.
  const iso = (value: string): string | undefined => value === '' ? undefined : studyWallTimeToIso(value)
  const filters = (): Record<string, string | number | undefined> => ({
    action: action.value, actor: actor.value.trim(), objectType: objectType.value, objectId: objectId.value.trim(), from: iso(from.value), to: iso(to.value), limit: PAGE,
  })
  const load = async (beforeSeq?: number): Promise<void> => {
    const { entries } = await api.request('GET /api/audit-log', { query: { ...filters(), beforeSeq } })
    const older = entries.length === PAGE ? entries.at(-1)?.seq : undefined
    results.replaceChildren(...nodes(
      h('p', { role: 'status', 'data-testid': 'audit-count' }, entries.length === 0 ? t.none : t.count(entries.length, beforeSeq)),
      entries.length > 0 && entryTable(entries, lang),
      older !== undefined && button(t.older, () => { load(older).catch((error: unknown) => { outcome.error(error) }) })))
  }
  const outcome = new Outcome()
  context.main.append(
    h('h1', {}, t.title),
    section(t.chain, chain),
    section(t.entries,
      form({ class: 'form filters', 'data-testid': 'audit-filters' }, [
        field(t.action, action), field(t.actor, actor), field(t.objectType, objectType), field(t.objectId, objectId),
        field(t.from, from, t.timeHint(timeZone())), field(t.to, to, t.timeHint(timeZone())),
      ], t.filter, async () => { await load() }, outcome),
      results))
  await Promise.all([load(), checkChain(chain, lang)])
}

async function checkChain (target: HTMLElement, lang: Lang): Promise<void> {
  const t = TEXT[lang]
  try {
    const check = await api.request('GET /api/audit-log/verify')
    target.replaceChildren(check.intact
      ? h('p', { class: 'outcome ok', role: 'status' }, t.intact(formatNumber(check.entries, lang)), h('code', {}, check.headHash.slice(0, 16)), '.')
      : h('p', { class: 'outcome error', role: 'alert' }, t.broken(String(check.firstBrokenSeq ?? '?'), check.problem ?? t.changed)))
  } catch (error) {
    const outcome = new Outcome()
    target.replaceChildren(outcome.element)
    outcome.error(error)
  }
}

/** An entry's detail in words: each field by name, a role by its name, any other code made readable. */
function detailText (detail: Record<string, unknown>, lang: Lang): string {
  return Object.entries(detail).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    const shown = key === 'role' ? label(ROLES, text, lang) : /^[a-z]+(_[a-z]+)+$/.test(text) ? text.replace(/_/g, ' ') : text
    return `${key}: ${shown}`
  }).join('; ')
}

function entryTable (entries: AuditEntry[], lang: Lang): HTMLElement {
  const t = TEXT[lang]
  return h('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': t.region },
    table(t.caption, [...t.cols], entries.map((entry) => [
      // Who and their role in one cell, so that the detail still fits beside them on a portrait tablet.
      entry.seq, formatDateTime(entry.at, lang),
      h('span', { class: 'who-cell' }, h('span', { class: 'email' }, entry.actorEmail ?? '—'), entry.actorRole !== null && h('span', { class: 'hint' }, label(ROLES, entry.actorRole, lang))),
      h('span', { 'data-action': entry.action }, label(AUDIT_ACTIONS, entry.action, lang)),
      entry.objectType === null ? '—' : `${label(OBJECT_TYPES, entry.objectType, lang)} ${entry.objectId ?? ''}`,
      Object.keys(entry.detail).length === 0 ? '' : h('span', { class: 'wrap detail' }, detailText(entry.detail, lang)),
    ]), { 'data-testid': 'audit-entries' }))
}
