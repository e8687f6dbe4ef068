import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { ROLES } from '../auth/roles.js'
import { Uuid } from './common.js'

/*
 * Routes (api/routes/session.ts, api/routes/accounts.ts):
 *   POST   /api/session          public       log in: { email, password, totp? } → { account, csrfToken } + cookie
 *   GET    /api/session          any account  the session's account and CSRF token
 *   DELETE /api/session          any account  log out
 *   GET    /api/accounts         admin        every account
 *   POST   /api/accounts         admin        create one (password generated and shown once when not given)
 *   PATCH  /api/accounts/:id     admin        change role or site, disable or enable (ends its sessions)
 *   POST   /api/session/password any account  change one's own password: { currentPassword, newPassword, totp? } (ends the other sessions)
 *   PUT    /api/session/language any account  choose the console's language for one's own account: { language: 'nb' | 'en' }
 *   POST   /api/accounts/:id/password-reset  admin  a generated password shown once; the account must change it at its next login
 */

export const RoleSchema = Type.Union([
  Type.Literal(ROLES[0]), Type.Literal(ROLES[1]), Type.Literal(ROLES[2]), Type.Literal(ROLES[3]), Type.Literal(ROLES[4]),
])

export const AccountSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: RoleSchema,
  siteId: Type.Union([Uuid, Type.Null()]),
})
export type Account = Static<typeof AccountSchema>

export const LoginBodySchema = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.Optional(Type.String({ maxLength: 12, description: 'the 6-digit code, required for admin and researcher accounts' })),
}, { additionalProperties: false })
export type LoginBody = Static<typeof LoginBodySchema>

export const LanguageSchema = Type.Union([Type.Literal('nb'), Type.Literal('en')], { description: 'bokmål or English' })
export type Language = Static<typeof LanguageSchema>

export const SessionReplySchema = Type.Object({
  account: AccountSchema,
  csrfToken: Type.String({ description: 'send it back in the x-csrf-token header on every change' }),
  mustChangePassword: Type.Boolean({ description: 'an admin reset the password: nothing but POST /api/session/password (and logout) until it is changed' }),
  language: Type.Union([LanguageSchema, Type.Null()], { description: "the console's language the account chose; null until it chooses" }),
  studyTimeZone: Type.String({ description: 'the IANA zone (STUDY_TIME_ZONE) the console shows every time and date in' }),
})
export type SessionReply = Static<typeof SessionReplySchema>

export const AccountListItemSchema = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: RoleSchema,
  siteId: Type.Union([Uuid, Type.Null()]),
  hasSecondFactor: Type.Boolean(),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})

export const AccountListReplySchema = Type.Object({ accounts: Type.Array(AccountListItemSchema) })
export type AccountListReply = Static<typeof AccountListReplySchema>

export const CreateAccountBodySchema = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  role: RoleSchema,
  siteId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
}, { additionalProperties: false })
export type CreateAccountBody = Static<typeof CreateAccountBodySchema>

export const CreateAccountReplySchema = Type.Object({
  account: AccountSchema,
  generatedPassword: Type.Optional(Type.String({ description: 'shown once; not stored in clear' })),
  totp: Type.Optional(Type.Object({ secret: Type.String(), uri: Type.String() })),
})
export type CreateAccountReply = Static<typeof CreateAccountReplySchema>

export const AccountParamsSchema = Type.Object({ id: Uuid })

export const UpdateAccountBodySchema = Type.Object({
  role: Type.Optional(RoleSchema),
  siteId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  disabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 })
export type UpdateAccountBody = Static<typeof UpdateAccountBodySchema>

export const PasswordChangeBodySchema = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.Optional(Type.String({ maxLength: 12, description: 'the 6-digit code, required for admin and researcher accounts' })),
}, { additionalProperties: false })
export type PasswordChangeBody = Static<typeof PasswordChangeBodySchema>

export const PasswordResetReplySchema = Type.Object({
  generatedPassword: Type.String({ description: 'shown once, to hand to the person; they must change it at their next login' }),
})
export type PasswordResetReply = Static<typeof PasswordResetReplySchema>

export const LanguageBodySchema = Type.Object({ language: LanguageSchema }, { additionalProperties: false })
export type LanguageBody = Static<typeof LanguageBodySchema>
