import type { Account } from '../auth/roles.js'
import { AppError } from '../errors.js'

/** Site staff work for one site: the site they may see, or undefined for roles that see every site. */
export function ownSiteOf (account: Account): string | undefined {
  if (account.role !== 'site_staff') return undefined
  // An account of this role without a site must see nothing rather than everything.
  return account.siteId ?? '00000000-0000-0000-0000-000000000000'
}

/** Refuses site staff anything about a site other than their own (403, naming why). */
export function assertSiteAccess (account: Account, siteId: string): void {
  const own = ownSiteOf(account)
  if (own !== undefined && own !== siteId) throw new AppError(403, 'forbidden', 'a site staff account may only see and manage its own site')
}
