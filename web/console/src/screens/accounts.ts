import type { AccountListReply, CreateAccountBody } from '../../../../api/schemas/accounts.js'
import type { SiteListReply } from '../../../../api/schemas/sites.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { formatDateTime, label, ROLES } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { announce, button, confirmAction, field, form, input, Outcome, section, select, table } from '../ui.js'
import type { Context, Role } from './context.js'

type AccountItem = AccountListReply['accounts'][number]

const ROLE_ORDER: readonly Role[] = ['researcher', 'site_staff', 'funder', 'auditor', 'admin']
const roleOptions = (lang: Lang): Array<{ value: Role, label: string }> => ROLE_ORDER.map((value) => ({ value, label: label(ROLES, value, lang) }))

const TEXT = {
  nb: {
    title: 'Kontoer',
    roleOf: (email: string) => `Rollen til ${email}`,
    siteOf: (email: string) => `Stedet til ${email}`,
    noSite: '(ikke noe sted)',
    changeRole: (email: string) => `Endre rollen til ${email}`,
    roleNow: (role: string) => `rollen er nå ${role}`,
    enable: (email: string) => `Aktiver ${email}`,
    enabled: 'aktivert',
    disable: (email: string) => `Deaktiver ${email}`,
    disableQuestion: (email: string) => `Deaktivere ${email}? Øktene til kontoen avsluttes med en gang.`,
    disableButton: 'Deaktiver kontoen',
    disabled: 'deaktivert',
    reset: (email: string) => `Tilbakestill passordet til ${email}`,
    resetQuestion: (email: string) => `Tilbakestille passordet til ${email}? Øktene til kontoen avsluttes med en gang, og personen må velge et nytt passord ved neste innlogging.`,
    resetButton: 'Tilbakestill passordet',
    resetIntro: (email: string) => `Nytt passord for ${email}. Gi det til personen nå, på en måte bare de kan lese; det vises ikke igjen, og de må bytte det ved neste innlogging.`,
    password: 'Passord: ',
    passedOn: 'Ferdig: jeg har gitt det videre',
    wasReset: 'passordet er tilbakestilt',
    caption: 'De ansattes kontoer',
    cols: ['E-post', 'Rolle', 'Sted', 'Andre faktor', 'Status', 'Opprettet', 'Endre rolle', ''],
    yes: 'ja',
    no: 'nei',
    statusDisabled: 'deaktivert',
    statusMustChange: 'aktiv, må velge nytt passord',
    statusActive: 'aktiv',
    newAccount: 'Ny konto',
    email: 'E-postadresse',
    role: 'Rolle',
    choose: 'Velg …',
    site: 'Sted (bare ansatte på sted)',
    passwordField: 'Passord (valgfritt)',
    passwordHint: 'la feltet stå tomt for å få et generert passord som vises én gang',
    create: 'Opprett kontoen',
    created: (email: string, role: string) => `Opprettet ${email} (${role}). Gi personen dette nå; det vises ikke igjen.`,
    secret: 'Hemmelighet for autentiseringsappen: ',
    uri: 'Eller som URI for autentiseringsappen: ',
    passedOnAll: 'Ferdig: jeg har gitt dem videre',
  },
  en: {
    title: 'Accounts',
    roleOf: (email: string) => `Role of ${email}`,
    siteOf: (email: string) => `Site of ${email}`,
    noSite: '(no site)',
    changeRole: (email: string) => `Change role of ${email}`,
    roleNow: (role: string) => `role is now ${role}`,
    enable: (email: string) => `Enable ${email}`,
    enabled: 'enabled',
    disable: (email: string) => `Disable ${email}`,
    disableQuestion: (email: string) => `Disable ${email}? Their sessions end at once.`,
    disableButton: 'Disable account',
    disabled: 'disabled',
    reset: (email: string) => `Reset password of ${email}`,
    resetQuestion: (email: string) => `Reset the password of ${email}? Their sessions end at once, and they must choose a new password at their next login.`,
    resetButton: 'Reset password',
    resetIntro: (email: string) => `New password for ${email}. Give it to them now, by a way only they can read; it is not shown again, and they must replace it at their next login.`,
    password: 'Password: ',
    passedOn: 'Done: I have passed it on',
    wasReset: 'password reset',
    caption: 'Staff accounts',
    cols: ['E-mail', 'Role', 'Site', 'Second factor', 'Status', 'Created', 'Change role', ''],
    yes: 'yes',
    no: 'no',
    statusDisabled: 'disabled',
    statusMustChange: 'active, must choose a new password',
    statusActive: 'active',
    newAccount: 'New account',
    email: 'E-mail address',
    role: 'Role',
    choose: 'Choose …',
    site: 'Site (site staff only)',
    passwordField: 'Password (optional)',
    passwordHint: 'leave empty to have one generated and shown once',
    create: 'Create account',
    created: (email: string, role: string) => `Created ${email} (${role}). Give them these now; they are not shown again.`,
    secret: 'Authenticator secret: ',
    uri: 'Or as a URI for the authenticator app: ',
    passedOnAll: 'Done: I have passed them on',
  },
} as const

export async function renderAccounts (context: Context): Promise<void> {
  const lang = context.lang
  const t = TEXT[lang]
  const [{ accounts }, { sites }] = await Promise.all([api.request('GET /api/accounts'), api.request('GET /api/sites')])
  const siteName = new Map(sites.map((site) => [site.id, site.name]))
  const outcome = new Outcome()
  const update = async (account: AccountItem, change: { role?: Role, siteId?: string | null, disabled?: boolean }, what: string): Promise<void> => {
    try {
      await api.request('PATCH /api/accounts/:id', { params: { id: account.id }, body: change })
      context.reload()
      announce(`${account.email}: ${what}.`)
    } catch (error) { outcome.error(error) }
  }
  const roleCell = (account: AccountItem): HTMLElement => {
    const role = select(roleOptions(lang), account.role, { 'aria-label': t.roleOf(account.email) })
    const site = select([{ value: '', label: t.noSite }, ...sites.map((s) => ({ value: s.id, label: s.name }))], account.siteId ?? '', { 'aria-label': t.siteOf(account.email) })
    const sync = (): void => { site.hidden = role.value !== 'site_staff' }
    role.addEventListener('change', sync)
    sync()
    return h('span', { class: 'row-actions' }, role, site, button(t.changeRole(account.email), () => {
      const siteId = role.value === 'site_staff' ? (site.value === '' ? null : site.value) : null
      update(account, { role: role.value as Role, siteId }, t.roleNow(label(ROLES, role.value, lang))).catch(() => {})
    }, { class: 'small' }))
  }
  const disableButton = (account: AccountItem): HTMLButtonElement => account.disabled
    ? button(t.enable(account.email), () => { update(account, { disabled: false }, t.enabled).catch(() => {}) }, { class: 'small' })
    : button(t.disable(account.email), () => {
      confirmAction(t.disableQuestion(account.email), t.disableButton)
        .then(async (yes) => { if (yes) await update(account, { disabled: true }, t.disabled) }, () => {})
    }, { class: 'small danger' })
  // The generated password is shown here once, for the admin to hand over; the list below marks the account.
  const resetSecret = h('div', { 'aria-live': 'polite' })
  const resetButton = (account: AccountItem): HTMLButtonElement | null => account.id === context.account.id
    ? null
    : button(t.reset(account.email), () => {
      confirmAction(t.resetQuestion(account.email), t.resetButton)
        .then(async (yes) => {
          if (!yes) return
          try {
            const reply = await api.request('POST /api/accounts/:id/password-reset', { params: { id: account.id } })
            resetSecret.replaceChildren(h('div', { class: 'code-card', 'data-testid': 'reset-password' },
              h('p', {}, t.resetIntro(account.email)),
              h('p', {}, t.password, h('code', { 'data-testid': 'reset-generated-password' }, reply.generatedPassword)),
              button(t.passedOn, () => { context.reload() })))
            announce(`${account.email}: ${t.wasReset}.`)
          } catch (error) { outcome.error(error) }
        }, () => {})
    }, { class: 'small' })
  context.main.append(
    h('h1', {}, t.title),
    outcome.element,
    resetSecret,
    table(t.caption, [...t.cols], accounts.map((account) => [
      account.email, label(ROLES, account.role, lang), account.siteId === null ? '—' : siteName.get(account.siteId) ?? account.siteId,
      account.hasSecondFactor ? t.yes : t.no, account.disabled ? t.statusDisabled : account.mustChangePassword ? t.statusMustChange : t.statusActive,
      formatDateTime(account.createdAt, lang),
      roleCell(account), h('span', { class: 'row-actions' }, disableButton(account), resetButton(account)),
    ]), { 'data-testid': 'accounts' }),
    createForm(context, sites))
}

function createForm (context: Context, sites: SiteListReply['sites']): HTMLElement {
  const lang = context.lang
  const t = TEXT[lang]
  const email = input({ name: 'email', type: 'email', required: true, autocomplete: 'off' })
  const role = select(roleOptions(lang), 'researcher', { name: 'role' })
  const site = select([{ value: '', label: t.choose }, ...sites.map((s) => ({ value: s.id, label: s.name }))], '', { name: 'site' })
  const siteField = field(t.site, site)
  const password = input({ name: 'password', type: 'password', autocomplete: 'new-password' })
  const sync = (): void => { siteField.hidden = role.value !== 'site_staff'; site.required = role.value === 'site_staff' }
  role.addEventListener('change', sync)
  sync()
  const secrets = h('div', { 'aria-live': 'polite' })
  const outcome = new Outcome()
  return section(t.newAccount, form({ 'data-testid': 'account-form' }, [
    field(t.email, email),
    field(t.role, role),
    siteField,
    field(t.passwordField, password, t.passwordHint),
  ], t.create, async () => {
    const body: CreateAccountBody = {
      email: email.value,
      role: role.value as Role,
      ...(role.value === 'site_staff' ? { siteId: site.value } : {}),
      ...(password.value === '' ? {} : { password: password.value }),
    }
    const reply = await api.request('POST /api/accounts', { body })
    // Shown once: the server keeps only a hash of the password, and the TOTP secret is not shown again.
    secrets.replaceChildren(h('div', { class: 'code-card', 'data-testid': 'new-account-secrets' },
      h('p', {}, t.created(reply.account.email, label(ROLES, reply.account.role, lang))),
      reply.generatedPassword !== undefined && h('p', {}, t.password, h('code', { 'data-testid': 'generated-password' }, reply.generatedPassword)),
      reply.totp !== undefined && h('p', {}, t.secret, h('code', { 'data-testid': 'totp-secret' }, reply.totp.secret)),
      reply.totp !== undefined && h('p', {}, t.uri, h('code', { class: 'wrap' }, reply.totp.uri)),
      button(t.passedOnAll, () => { context.reload() })))
    email.value = ''
    password.value = ''
  }, outcome), secrets)
}
