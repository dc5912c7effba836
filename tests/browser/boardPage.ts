/**
 * What a person does and sees on a board page, for the browser tests. Every wait polls the page
 * for a condition with a deadline (STYLE habit 10) and fails saying what it saw last.
 */
import type { Page } from 'playwright-core'
import type { LaunchedBrowser } from '../helpers/browser.ts'

export type ConnectionState = 'connecting' | 'syncing' | 'saved' | 'saving' | 'offline' | 'refused'

/** Long enough for a reconnect after y-websocket's largest backoff (2.5 s), short enough to fail fast. */
export const UI_TIMEOUT_MS = 10_000

/**
 * For a whole browser test: a story of ten to twenty steps, each allowed UI_TIMEOUT_MS, on a
 * 2-core machine shared with other test files. A slow step then fails with its own message
 * rather than with vitest's "timed out" for the test.
 */
export const BROWSER_TEST_TIMEOUT_MS = 90_000

const STATUS = '[data-testid="connection-status"]'

/** The helper's `requests` only sees HTTP; WebSocket URLs go through the same list so hygiene checks them too. */
export async function openPage(browser: LaunchedBrowser): Promise<Page> {
  const page = await browser.newPage()
  page.on('websocket', (ws) => browser.requests.push(ws.url()))
  return page
}

/** Signs the profile in the way a person does: the sign-in link sets the cookie and redirects to /. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/?token=${encodeURIComponent(token)}`)
  if (new URL(page.url()).search !== '')
    throw new Error(`sign-in did not redirect away from the token link: ${page.url()}`)
}

export async function connectionState(page: Page): Promise<string | null> {
  return page
    .locator(STATUS)
    .getAttribute('data-state', { timeout: 1_000 })
    .catch(() => null)
}

export async function waitForState(
  page: Page,
  state: ConnectionState,
  label: string,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<void> {
  try {
    await page.waitForSelector(`${STATUS}[data-state="${state}"]`, { timeout: timeoutMs })
  } catch {
    throw new Error(
      `${label}: connection status did not become "${state}" within ${timeoutMs} ms; it is "${await connectionState(page)}"`,
    )
  }
}

export function shapeCount(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('.tl-shape').length)
}

export async function waitForShapeCount(
  page: Page,
  count: number,
  label: string,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<void> {
  try {
    await page.waitForFunction((n) => document.querySelectorAll('.tl-shape').length === n, count, {
      timeout: timeoutMs,
      polling: 50,
    })
  } catch {
    throw new Error(
      `${label}: expected ${count} shape(s) on the canvas within ${timeoutMs} ms, saw ${await shapeCount(page)}`,
    )
  }
}

/** Opens a board and waits until the editor is on screen. */
export async function openBoard(page: Page, url: string, boardId: string): Promise<void> {
  await page.goto(`${url}/b/${boardId}`)
  await waitForEditor(page, `board ${boardId}`)
}

export async function waitForEditor(page: Page, label: string): Promise<void> {
  try {
    await page.waitForSelector('.tl-canvas', { timeout: UI_TIMEOUT_MS })
  } catch {
    throw new Error(`${label}: the tldraw canvas did not appear within ${UI_TIMEOUT_MS} ms`)
  }
}

/**
 * Draws a rectangle as a person would: Escape and a click on empty canvas give the editor the
 * keyboard, "r" picks the rectangle tool, then a drag. Keep boxes inside x 300–900, y 250–600:
 * the header is 44 px tall and the toolbars sit at the bottom centre and top right.
 */
export async function drawRectangle(
  page: Page,
  box: { x: number; y: number; width: number; height: number },
): Promise<void> {
  const before = await shapeCount(page)
  await page.keyboard.press('Escape')
  await page.mouse.click(box.x - 40, box.y - 40)
  await page.keyboard.press('Escape')
  await page.keyboard.press('r')
  await page.mouse.move(box.x, box.y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 })
  await page.mouse.move(box.x + box.width, box.y + box.height, { steps: 5 })
  await page.mouse.up()
  await page.keyboard.press('Escape')
  await waitForShapeCount(page, before + 1, 'the rectangle just drawn')
}
