/**
 * Debian Chromium through playwright-core, with the flags this machine needs (no sandbox as root,
 * no background network chatter) and a fresh profile per launch. Never downloads a browser.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface LaunchedBrowser {
  context: BrowserContext
  /** Every request URL the pages made, to check that nothing left 127.0.0.1. */
  requests: string[]
  /** Uncaught page errors and console errors. */
  errors: string[]
  newPage(): Promise<Page>
  close(): Promise<void>
}

/**
 * One persistent context = one browser profile (its own IndexedDB, localStorage and cookies), as
 * one person's browser would be.
 */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM_PATH}: run "npm test", which installs it, or apt-get install -y chromium`,
    )
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scopeboard-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: FLAGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  })
  const requests: string[] = []
  const errors: string[] = []
  const watch = (page: Page) => {
    page.on('request', (request) => requests.push(request.url()))
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`)
    })
  }
  context.pages().forEach(watch)
  context.on('page', watch)
  return {
    context,
    requests,
    errors,
    async newPage() {
      const existing = context.pages().find((p) => p.url() === 'about:blank')
      return existing ?? (await context.newPage())
    },
    async close() {
      await context.close()
      fs.rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export type { Browser, Page }
