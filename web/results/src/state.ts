import { pickLang } from '../../shared/i18n.js'
import type { Lang } from '../../shared/i18n.js'

export type View = 'overview' | 'explore'

/**
 * Everything a view depends on, kept in the address's query string so that a copied link reproduces it
 * (a funder shares a view by its address). `link` is a public results link's token; without it the reader is logged in.
 */
export interface ViewState {
  lang: Lang
  view: View
  link?: string
  release?: string
  wave?: string
  indicator?: string
  by?: string[]
  compare: boolean
}

const text = (params: URLSearchParams, name: string): string | undefined => {
  const value = params.get(name)
  return value === null || value === '' ? undefined : value
}

export function parseState (search: string): ViewState {
  const params = new URLSearchParams(search)
  const by = params.get('by')
  const optional = {
    link: text(params, 'link'),
    release: text(params, 'release'),
    wave: text(params, 'wave'),
    indicator: text(params, 'indicator'),
    // by= present but empty is the overall table; absent means "not chosen yet".
    by: by === null ? undefined : by.split(',').filter((d) => d !== ''),
  }
  return {
    lang: pickLang(params.get('lang')),
    view: params.get('view') === 'explore' ? 'explore' : 'overview',
    compare: params.get('compare') === '1',
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  }
}

/** The query string of a state, in a fixed order so the same view always has the same address. */
export function stateSearch (state: ViewState): string {
  const params = new URLSearchParams()
  if (state.link !== undefined) params.set('link', state.link)
  if (state.release !== undefined) params.set('release', state.release)
  if (state.wave !== undefined) params.set('wave', state.wave)
  params.set('lang', state.lang)
  params.set('view', state.view)
  if (state.view === 'explore') {
    if (state.indicator !== undefined) params.set('indicator', state.indicator)
    if (state.by !== undefined) params.set('by', state.by.join(','))
    if (state.compare) params.set('compare', '1')
  }
  return `?${params.toString()}`
}
