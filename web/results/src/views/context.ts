import type { ReleaseDetail } from '../../../../api/schemas/releases.js'
import type { Lang, Texts } from '../i18n.js'
import type { ViewState } from '../state.js'

/** What every view needs: the language, the address's state, the release shown and how to move on. */
export interface ViewContext {
  lang: Lang
  t: Texts
  state: ViewState
  detail: ReleaseDetail
  /** Logged in (as opposed to reading a public link): only then can other waves' releases be read. */
  loggedIn: boolean
  /** Changes the view's state: the address first (so a link reproduces it), then the page. */
  navigate: (next: Partial<ViewState>, replace?: boolean) => void
  /** The current release of every released wave, read once per page load (logged in only). */
  allReleases: () => Promise<ReleaseDetail[]>
  /** Running numbers, so the printed report reads Figure 1, 2, … and Table 1, 2, … */
  nextFigure: () => number
  nextTable: () => number
}
