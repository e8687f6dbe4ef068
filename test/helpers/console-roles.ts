import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Kysely } from 'kysely'
import { expect } from 'vitest'
import { ROLES } from '../../api/auth/roles.js'
import type { Role } from '../../api/auth/roles.js'
import type { Database } from '../../api/db/database.js'
import { loginAs } from './accounts.js'
import type { TestSession } from './accounts.js'

export type Sessions = Record<Role, TestSession>

/** One logged-in session per role; site staff work at `siteId`. */
export async function sessionsByRole (app: FastifyInstance, db: Kysely<Database>, siteId: string): Promise<Sessions> {
  const sessions: Partial<Sessions> = {}
  for (const role of ROLES) sessions[role] = await loginAs(app, db, role, role === 'site_staff' ? { siteId } : {})
  return sessions as Sessions
}

export interface RoleCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** A function for a one-time change (opening a wave): each allowed role then acts on an object of its own. */
  url: string | ((role: Role) => string)
  /** A fresh payload per call, so a case that creates something can run once per allowed role (given the role). */
  payload?: (role: Role) => Record<string, unknown>
  allowed: readonly Role[]
}

/**
 * The route × role table: each allowed role gets a 2xx, every other role 403 forbidden, no session 401;
 * a state change without the CSRF header is 403 csrf_failed even for an allowed role.
 */
export async function expectRoleTable (app: FastifyInstance, sessions: Sessions, cases: readonly RoleCase[]): Promise<void> {
  for (const c of cases) {
    const label = typeof c.url === 'string' ? c.url : c.url('admin')
    const request = (headers: Record<string, string>, role: Role = 'admin'): Promise<LightMyRequestResponse> => app.inject({
      method: c.method, url: typeof c.url === 'string' ? c.url : c.url(role), headers, ...(c.payload === undefined ? {} : { payload: c.payload(role) }),
    } as InjectOptions)
    const anonymous = await request({})
    expect(anonymous.statusCode, `${c.method} ${label} without a session`).toBe(401)
    for (const role of ROLES) {
      const reply = await request(sessions[role].headers, role)
      if (c.allowed.includes(role)) {
        expect(reply.statusCode, `${c.method} ${label} as ${role}: ${reply.body.slice(0, 300)}`).toBeGreaterThanOrEqual(200)
        expect(reply.statusCode, `${c.method} ${label} as ${role}: ${reply.body.slice(0, 300)}`).toBeLessThan(300)
      } else {
        expect(reply.statusCode, `${c.method} ${label} as ${role}`).toBe(403)
        expect(reply.json().code, `${c.method} ${label} as ${role}`).toBe('forbidden')
      }
    }
    if (c.method !== 'GET' && c.allowed.length > 0) {
      const role = c.allowed[0] as Role
      const { cookie } = sessions[role].headers
      const reply = await request({ cookie: cookie as string }, role)
      expect(reply.statusCode, `${c.method} ${label} as ${role} without CSRF`).toBe(403)
      expect(reply.json().code).toBe('csrf_failed')
    }
  }
}

/** The audit entries about an object, oldest first. */
export async function auditEntries (db: Kysely<Database>, action: string, objectId?: string) {
  let query = db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq')
  if (objectId !== undefined) query = query.where('object_id', '=', objectId)
  return await query.execute()
}
