import { h, nodes } from '../../../shared/dom.js'
import type { Context } from './context.js'
import { OVERVIEW_ROLES, renderOverview } from './overview.js'

const WHAT_YOU_DO: Record<string, string> = {
  researcher: 'Publish survey versions, register sites, plan and run waves, enrol tablets, follow progress, export microdata and release results.',
  admin: 'Everything a researcher does, and manage the staff accounts; read the audit log.',
  site_staff: 'Enrol tablets for your site with a one-time code and see whether answers are arriving. You never see answers.',
  funder: 'You read released results (aggregate tables with confidence intervals) in the results app.',
  auditor: 'Read and filter the audit log, and check that its hash chain is intact.',
}

export async function renderHome (context: Context): Promise<void> {
  if (OVERVIEW_ROLES.includes(context.account.role)) { await renderOverview(context); return }
  const links = context.screens.filter((screen) => screen.path !== '' && screen.roles.includes(context.account.role))
  context.main.append(...nodes(
    h('h1', {}, 'Overview'),
    h('p', {}, WHAT_YOU_DO[context.account.role] ?? ''),
    links.length > 0 && h('ul', { class: 'tiles' }, ...links.map((screen) => h('li', {}, h('a', { href: `#/${screen.path}` }, screen.label)))),
    context.account.role === 'funder' && h('p', {}, h('a', { href: '/results/' }, 'Open the released results'))))
}
