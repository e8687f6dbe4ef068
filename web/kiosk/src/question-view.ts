import type { Question, QuestionBooleanModel, QuestionSelectBase } from 'survey-core'
import { h, sanitisedHtml } from '../../shared/dom.js'
import { playButton } from './audio.js'
import { choiceClip, questionClip } from '../../../survey-definitions/audio-keys.js'
import type { Lang } from './i18n.js'

interface Choice { value: unknown, text: string }

/**
 * One question as plain, large, native form controls: radios and checkboxes inside their labels (the whole
 * row is the touch target), a fieldset and legend per question so a screen reader reads the title first.
 * Setting question.value hands the answer to survey-core, which re-evaluates skip logic; `changed` then
 * redraws the page so follow-up questions appear or disappear. Each question has a play button (audio.ts) that
 * reads it and then its choices; each choice has one that reads that choice, beside its label, not inside it.
 */
export function questionView (question: Question, changed: (focusId: string) => void, lang: Lang): HTMLElement {
  const type = question.getType()
  if (type === 'html') {
    return h('div', { class: 'html-block' }, playButton([questionClip(question.name)], lang), sanitisedHtml((question as Question & { processedHtml: string }).processedHtml))
  }
  const id = `q-${question.name}`
  const description = question.description === '' ? null : h('p', { class: 'q-description', id: `${id}-desc` }, question.description)
  if (type === 'text' || type === 'comment') {
    const input = type === 'text' ? h('input', { id: `${id}-input`, type: 'text', autocomplete: 'off', spellcheck: 'false' }) : h('textarea', { id: `${id}-input` })
    input.value = typeof question.value === 'string' ? question.value : ''
    input.addEventListener('change', () => { question.value = input.value === '' ? undefined : input.value })
    return h('div', { class: 'question' }, h('label', { class: 'q-title', for: `${id}-input` }, question.processedTitle), playButton([questionClip(question.name)], lang), description, input)
  }
  const multiple = type === 'checkbox'
  const choices: Choice[] = type === 'boolean'
    ? [{ value: true, text: (question as QuestionBooleanModel).locLabelTrue.renderedHtml }, { value: false, text: (question as QuestionBooleanModel).locLabelFalse.renderedHtml }]
    : (question as QuestionSelectBase).visibleChoices.map((choice) => ({ value: choice.value as unknown, text: choice.text }))
  const selected = (value: unknown): boolean => multiple
    ? Array.isArray(question.value) && (question.value as unknown[]).includes(value)
    : question.value === value
  const options = choices.map((choice, index) => {
    const inputId = `${id}-${index}`
    const input = h('input', { id: inputId, type: multiple ? 'checkbox' : 'radio', name: question.name, value: String(choice.value) })
    input.checked = selected(choice.value)
    input.addEventListener('change', () => {
      if (multiple) {
        const current = Array.isArray(question.value) ? (question.value as unknown[]).filter((value) => value !== choice.value) : []
        question.value = input.checked ? [...current, choice.value] : current.length === 0 ? undefined : current
      } else {
        question.value = choice.value
      }
      changed(inputId)
    })
    return h('div', { class: 'choice-row' },
      h('label', { class: `choice${input.checked ? ' is-selected' : ''}`, for: inputId }, input, h('span', {}, choice.text)),
      playButton([choiceClip(question.name, choice.value)], lang, choice.text))
  })
  const readAll = playButton([questionClip(question.name), ...choices.map((choice) => choiceClip(question.name, choice.value))], lang)
  return h('fieldset', { class: 'question', ...(description === null ? {} : { 'aria-describedby': `${id}-desc` }) },
    h('legend', { class: 'q-title' }, question.processedTitle),
    readAll,
    description,
    h('div', { class: multiple ? 'choices choices-multiple' : 'choices' }, ...options))
}
