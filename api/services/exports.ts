/**
 * A wave's microdata and its documentation as downloads: each export loads the wave, is written to the audit
 * log before its first byte leaves (a download cut short was still an export), and says what to send.
 */
import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { AppError } from '../errors.js'
import type { Codebook } from '../schemas/exports.js'
import { recordAudit } from './audit-log.js'
import { buildCodebook } from './codebook.js'
import { codebookMarkdown, exportFileNames, rScript } from './codebook-formats.js'
import { prepareStatFile, waveExportSource, writeMicrodata, writeStatFile } from './microdata-export.js'
import type { ExportSource } from './microdata-export.js'
import type { Language } from './stat-variables.js'
import { spssSyntax, stataDoFile } from './syntax-readers.js'

/** Writes a download's bytes, waiting while the client is slow. */
export type DownloadWriter = (write: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>

/** A file to send: whole (`text`) or streamed from the database (`produce`). */
export type ExportDownload = { type: string, filename: string } & ({ text: string } | { produce: DownloadWriter })

async function auditExport (db: Kysely<Database>, actor: Account, found: ExportSource, action: string, detail: Record<string, unknown> = {}): Promise<void> {
  await recordAudit(db, { actor, action, objectType: 'wave', objectId: found.wave.id, detail: { waveName: found.wave.name, ...detail } })
}

async function loadAndAudit (db: Kysely<Database>, actor: Account, waveId: string, action: string, detail: Record<string, unknown> = {}): Promise<ExportSource> {
  const found = await waveExportSource(db, waveId)
  await auditExport(db, actor, found, action, detail)
  return found
}

/** One row per response as CSV or JSON lines; free text only when asked for. */
export async function microdataDownload (db: Kysely<Database>, actor: Account, waveId: string, format: 'csv' | 'jsonl', freeText: boolean): Promise<ExportDownload> {
  const found = await loadAndAudit(db, actor, waveId, `export.${format}`, { freeText })
  const names = exportFileNames(buildCodebook(found, freeText))
  return {
    type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    filename: format === 'csv' ? names.csv : names.jsonl,
    produce: async (write) => { await writeMicrodata(db, found, { format, freeText }, write) },
  }
}

/**
 * SPSS or Stata: the same rows with numeric codes and labels in the language asked for; never free text.
 * @throws {AppError} 422 when the version's questions cannot be written in that format (checked before auditing)
 */
export async function statFileDownload (db: Kysely<Database>, actor: Account, waveId: string, format: 'sav' | 'dta', language: Language): Promise<ExportDownload> {
  const found = await waveExportSource(db, waveId)
  let prepared: ReturnType<typeof prepareStatFile>
  try {
    prepared = prepareStatFile(found, format, language)
  } catch (error) {
    throw new AppError(422, 'bad_request', `this survey version cannot be written as .${format}: ${error instanceof Error ? error.message : String(error)}`)
  }
  await auditExport(db, actor, found, `export.${format}`, { language })
  const names = exportFileNames(prepared.codebook, language)
  return {
    type: format === 'sav' ? 'application/x-spss-sav' : 'application/x-stata-dta',
    filename: format === 'sav' ? names.sav : names.dta,
    produce: async (write) => { await writeStatFile(db, found, prepared, write) },
  }
}

/** Syntax that reads the CSV into the same variables: SPSS/PSPP (.sps) or Stata (.do). */
export async function syntaxDownload (db: Kysely<Database>, actor: Account, waveId: string, kind: 'sps' | 'do', language: Language): Promise<ExportDownload> {
  const found = await loadAndAudit(db, actor, waveId, `export.${kind}`, { language })
  const codebook = buildCodebook(found, false)
  const names = exportFileNames(codebook, language)
  return {
    type: 'text/plain; charset=utf-8',
    filename: kind === 'sps' ? names.sps : names.doFile,
    text: kind === 'sps' ? spssSyntax(codebook, language) : stataDoFile(codebook, language),
  }
}

/** The codebook as data, for the JSON route (its reply schema checks it). */
export async function codebookJson (db: Kysely<Database>, actor: Account, waveId: string, freeText: boolean): Promise<{ codebook: Codebook, filename: string }> {
  const found = await loadAndAudit(db, actor, waveId, 'export.codebook', { format: 'json' })
  const codebook = buildCodebook(found, freeText)
  return { codebook, filename: exportFileNames(codebook).codebookJson }
}

/** The codebook for people (Markdown), or the R script that reads the CSV and rebuilds each released figure. */
export async function documentationDownload (db: Kysely<Database>, actor: Account, waveId: string, kind: 'codebook.md' | 'read-microdata.R', freeText: boolean): Promise<ExportDownload> {
  const markdown = kind === 'codebook.md'
  const found = await loadAndAudit(db, actor, waveId, markdown ? 'export.codebook' : 'export.r_script', markdown ? { format: 'markdown' } : {})
  const codebook = buildCodebook(found, freeText)
  const names = exportFileNames(codebook)
  return markdown
    ? { type: 'text/markdown; charset=utf-8', filename: names.codebookMd, text: codebookMarkdown(codebook) }
    : { type: 'text/plain; charset=utf-8', filename: names.rScript, text: rScript(codebook) }
}
