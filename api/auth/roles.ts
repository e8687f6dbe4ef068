/** Staff roles (README, "Accounts, roles and the audit log"): respondents have no account, tablets authenticate with a device token. */
export const ROLES = ['admin', 'researcher', 'site_staff', 'funder', 'auditor'] as const
export type Role = typeof ROLES[number]

/** Roles that must log in with a second factor: they can reach microdata, accounts or publications. */
export const ROLES_NEEDING_TOTP: readonly Role[] = ['admin', 'researcher']

/**
 * Who may call a route, declared by every /api route in its options (`config: { access }`): the app refuses
 * to start with an /api route that declares nothing (deny by default).
 * - 'public': anyone (health, login, a public results link);
 * - 'device': an enrolled tablet; the handler checks its bearer token;
 * - a list of roles: a staff session whose role is in the list; state-changing methods also need the CSRF header.
 */
export type RouteAccess = 'public' | 'device' | readonly Role[]

/** The staff member behind a request on a role route. */
export interface Account {
  id: string
  email: string
  role: Role
  /** Set for site staff only: the one site they work for. */
  siteId: string | null
}

export const ANY_ACCOUNT: readonly Role[] = ROLES
