import type { Wave } from '../../../../api/schemas/waves.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { currentLang, formatDate, label, WAVE_STATUS } from '../i18n.js'
import type { Lang } from '../i18n.js'
import { field, select } from '../ui.js'

const TEXT = {
  nb: { choose: 'Velg en bølge …', wave: 'Bølge' },
  en: { choose: 'Choose a wave …', wave: 'Wave' },
} as const

export async function loadWaves (): Promise<Wave[]> {
  return (await api.request('GET /api/waves')).waves
}

export const waveLabel = (wave: Wave, lang: Lang = currentLang()): string =>
  `${wave.name} (${label(WAVE_STATUS, wave.status, lang)}, ${formatDate(wave.opensOn, lang)} – ${formatDate(wave.closesOn, lang)})`

/**
 * A wave chooser for screens about one wave (progress, exports, releases): the chosen wave is in the address
 * (#/progress/<waveId>), so a reload or a shared link shows the same.
 */
export function wavePicker (screenPath: string, waves: Wave[], chosen: string | undefined, lang: Lang = currentLang()): HTMLElement {
  const t = TEXT[lang]
  const picker = select([{ value: '', label: t.choose }, ...waves.map((wave) => ({ value: wave.id, label: waveLabel(wave, lang) }))], chosen ?? '', { name: 'wave', 'data-testid': 'wave-picker' })
  picker.addEventListener('change', () => { location.hash = picker.value === '' ? `#/${screenPath}` : `#/${screenPath}/${picker.value}` })
  return h('div', { class: 'picker' }, field(t.wave, picker))
}

export const heading = (text: string): HTMLHeadingElement => h('h1', {}, text)
