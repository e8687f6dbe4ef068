import { execFileSync, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { KIOSK_TEXT } from '../../survey-definitions/kiosk-text.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { sourceTexts } from '../../survey-definitions/languages.js'
import { fromXliff, htmlTags, lengthLimit, toXliff } from '../../survey-definitions/xliff.js'
import type { XliffExport } from '../../survey-definitions/xliff.js'

const hverdag = loadDefinitions().find((definition) => definition.slug === 'hverdag' && definition.version === 2)!
const expected = { slug: 'hverdag', version: 2 }
const exportOf = (overrides: Partial<XliffExport> = {}): string =>
  toXliff({ slug: 'hverdag', version: 2, survey: hverdag.survey, code: 'pl', source: 'en', ...overrides })

/** A made-up "translation": the letters outside HTML tags and placeholders rotated (rot13), so tags and {names} stay. */
const rot13 = (text: string): string => text.split(/(<[^<>]+>|\{\w+\})/).map((part, index) => {
  if (index % 2 === 1) return part
  return part.replace(/[a-z]/gi, (char) => String.fromCharCode((char.charCodeAt(0) - (char <= 'Z' ? 65 : 97) + 13) % 26 + (char <= 'Z' ? 65 : 97)))
}).join('')

function madeUp (code: string): Record<string, string> {
  const strings = Object.fromEntries(sourceTexts(hverdag.survey, code).map((text) => [text.key, rot13(text.en)]))
  // What an escape or a parser could lose: the five XML specials, "]]>", CR LF, tabs, outer spaces, other scripts.
  strings['q.gender.title'] = '  Tom & Jerry\'s "płeć" ]]> a < b > c  '
  strings['q.gender.choice.other'] = 'Inna\r\npłeć\t!'
  strings['survey.title'] = 'الحياة اليومية والصحة 🙂'
  strings['kiosk.progress'] = '{percent} % & więcej'
  return strings
}

/** The exported file with one unit's target (or another part of it) replaced. */
function withTarget (xml: string, key: string, target: string): string {
  const pattern = new RegExp(`(<unit id="${key.replaceAll('.', '\\.')}">[\\s\\S]*?<target>)[\\s\\S]*?(</target>)`)
  expect(xml).toMatch(pattern)
  return xml.replace(pattern, (_, open: string, close: string) => `${open}${target}${close}`)
}

const translatedFile = (): string => exportOf({ existing: madeUp('pl'), name: 'Polski', direction: 'ltr' })
const problemsOf = (xml: string, expect_ = expected) => fromXliff(xml, hverdag.survey, expect_).problems

describe('XLIFF 2.0 export', () => {
  it('writes one unit per text of the version, with notes, a state and the source beside an empty target', () => {
    const xml = exportOf({ name: 'Polski', direction: 'ltr' })
    const keys = sourceTexts(hverdag.survey, 'pl').map((text) => text.key)
    expect([...xml.matchAll(/<unit id="([^"]+)">/g)].map((match) => match[1])).toEqual(keys)
    expect(xml).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="pl">')
    expect(xml).toContain('<file id="hverdag-v2" original="hverdag/v2"')
    expect(xml.match(/<segment state="initial">/g)).toHaveLength(keys.length)
    expect(xml.match(/<target><\/target>/g)).toHaveLength(keys.length)
    const progress = xml.slice(xml.indexOf('<unit id="kiosk.progress">'), xml.indexOf('</unit>', xml.indexOf('<unit id="kiosk.progress">')))
    expect(progress).toContain('Keep {percent} exactly as written')
    const progressText = KIOSK_TEXT.en.progress
    expect(progress).toContain(`at most about ${lengthLimit(progressText)} characters`)
    expect(progress).toContain(`<source>${progressText}</source>`)
    const html = xml.slice(xml.indexOf('<unit id="q.consent_info.html">'))
    expect(html).toMatch(/HTML: keep the tags &lt;h3&gt; &lt;\/h3&gt; &lt;p&gt;/)
    expect(xml).toMatch(/<unit id="kiosk\.deletedIn\.few">\s*<notes>\s*<note id="what" category="context">Kiosk word "deletedIn", plural form "few": used for counts such as 2, 3, 4, 22, 23\./)
  })

  it('puts an existing translation in the targets, marked translated', () => {
    const xml = translatedFile()
    expect(xml).not.toContain('state="initial"')
    expect(xml).toContain('<target>  Tom &amp; Jerry\'s "płeć" ]]&gt; a &lt; b &gt; c  </target>')
  })

  it.skipIf(spawnSync('which', ['xmllint']).status !== 0)('is well-formed XML for xmllint, empty and translated', () => {
    for (const xml of [exportOf(), translatedFile(), exportOf({ code: 'ar', source: 'nb', direction: 'rtl', name: 'العربية' })]) {
      expect(execFileSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' })).toBe('')
    }
  })
})

describe('XLIFF 2.0 import', () => {
  it('round-trips a full translation exactly: texts, language, name and direction', () => {
    const strings = madeUp('pl')
    const read = fromXliff(translatedFile(), hverdag.survey, expected)
    expect(read.problems).toEqual([])
    expect(read.warnings).toEqual([])
    expect(read.strings).toEqual(strings)
    expect(Object.keys(read.strings)).toEqual(Object.keys(strings))
    expect({ code: read.code, source: read.source, name: read.name, direction: read.direction }).toEqual({ code: 'pl', source: 'en', name: 'Polski', direction: 'ltr' })
    const arabic = fromXliff(exportOf({ code: 'ar', source: 'nb', existing: madeUp('ar'), direction: 'rtl' }), hverdag.survey)
    expect(arabic.problems).toEqual([])
    expect({ code: arabic.code, source: arabic.source, name: arabic.name, direction: arabic.direction }).toEqual({ code: 'ar', source: 'nb', name: undefined, direction: 'rtl' })
    expect(arabic.strings).toEqual(madeUp('ar'))
  })

  it('refuses every unit left untranslated, by key', () => {
    const keys = sourceTexts(hverdag.survey, 'pl').map((text) => text.key)
    expect(problemsOf(exportOf())).toEqual(keys.map((key) => ({ key, problem: 'is untranslated (empty target)' })))
    const oneLeft = withTarget(translatedFile(), 'q.gender.choice.woman', ' ')
    expect(problemsOf(oneLeft)).toEqual([{ key: 'q.gender.choice.woman', problem: 'is untranslated (empty target)' }])
    const noTarget = translatedFile().replace(/(<unit id="q\.gender\.title">[\s\S]*?)<target>.*<\/target>/, '$1')
    expect(problemsOf(noTarget)).toEqual([{ key: 'q.gender.title', problem: 'is untranslated (empty target)' }])
    const noUnit = translatedFile().replace(/<unit id="q\.age_group\.title">[\s\S]*?<\/unit>/, '')
    expect(noUnit).not.toContain('q.age_group.title')
    expect(problemsOf(noUnit)).toEqual([{ key: 'q.age_group.title', problem: 'has no unit in the file (untranslated)' }])
  })

  it('refuses a unit the version does not have, and one given twice', () => {
    const xml = translatedFile()
    const unit = /<unit id="q\.gender\.title">[\s\S]*?<\/unit>/.exec(xml)![0]
    const extra = xml.replace(unit, `${unit}\n${unit.replace('q.gender.title', 'q.shoe_size.title')}\n${unit}`)
    expect(problemsOf(extra)).toEqual([
      { key: 'q.gender.title', problem: 'has two units' },
      { key: 'q.shoe_size.title', problem: 'is not a text of hverdag v2 (unknown unit id)' },
    ])
  })

  it('refuses a lost or foreign placeholder and HTML tags that differ from the source\'s', () => {
    let xml = withTarget(translatedFile(), 'kiosk.progress', 'ukończono')
    xml = withTarget(xml, 'kiosk.checked', 'sprawdzono {date} {time}')
    xml = withTarget(xml, 'q.violence_intro.html', '&lt;p&gt;Następne pytania.&lt;/p&gt;')
    xml = withTarget(xml, 'survey.completedHtml', '&lt;p&gt;Dziękujemy&lt;/p&gt;&lt;h3&gt;Oddaj tablet.&lt;/h3&gt;')
    expect(problemsOf(xml)).toEqual([
      { key: 'survey.completedHtml', problem: 'has the HTML tags <p></p><h3></h3> where the source has <h3></h3><p></p>: keep the same tags in the same order' },
      { key: 'q.violence_intro.html', problem: 'has the HTML tags <p></p> where the source has <p></p><p></p>: keep the same tags in the same order' },
      { key: 'kiosk.progress', problem: 'lacks the placeholder {percent}' },
      { key: 'kiosk.checked', problem: 'has the unknown placeholder {time}' },
    ])
    expect(htmlTags('a < b, <br/> <P class="x">x</P> <płeć>')).toEqual(['<br/>', '<p>', '</p>', '<płeć>'])
  })

  it('refuses XLIFF inline codes in a target: HTML travels as text', () => {
    const xml = withTarget(translatedFile(), 'q.gender.title', 'Jaka jest <ph id="1"/> płeć?')
    expect(problemsOf(xml)).toEqual([{ key: 'q.gender.title', problem: 'has XLIFF inline markup <ph> in its target: write the HTML tags as plain text, as exported' }])
  })

  it('refuses malformed XML, another XLIFF version, and a file for another version or instrument', () => {
    const xml = translatedFile()
    expect(problemsOf(xml.replace('</file>', ''))).toEqual([{ problem: expect.stringMatching(/^is not well-formed XML: \d+:\d+: unexpected close tag/) }])
    expect(problemsOf(withTarget(xml, 'q.gender.title', 'Tom & Jerry'))).toEqual([{ problem: expect.stringMatching(/^is not well-formed XML: \d+:\d+:/) }])
    expect(problemsOf(xml.replace('version="2.0"', 'version="1.2"'))).toEqual([{ problem: 'has version="1.2"; XLIFF 2.0 or 2.1 expected' }])
    expect(problemsOf(xml.replace('document:2.0', 'document:1.2'))).toEqual([{ problem: 'is XLIFF 1.x (<xliff> in namespace urn:oasis:names:tc:xliff:document:1.2); export the file as XLIFF 2.0' }])
    expect(problemsOf(xml, { slug: 'hverdag', version: 1 })).toEqual([{ problem: 'is for hverdag v2, not hverdag v1' }])
    expect(problemsOf(xml.replace('original="hverdag/v2"', 'original="other/v2"'))).toEqual([{ problem: 'is for other v2, not hverdag v2' }])
    expect(problemsOf(xml.replace('trgLang="pl"', 'trgLang="nb"'))).toEqual([{ problem: 'has trgLang="nb"; the target is a language code other than nb and en (pl, uk, ar…)' }])
    expect(problemsOf('<!DOCTYPE xliff [<!ENTITY e "x">]>' + xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''))[0]!.problem).toMatch(/has a DOCTYPE/)
  })

  it('reads a file as tools write it back: a regional trgLang, 2.1, units in groups, a unit split into segments', () => {
    const unit = /<unit id="q\.gender\.title">[\s\S]*?<\/unit>/
    const xml = translatedFile().replace('trgLang="pl"', 'trgLang="pl-PL"').replace('version="2.0"', 'version="2.1"')
      .replace(unit, (found) => `<group id="g1">${found.replace(/<segment[\s\S]*<\/segment>/,
        '<segment><source>What is</source><target>Jaka jest</target></segment><ignorable><source> </source></ignorable>' +
        '<segment state="final"><source>your gender?</source><target>twoja <![CDATA[płeć]]>?</target></segment>')}</group>`)
    const read = fromXliff(xml, hverdag.survey, expected)
    expect(read.problems).toEqual([])
    expect(read.code).toBe('pl')
    expect(read.strings['q.gender.title']).toBe('Jaka jest twoja płeć?')
  })

  it('warns, by key, of a short label much longer than its source, and of a source that is not the version\'s', () => {
    const long = 'Kobieta (w tym kobiety transpłciowe)'
    let xml = withTarget(translatedFile(), 'q.gender.choice.woman', long)
    xml = xml.replace('<source>Man</source>', '<source>Male</source>')
    const read = fromXliff(xml, hverdag.survey, expected)
    expect(read.problems).toEqual([])
    expect(read.warnings).toEqual([
      { key: 'q.gender.choice.woman', warning: `is ${long.length} characters, its source 5: more than 17 (1.5 × source + 10) may wrap or overflow on the tablet` },
      { key: 'q.gender.choice.man', warning: 'its source in the file differs from the version\'s en text: was it translated from another text?' },
    ])
    // Descriptions and HTML may run long: only titles, choices and the kiosk's words are short labels.
    expect(fromXliff(withTarget(translatedFile(), 'q.violence_intro.html', `&lt;p&gt;${'x'.repeat(500)}&lt;/p&gt;&lt;p&gt;y&lt;/p&gt;`), hverdag.survey).warnings).toEqual([])
  })
})
