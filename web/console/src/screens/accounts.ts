import type { Static } from '@sinclair/typebox'
import type { AccountListReplySchema, CreateAccountReplySchema, PasswordResetReply } from '../../../../api/schemas/accounts.js'
import type { SiteListReply } from '../../../../api/schemas/sites.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { announce, button, confirmAction, field, form, formatDateTime, input, Outcome, section, select, table } from '../ui.js'
import type { Context, Role } from './context.js'

type AccountItem = Static<typeof AccountListReplySchema>['accounts'][number]
type CreateReply = Static<typeof CreateAccountReplySchema>

const ROLE_OPTIONS: Array<{ value: Role, label: string }> = [
  { value: 'researcher', label: 'researcher' },
  { value: 'site_staff', label: 'site staff' },
  { value: 'funder', label: 'funder' },
  { value: 'auditor', label: 'auditor' },
  { value: 'admin', label: 'admin' },
]

export async function renderAccounts (context: Context): Promise<void> {
  const [{ accounts }, { sites }] = await Promise.all([api.get<Static<typeof AccountListReplySchema>>('/api/accounts'), api.get<SiteListReply>('/api/sites')])
  const siteName = new Map(sites.map((site) => [site.id, site.name]))
  const outcome = new Outcome()
  const update = async (account: AccountItem, change: { role?: Role, siteId?: string | null, disabled?: boolean }, what: string): Promise<void> => {
    try {
      await api.patch(`/api/accounts/${account.id}`, change)
      context.reload()
      announce(`${account.email}: ${what}.`)
    } catch (error) { outcome.error(error) }
  }
  const roleCell = (account: AccountItem): HTMLElement => {
    const role = select(ROLE_OPTIONS, account.role, { 'aria-label': `Role of ${account.email}` })
    const site = select([{ value: '', label: '(no site)' }, ...sites.map((s) => ({ value: s.id, label: s.name }))], account.siteId ?? '', { 'aria-label': `Site of ${account.email}` })
    const sync = (): void => { site.hidden = role.value !== 'site_staff' }
    role.addEventListener('change', sync)
    sync()
    return h('span', { class: 'row-actions' }, role, site, button(`Change role of ${account.email}`, () => {
      const siteId = role.value === 'site_staff' ? (site.value === '' ? null : site.value) : null
      update(account, { role: role.value as Role, siteId }, `role is now ${role.value.replace('_', ' ')}`).catch(() => {})
    }, { class: 'small' }))
  }
  const disableButton = (account: AccountItem): HTMLButtonElement => account.disabled
    ? button(`Enable ${account.email}`, () => { update(account, { disabled: false }, 'enabled').catch(() => {}) }, { class: 'small' })
    : button(`Disable ${account.email}`, () => {
      confirmAction(`Disable ${account.email}? Their sessions end at once.`, 'Disable account')
        .then(async (yes) => { if (yes) await update(account, { disabled: true }, 'disabled') }, () => {})
    }, { class: 'small danger' })
  // The generated password is shown here once, for the admin to hand over; the list below marks the account.
  const resetSecret = h('div', { 'aria-live': 'polite' })
  const resetButton = (account: AccountItem): HTMLButtonElement | null => account.id === context.account.id
    ? null
    : button(`Reset password of ${account.email}`, () => {
      confirmAction(`Reset the password of ${account.email}? Their sessions end at once, and they must choose a new password at their next login.`, 'Reset password')
        .then(async (yes) => {
          if (!yes) return
          try {
            const reply = await api.post<PasswordResetReply>(`/api/accounts/${account.id}/password-reset`)
            resetSecret.replaceChildren(h('div', { class: 'code-card', 'data-testid': 'reset-password' },
              h('p', {}, `New password for ${account.email}. Give it to them now, by a way only they can read; it is not shown again, and they must replace it at their next login.`),
              h('p', {}, 'Password: ', h('code', { 'data-testid': 'reset-generated-password' }, reply.generatedPassword)),
              button('Done: I have passed it on', () => { context.reload() })))
            announce(`${account.email}: password reset.`)
          } catch (error) { outcome.error(error) }
        }, () => {})
    }, { class: 'small' })
  context.main.append(
    h('h1', {}, 'Accounts'),
    outcome.element,
    resetSecret,
    table('Staff accounts', ['E-mail', 'Role', 'Site', 'Second factor', 'Status', 'Created', 'Change role', ''], accounts.map((account) => [
      account.email, account.role.replace('_', ' '), account.siteId === null ? '—' : siteName.get(account.siteId) ?? account.siteId,
      account.hasSecondFactor ? 'yes' : 'no', account.disabled ? 'disabled' : account.mustChangePassword ? 'active, must choose a new password' : 'active',
      formatDateTime(account.createdAt),
      roleCell(account), h('span', { class: 'row-actions' }, disableButton(account), resetButton(account)),
    ]), { 'data-testid': 'accounts' }),
    createForm(context, sites))
}

function createForm (context: Context, sites: SiteListReply['sites']): HTMLElement {
  const email = input({ name: 'email', type: 'email', required: true, autocomplete: 'off' })
  const role = select(ROLE_OPTIONS, 'researcher', { name: 'role' })
  const site = select([{ value: '', label: 'Choose …' }, ...sites.map((s) => ({ value: s.id, label: s.name }))], '', { name: 'site' })
  const siteField = field('Site (site staff only)', site)
  const password = input({ name: 'password', type: 'password', autocomplete: 'new-password' })
  const sync = (): void => { siteField.hidden = role.value !== 'site_staff'; site.required = role.value === 'site_staff' }
  role.addEventListener('change', sync)
  sync()
  const secrets = h('div', { 'aria-live': 'polite' })
  const outcome = new Outcome()
  return section('New account', form({ 'data-testid': 'account-form' }, [
    field('E-mail address', email),
    field('Role', role),
    siteField,
    field('Password (optional)', password, 'leave empty to have one generated and shown once'),
  ], 'Create account', async () => {
    const reply = await api.post<CreateReply>('/api/accounts', {
      email: email.value,
      role: role.value,
      ...(role.value === 'site_staff' ? { siteId: site.value } : {}),
      ...(password.value === '' ? {} : { password: password.value }),
    })
    // Shown once: the server keeps only a hash of the password, and the TOTP secret is not shown again.
    secrets.replaceChildren(h('div', { class: 'code-card', 'data-testid': 'new-account-secrets' },
      h('p', {}, `Created ${reply.account.email} (${reply.account.role.replace('_', ' ')}). Give them these now; they are not shown again.`),
      reply.generatedPassword !== undefined && h('p', {}, 'Password: ', h('code', { 'data-testid': 'generated-password' }, reply.generatedPassword)),
      reply.totp !== undefined && h('p', {}, 'Authenticator secret: ', h('code', { 'data-testid': 'totp-secret' }, reply.totp.secret)),
      reply.totp !== undefined && h('p', {}, 'Or as a URI for the authenticator app: ', h('code', { class: 'wrap' }, reply.totp.uri)),
      button('Done: I have passed them on', () => { context.reload() })))
    email.value = ''
    password.value = ''
  }, outcome), secrets)
}
