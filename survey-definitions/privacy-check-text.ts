/**
 * The words of the kiosk's privacy check (asked before the personal questions), in both languages. They live
 * here rather than in the kiosk because the audio is made from them too (audio-manifest.ts, the clip
 * kioskClip('privacy_check')): the definitions never import the web apps, the kiosk imports this.
 * Plain data, no imports, so the kiosk's bundle takes it as it is.
 */
export const PRIVACY_CHECK_TEXT = {
  nb: {
    title: 'Kan du svare uforstyrret nå?',
    lead: 'De neste spørsmålene er personlige. Hvis noen kan se skjermen eller høre deg, kan du avslutte nå; da blir ingenting lagret.',
    continue: 'Ja, fortsett',
    stop: 'Nei, avslutt nå',
  },
  en: {
    title: 'Can you answer undisturbed now?',
    lead: 'The next questions are personal. If someone can see the screen or hear you, you can stop now, and nothing will be saved.',
    continue: 'Yes, continue',
    stop: 'No, stop now',
  },
} as const
