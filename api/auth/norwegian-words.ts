import { readFileSync } from 'node:fs'

/*
 * Norwegian words people build passwords from, for the strength estimate: the registry has no Norwegian
 * dictionary for zxcvbn-ts, so this list is ours. Ranked roughly by how often such words turn up in leaked
 * Scandinavian passwords (seasons, months, days, love, football, pets, the word "passord" itself), then every
 * county and municipality name of the country (survey-definitions/regions.json), since a place name plus a
 * year is among the commonest patterns.
 */
const COMMON = [
  'passord', 'hemmelig', 'sommer', 'vinter', 'høst', 'vår', 'sommerferie', 'juleferie', 'påske', 'jul', 'julaften',
  'kjærlighet', 'kjæreste', 'elsker', 'elskerdeg', 'jegelskerdeg', 'glad', 'hjerte', 'skatt', 'skatten', 'vennskap',
  'fotball', 'håndball', 'ski', 'langrenn', 'hopp', 'rosenborg', 'brann', 'vålerenga', 'molde', 'viking', 'lyn', 'lillestrøm',
  'norge', 'norsk', 'noreg', 'nordmann', 'fjord', 'fjell', 'hytte', 'hytta', 'sjø', 'havet', 'båt', 'fisk', 'laks', 'torsk',
  'hund', 'hunden', 'katt', 'katten', 'hest', 'hesten', 'kanin', 'valp', 'pusen', 'pus',
  'januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember',
  'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag',
  'mamma', 'pappa', 'mormor', 'morfar', 'farmor', 'farfar', 'bestemor', 'bestefar', 'familie', 'barna', 'gutten', 'jenta',
  'velkommen', 'hallo', 'heisann', 'hei', 'takk', 'tusentakk', 'morn', 'god', 'dag', 'natt', 'godnatt', 'kaffe', 'øl', 'pølse',
  'brunost', 'vaffel', 'troll', 'nisse', 'julenisse', 'viking', 'odin', 'tor', 'frøya', 'sol', 'måne', 'stjerne', 'regn', 'snø',
  'blå', 'rød', 'grønn', 'gul', 'svart', 'hvit', 'en', 'to', 'tre', 'fire', 'fem', 'seks', 'sju', 'syv', 'åtte', 'ni', 'ti',
  'bruker', 'brukernavn', 'admin', 'administrator', 'logg', 'logginn', 'innlogging', 'tilgang', 'sikker', 'sikkerhet', 'nøkkel',
  'jobb', 'jobben', 'kontor', 'arbeid', 'forskning', 'forsker', 'undersøkelse', 'vold', 'rus', 'krisesenter', 'kommune', 'fylke',
  'helse', 'sykehus', 'legevakt', 'nav', 'prevalens',
]

interface Regions { counties: Array<{ name: string, municipalities: Array<{ name: string }> }> }

function placeNames (): string[] {
  const regions = JSON.parse(readFileSync(new URL('../../survey-definitions/regions.json', import.meta.url), 'utf8')) as Regions
  const names = regions.counties.flatMap((county) => [county.name, ...county.municipalities.map((municipality) => municipality.name)])
  // "Nord-Fron", "Porsanger - Porsáŋgu - Porsanki": each part is a word someone may type.
  return names.flatMap((name) => [name, ...name.split(/[\s-]+/)]).map((word) => word.toLowerCase()).filter((word) => word.length > 2)
}

export function norwegianWords (): string[] {
  return [...new Set([...COMMON, ...placeNames()])]
}
