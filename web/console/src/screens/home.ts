import { h, nodes } from '../../../shared/dom.js'
import type { Context } from './context.js'
import { OVERVIEW_ROLES, renderOverview } from './overview.js'
import { screenLabel } from './context.js'

const TEXT = {
  nb: {
    title: 'Oversikt',
    what: {
      researcher: 'Publiser skjemaversjoner, registrer steder, planlegg og kjør bølger, registrer nettbrett, følg framdriften, eksporter mikrodata og frigi resultater.',
      admin: 'Alt en forsker gjør, og i tillegg administrere de ansattes kontoer og lese revisjonsloggen.',
      site_staff: 'Registrer nettbrett for stedet ditt med en engangskode, og se om svarene kommer inn. Du ser aldri svarene.',
      funder: 'Du leser frigitte resultater (samlede tabeller med konfidensintervaller) i resultatappen.',
      auditor: 'Les og filtrer revisjonsloggen, og sjekk at hash-kjeden er hel.',
    },
    results: 'Åpne de frigitte resultatene',
  },
  en: {
    title: 'Overview',
    what: {
      researcher: 'Publish survey versions, register sites, plan and run waves, enrol tablets, follow progress, export microdata and release results.',
      admin: 'Everything a researcher does, and manage the staff accounts; read the audit log.',
      site_staff: 'Enrol tablets for your site with a one-time code and see whether answers are arriving. You never see answers.',
      funder: 'You read released results (aggregate tables with confidence intervals) in the results app.',
      auditor: 'Read and filter the audit log, and check that its hash chain is intact.',
    },
    results: 'Open the released results',
  },
} as const

export async function renderHome (context: Context): Promise<void> {
  if (OVERVIEW_ROLES.includes(context.account.role)) { await renderOverview(context); return }
  const t = TEXT[context.lang]
  const links = context.screens.filter((screen) => screen.path !== '' && screen.roles.includes(context.account.role))
  context.main.append(...nodes(
    h('h1', {}, t.title),
    h('p', {}, t.what[context.account.role]),
    links.length > 0 && h('ul', { class: 'tiles' }, ...links.map((screen) => h('li', {}, h('a', { href: `#/${screen.path}` }, screenLabel(screen, context.lang))))),
    context.account.role === 'funder' && h('p', {}, h('a', { href: '/results/' }, t.results))))
}
