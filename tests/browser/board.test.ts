/**
 * Scopeboard end to end: the built web app served by an in-process server, driven in Debian
 * Chromium. Each person is a separate browser profile (own cookies and IndexedDB), as two people
 * on two machines would be. The last test checks the whole run: nothing left 127.0.0.1 and no
 * page logged an error it should not have.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest'
import { createBoardViaApi, startAppServer, type AppServer } from '../helpers/appServer.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  BROWSER_TEST_TIMEOUT_MS,
  connectionState,
  drawRectangle,
  openBoard,
  openPage,
  shapeCount,
  signIn,
  UI_TIMEOUT_MS,
  waitForShapeCount,
  waitForState,
} from './boardPage.ts'

const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.tmp')

interface Person {
  name: string
  browser: LaunchedBrowser
  page: Page
}

/** A stretch of one browser's `errors` during which the server was down on purpose. */
interface DownWindow {
  browser: LaunchedBrowser
  from: number
  to: number
}

// Each step waits at most UI_TIMEOUT_MS; a whole story gets BROWSER_TEST_TIMEOUT_MS.
describe('Scopeboard in real browsers', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let server: AppServer
  const browsers: LaunchedBrowser[] = []
  const downWindows: DownWindow[] = []
  let alice: Person
  let bob: Person

  async function person(name: string): Promise<Person> {
    const browser = await launchBrowser()
    browsers.push(browser)
    return { name, browser, page: await openPage(browser) }
  }

  beforeAll(async () => {
    server = await startAppServer()
    ;[alice, bob] = await Promise.all([person('Alice'), person('Bob')])
    await Promise.all([signIn(alice.page, server.url, server.token), signIn(bob.page, server.url, server.token)])
  })

  afterAll(async () => {
    await Promise.allSettled(browsers.map((b) => b.close()))
    await server?.close()
  })

  test('home page: signed out shows sign-in; signed in, the form creates a board whose title renames live for others', async () => {
    const carol = await person('Carol')
    const page = carol.page

    await page.goto(`${server.url}/`)
    await page.getByRole('region', { name: 'Sign in' }).waitFor({ timeout: UI_TIMEOUT_MS })
    expect(await page.getByRole('button', { name: 'Create board' }).count()).toBe(0)

    await signIn(page, server.url, server.token)
    expect(await page.getByRole('region', { name: 'Sign in' }).count()).toBe(0)
    const title = 'Checkout: declined cards'
    await page.getByLabel('New board').fill(title, { timeout: UI_TIMEOUT_MS })
    await page.getByRole('button', { name: 'Create board' }).click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]+$/, { timeout: UI_TIMEOUT_MS })
    const boardId = new URL(page.url()).pathname.split('/')[2]

    const titleInput = page.getByLabel('Board title')
    await waitForTitle(page, title, 'creator, after creating')

    await openBoard(bob.page, server.url, boardId)
    await waitForTitle(bob.page, title, 'Bob, opening the new board')
    // A marker on Bob's window survives only if his page is never reloaded.
    await bob.page.evaluate(() => Object.assign(window, { __notReloaded: true }))

    const renamed = 'Checkout: expired cards'
    await titleInput.fill(renamed, { timeout: UI_TIMEOUT_MS })
    await titleInput.press('Enter')
    await waitForTitle(page, renamed, 'creator, after renaming')
    await waitForTitle(bob.page, renamed, 'Bob, live after the rename')
    expect(await bob.page.evaluate(() => (window as { __notReloaded?: boolean }).__notReloaded)).toBe(true)
    await waitForState(page, 'saved', 'creator after the rename')
    // Only Alice and Bob stay for the outage test; the errors Carol logged stay for the hygiene tests.
    await carol.browser.close()
  })

  test('the web app under test is the production build, as people get it', async () => {
    const page = await alice.browser.context.newPage()
    try {
      const messages: string[] = []
      let boardListRequests = 0
      page.on('console', (message) => messages.push(message.text()))
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/boards') boardListRequests++
      })
      await page.goto(`${server.url}/`)
      await page.getByRole('button', { name: 'Create board' }).waitFor({ timeout: UI_TIMEOUT_MS })
      // React prints this banner, and StrictMode runs every effect twice, only in its development build.
      expect(
        messages.filter((m) => m.includes('React DevTools')),
        'React development build served (banner)',
      ).toEqual([])
      expect(
        boardListRequests,
        'GET /api/boards count on one home page load (2 = StrictMode development double effects)',
      ).toBe(1)
    } finally {
      await page.close()
    }
  })

  test('two people on one board: a rectangle drawn by one appears for the other, is saved, and survives a reload', async () => {
    const boardId = await createBoardViaApi(server, 'Two people')
    await Promise.all([openBoard(alice.page, server.url, boardId), openBoard(bob.page, server.url, boardId)])
    await Promise.all([
      waitForState(alice.page, 'saved', 'Alice on open'),
      waitForState(bob.page, 'saved', 'Bob on open'),
    ])
    expect(await shapeCount(alice.page)).toBe(0)
    expect(await shapeCount(bob.page)).toBe(0)

    await drawRectangle(alice.page, { x: 350, y: 280, width: 160, height: 110 })
    await waitForShapeCount(bob.page, 1, "Bob, live after Alice's rectangle")
    await waitForState(alice.page, 'saved', 'Alice after drawing')

    await bob.page.reload()
    await waitForShapeCount(bob.page, 1, 'Bob after reloading')
    await waitForState(bob.page, 'saved', 'Bob after reloading')
  })

  test('offline on both sides: each draws while the server is down, and after a restart both see every shape', async () => {
    const boardId = await createBoardViaApi(server, 'Offline merge')
    await Promise.all([openBoard(alice.page, server.url, boardId), openBoard(bob.page, server.url, boardId)])
    await drawRectangle(alice.page, { x: 320, y: 260, width: 120, height: 90 })
    await waitForShapeCount(bob.page, 1, "Bob, before the outage: Alice's first rectangle")
    await Promise.all([
      waitForState(alice.page, 'saved', 'Alice before the outage'),
      waitForState(bob.page, 'saved', 'Bob before the outage'),
    ])

    const windows = browsers.map((browser) => ({ browser, from: browser.errors.length, to: Infinity }))
    downWindows.push(...windows)
    await server.stop()
    try {
      await Promise.all([
        waitForState(alice.page, 'offline', 'Alice with the server down'),
        waitForState(bob.page, 'offline', 'Bob with the server down'),
      ])

      await drawRectangle(alice.page, { x: 520, y: 260, width: 120, height: 90 })
      await drawRectangle(bob.page, { x: 420, y: 430, width: 140, height: 80 })
      expect(await shapeCount(alice.page)).toBe(2)
      expect(await shapeCount(bob.page)).toBe(2)
      expect(await connectionState(alice.page)).toBe('offline')
    } finally {
      if (!server.running) await server.start()
    }

    // Nobody reloads: y-websocket reconnects to the same address by itself.
    await Promise.all([
      waitForState(alice.page, 'saved', 'Alice after the restart'),
      waitForState(bob.page, 'saved', 'Bob after the restart'),
    ])
    await Promise.all([
      waitForShapeCount(alice.page, 3, "Alice after the restart: her two rectangles and Bob's"),
      waitForShapeCount(bob.page, 3, "Bob after the restart: his rectangle and Alice's two"),
    ])
    for (const w of windows) w.to = w.browser.errors.length

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
    await Promise.all([
      alice.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'board-offline-merge-alice.png') }),
      bob.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'board-offline-merge-bob.png') }),
    ])

    // A third profile, with no offline copy, sees only what the server stored.
    const dave = await person('Dave')
    await signIn(dave.page, server.url, server.token)
    await openBoard(dave.page, server.url, boardId)
    await waitForShapeCount(dave.page, 3, 'a fresh browser, reading the board from the server')
    await dave.browser.close()
  })

  test('a board opens with its content in view and the style panel out of the way; the canvas follows a dark system and its own dark-mode switch', async () => {
    const page = alice.page
    const boardId = await createBoardViaApi(server, 'Content in view')
    const post = (body: unknown) =>
      fetch(`${server.url}/api/boards/${boardId}/cards`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => res.json() as Promise<{ id: string }>)
    const problem = await post({ kind: 'problem', title: 'P' })
    for (const title of ['S1', 'S2', 'S3']) await post({ kind: 'solution', title, parentId: problem.id })

    await page.emulateMedia({ colorScheme: 'dark' })
    // The page is shared with the tests after this one: back to a light system whatever happens.
    onTestFinished(() => page.emulateMedia({ colorScheme: 'light' }))
    await openBoard(page, server.url, boardId)
    const cardsInView = () =>
      page.evaluate(() => {
        const area = document.querySelector('.tl-canvas')!.getBoundingClientRect()
        const cards = [...document.querySelectorAll('.tl-shape[data-shape-type="scope-card"]')]
        return (
          cards.length === 4 &&
          cards.every((card) => {
            const r = card.getBoundingClientRect()
            return r.left >= area.left && r.right <= area.right && r.top >= area.top && r.bottom <= area.bottom
          })
        )
      })
    await waitFor(cardsInView, { message: 'all four cards inside the canvas on open', timeoutMs: UI_TIMEOUT_MS })
    const dark = () =>
      page.evaluate(() => document.querySelector('.tl-container')!.classList.contains('tl-theme__dark'))
    await waitFor(dark, { message: 'the canvas to follow the dark system', timeoutMs: UI_TIMEOUT_MS })
    // tldraw's own switch (Ctrl+/) takes effect at once, and is kept for the next visit.
    await page.locator('.tl-canvas').click({ position: { x: 20, y: 300 } })
    await page.keyboard.press('Control+/')
    await waitFor(async () => !(await dark()), { message: 'the switch to light', timeoutMs: UI_TIMEOUT_MS })
    await page.reload()
    await page.waitForSelector('.tl-canvas')
    await waitFor(cardsInView, { message: 'the cards after a reload', timeoutMs: UI_TIMEOUT_MS })
    expect(await dark()).toBe(false)
    // tldraw's style panel stays out of the way until it can act: a drawing tool or a selection.
    const stylePanel = page.locator('.tlui-style-panel')
    expect(await stylePanel.count()).toBe(0)
    await page.locator('.tl-canvas').click({ position: { x: 20, y: 300 } })
    await page.keyboard.press('r')
    await stylePanel.waitFor()
    await page.keyboard.press('v')
    await stylePanel.waitFor({ state: 'detached' })
  })

  test('hygiene over the whole run: no request left 127.0.0.1', () => {
    const origin = `127.0.0.1:${server.port}`
    const allowed = (url: string) =>
      url === 'about:blank' ||
      url.startsWith('data:') ||
      url.startsWith(`blob:http://${origin}/`) ||
      url.startsWith(`http://${origin}/`) ||
      url.startsWith(`ws://${origin}/`)
    const requests = browsers.flatMap((b) => b.requests)
    expect(
      requests.some((url) => url.startsWith(`ws://${origin}/sync/`)),
      'the sync sockets were recorded',
    ).toBe(true)
    expect(requests.filter((url) => !allowed(url))).toEqual([])
  })

  test('hygiene over the whole run: no page errors, and no console errors but failed reconnects while the server was down', () => {
    const origin = `127.0.0.1:${server.port}`
    const expectedWhileDown = (message: string) =>
      message.startsWith(`console: WebSocket connection to 'ws://${origin}/sync/`) ||
      message.includes('net::ERR_CONNECTION_REFUSED')
    const unexpected = browsers.flatMap((b) =>
      b.errors.filter((message, index) => {
        const down = downWindows.some((w) => w.browser === b && index >= w.from && index < w.to)
        return !(down && expectedWhileDown(message))
      }),
    )
    expect(unexpected).toEqual([])
  })
})

async function waitForTitle(page: Page, title: string, label: string): Promise<void> {
  try {
    await page.waitForFunction(
      (t) => document.querySelector<HTMLInputElement>('input[aria-label="Board title"]')?.value === t,
      title,
      { timeout: UI_TIMEOUT_MS, polling: 50 },
    )
  } catch {
    const shown = await page
      .locator('input[aria-label="Board title"]')
      .inputValue({ timeout: 1_000 })
      .catch(() => null)
    throw new Error(
      `${label}: the title input did not show "${title}" within ${UI_TIMEOUT_MS} ms; it shows ${JSON.stringify(shown)}`,
    )
  }
}
