/**
 * How read-aloud speech is made, and the one table of which language espeak-ng can speak with which voice.
 * The generator (api/cli/audio-generate.ts) speaks with these, the check (audio-manifest.ts) knows from them
 * which languages must have a clip for every text, and each manifest records the voices it was made with.
 *
 * A language missing here has no generated speech: its clips come from a researcher's recordings
 * (`<slug>/recordings/v<N>/<code>/<key>.wav`), or it has no read-aloud. Checked against espeak-ng 1.51
 * (Debian bookworm, `espeak-ng --voices`): it has no Somali (so), Tigrinya (ti), Pashto (ps) or Dari (prs)
 * voice. test/unit/audio-languages.test.ts checks that every voice named here exists in the installed espeak-ng.
 */
export const ESPEAK_VOICES: Readonly<Record<string, string>> = {
  nb: 'nb',
  en: 'en-gb',
  am: 'am',
  ar: 'ar',
  bs: 'bs',
  da: 'da',
  de: 'de',
  es: 'es',
  et: 'et',
  fa: 'fa',
  fi: 'fi',
  fr: 'fr-fr',
  hr: 'hr',
  it: 'it',
  ku: 'ku',
  lt: 'lt',
  lv: 'lv',
  om: 'om',
  pl: 'pl',
  pt: 'pt',
  ro: 'ro',
  ru: 'ru',
  sq: 'sq',
  sr: 'sr',
  sv: 'sv',
  sw: 'sw',
  th: 'th',
  tr: 'tr',
  uk: 'uk',
  ur: 'ur',
  vi: 'vi',
}

/** The espeak-ng voice of a language, or undefined when espeak-ng has none (recordings only). */
export const espeakVoice = (code: string): string | undefined => Object.hasOwn(ESPEAK_VOICES, code) ? ESPEAK_VOICES[code] : undefined

/** Slower than espeak's 175 words a minute: some respondents are tired or intoxicated. */
export const SPEECH = {
  engine: 'espeak-ng',
  wordsPerMinute: 145,
  encoding: 'Ogg Opus, mono, 12 kbit/s, 40 ms frames, tuned for speech',
} as const
