import type { Wave, WaveListReply } from '../../../../api/schemas/waves.js'
import { api } from '../api.js'
import { h } from '../../../shared/dom.js'
import { field, select } from '../ui.js'

export async function loadWaves (): Promise<Wave[]> {
  return (await api.get<WaveListReply>('/api/waves')).waves
}

export const waveLabel = (wave: Wave): string => `${wave.name} (${wave.status}, ${wave.opensOn} – ${wave.closesOn})`

/**
 * A wave chooser for screens about one wave (progress, exports, releases): the chosen wave is in the address
 * (#/progress/<waveId>), so a reload or a shared link shows the same.
 */
export function wavePicker (screenPath: string, waves: Wave[], chosen: string | undefined): HTMLElement {
  const picker = select([{ value: '', label: 'Choose a wave …' }, ...waves.map((wave) => ({ value: wave.id, label: waveLabel(wave) }))], chosen ?? '', { name: 'wave', 'data-testid': 'wave-picker' })
  picker.addEventListener('change', () => { location.hash = picker.value === '' ? `#/${screenPath}` : `#/${screenPath}/${picker.value}` })
  return h('div', { class: 'picker' }, field('Wave', picker))
}

export const heading = (text: string): HTMLHeadingElement => h('h1', {}, text)
