import type { Static } from '@sinclair/typebox'
import type { AccountSchema } from '../../../../api/schemas/accounts.js'

/** What every screen is given, and what a screen is: apart from the list of screens, so no screen imports that list. */

export type Account = Static<typeof AccountSchema>
export type Role = Account['role']

export interface Context {
  account: Account
  /** The language the account reads the console in; a screen keeps its own strings as `TEXT = { nb, en }`. */
  lang: 'nb' | 'en'
  /** The screen's area: a render appends to it. */
  main: HTMLElement
  /** Draws the current address again (after a change). */
  reload: () => void
  /** Goes to another screen, e.g. go('waves/<id>'). */
  go: (path: string) => void
  /** Every screen (the overview links to those the account may open). */
  screens: readonly Screen[]
}

export interface Screen {
  path: string
  label: string
  /** Who sees it in the menu and may open it; the API enforces the same roles whatever the console shows. */
  roles: readonly Role[]
  nav: boolean
  render: (context: Context, args: string[]) => Promise<void>
}
