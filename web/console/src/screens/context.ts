import type { Static } from '@sinclair/typebox'
import type { AccountSchema } from '../../../../api/schemas/accounts.js'
import type { Lang } from '../i18n.js'

/** What every screen is given, and what a screen is: apart from the list of screens, so no screen imports that list. */

export type Account = Static<typeof AccountSchema>
export type Role = Account['role']

export interface Context {
  account: Account
  /** The screen's area: a render appends to it. */
  main: HTMLElement
  /** Draws the current address again (after a change). */
  reload: () => void
  /** Goes to another screen, e.g. go('waves/<id>'). */
  go: (path: string) => void
  /** Every screen (the overview links to those the account may open). */
  screens: readonly Screen[]
  /**
   * The language the account reads the console in (its own choice, kept by the API; switched in the header); a
   * screen keeps its own strings as `TEXT = { nb, en }`.
   */
  lang: Lang
}

export interface Screen {
  path: string
  /** Its name in the menu and title: in both languages (a plain string is shown as it is in either). */
  label: string | { readonly nb: string, readonly en: string }
  /** Who sees it in the menu and may open it; the API enforces the same roles whatever the console shows. */
  roles: readonly Role[]
  nav: boolean
  render: (context: Context, args: string[]) => Promise<void>
}

/** A screen's name in the language. */
export const screenLabel = (screen: Screen, lang: Lang): string => typeof screen.label === 'string' ? screen.label : screen.label[lang]
