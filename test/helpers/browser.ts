import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'

/** Debian's Chromium (.ci/run installs it when test/web has tests). */
export async function launchChromium (): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(executablePath)) {
    throw new Error(`the browser tests need Chromium at ${executablePath}: install Debian's (apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH`)
  }
  return await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
}

export const ARTIFACTS = new URL('../web/artifacts/', import.meta.url)

export async function screenshot (page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true })
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true })
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation { id: string, impact: string | null, help: string, nodes: number }

/** axe-core's serious and critical violations on the page as it is now (evaluated over CDP, so the page's CSP does not block it). */
export async function seriousAxeViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string, impact?: string | null, help: string, nodes: unknown[] }> }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact ?? null, help: violation.help, nodes: violation.nodes.length }))
  })
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
}
