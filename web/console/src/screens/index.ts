import { renderAccounts } from './accounts.js'
import { renderAuditLog } from './audit-log.js'
import { renderExports } from './exports.js'
import { renderHelpResources } from './help-resources.js'
import { renderHome } from './home.js'
import { renderChangePassword } from './password.js'
import { renderProgress } from './progress.js'
import { renderReleases } from './releases.js'
import { renderSites } from './sites.js'
import { renderSurveyVersion, renderSurveyVersions } from './survey-versions.js'
import { renderTablets } from './tablets.js'
import { renderWave, renderWaves } from './waves.js'
import type { Role, Screen } from './context.js'

export type { Account, Context, Role, Screen } from './context.js'
export { screenLabel } from './context.js'

const RESEARCH: readonly Role[] = ['researcher', 'admin']
const FIELD: readonly Role[] = ['researcher', 'admin', 'site_staff']

export const SCREENS: readonly Screen[] = [
  { path: '', label: { nb: 'Oversikt', en: 'Overview' }, roles: ['admin', 'researcher', 'site_staff', 'funder', 'auditor'], nav: true, render: renderHome },
  { path: 'survey-versions', label: { nb: 'Skjemaversjoner', en: 'Survey versions' }, roles: RESEARCH, nav: true, render: async (context, [id]) => { await (id === undefined ? renderSurveyVersions(context) : renderSurveyVersion(context, id)) } },
  { path: 'sites', label: { nb: 'Steder', en: 'Sites' }, roles: FIELD, nav: true, render: renderSites },
  { path: 'waves', label: { nb: 'Bølger', en: 'Waves' }, roles: FIELD, nav: true, render: async (context, [id]) => { await (id === undefined ? renderWaves(context) : renderWave(context, id)) } },
  { path: 'tablets', label: { nb: 'Nettbrett', en: 'Tablets' }, roles: FIELD, nav: true, render: renderTablets },
  { path: 'progress', label: { nb: 'Framdrift', en: 'Progress' }, roles: FIELD, nav: true, render: renderProgress },
  { path: 'help-resources', label: { nb: 'Hjelpetilbud', en: 'Help resources' }, roles: RESEARCH, nav: true, render: renderHelpResources },
  { path: 'exports', label: { nb: 'Eksport', en: 'Exports' }, roles: RESEARCH, nav: true, render: renderExports },
  { path: 'releases', label: { nb: 'Frigivelse av resultater', en: 'Results releases' }, roles: RESEARCH, nav: true, render: renderReleases },
  { path: 'accounts', label: { nb: 'Kontoer', en: 'Accounts' }, roles: ['admin'], nav: true, render: renderAccounts },
  { path: 'audit-log', label: { nb: 'Revisjonslogg', en: 'Audit log' }, roles: ['admin', 'auditor'], nav: true, render: renderAuditLog },
  // Reached from the bar's "Change password" link, not the menu.
  { path: 'password', label: { nb: 'Endre passord', en: 'Change password' }, roles: ['admin', 'researcher', 'site_staff', 'funder', 'auditor'], nav: false, render: renderChangePassword },
]

export const findScreen = (path: string): Screen | undefined => SCREENS.find((screen) => screen.path === path)
