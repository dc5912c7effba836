/**
 * Sprint focus end to end in Debian Chromium: a board linked to a focus from its header (its
 * outline's "no-sprint-focus" check then passes), the focus page's roll-up following a card added
 * on the board without reloading, a roll-up item opening its card on the board, and a view-link
 * guest seeing the focus context in the header of its board.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest'
import { createBoardViaApi, startAppServer, type AppServer } from '../helpers/appServer.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import {
  BROWSER_TEST_TIMEOUT_MS,
  openBoard,
  openPage,
  signIn,
  UI_TIMEOUT_MS,
  waitForEditor,
  waitForState,
} from './boardPage.ts'
import { until, waitForHealth } from './scopePage.ts'

const SCREENSHOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.tmp/focus-e2e.png')

// Each step waits at most UI_TIMEOUT_MS; a whole story gets BROWSER_TEST_TIMEOUT_MS.
describe('sprint focus in a real browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let server: AppServer
  const browsers: LaunchedBrowser[] = []
  let alice: Page

  async function call(method: string, pathname: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${server.url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${pathname} answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as Record<string, unknown>
  }

  beforeAll(async () => {
    server = await startAppServer()
    const browser = await launchBrowser()
    browsers.push(browser)
    alice = await openPage(browser)
    alice.setDefaultTimeout(UI_TIMEOUT_MS)
    await signIn(alice, server.url, server.token)
  })

  afterAll(async () => {
    await Promise.allSettled(browsers.map((b) => b.close()))
    await server?.close()
  })

  test('link a board from its header, then watch its roll-up follow the board live', async () => {
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true })
    onTestFailed(async () => {
      await alice.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-failed.png') }).catch(() => undefined)
    })
    const focus = await call('POST', '/api/focuses', {
      sprint: 'Sprint 42',
      title: 'Make checkout trustworthy',
      goal: 'Fewer abandoned checkouts',
      metric: 'Completion above 70%',
      strategy: 'Win repeat customers',
      status: 'active',
    })
    const focusId = focus.id as string
    const boardId = await createBoardViaApi(server, 'Checkout')
    await createBoardViaApi(server, 'Not linked')
    const problem = await call('POST', `/api/boards/${boardId}/cards`, {
      kind: 'problem',
      title: 'Guests abandon checkout',
      owners: [{ name: 'Ada', discipline: 'engineering' }],
    })

    // Link from the header: the chip says the board serves no focus; the picker lists the focuses.
    await openBoard(alice, server.url, boardId)
    await waitForState(alice, 'saved', 'the board on open')
    const chip = alice.getByTestId('focus-chip')
    await until(
      () => chip.textContent(),
      (text) => text === 'No sprint focus',
      'the focus chip of an unlinked board',
    )
    await waitForHealth(alice, { ready: false, checks: { 'no-sprint-focus': 'warning' } }, 'before linking')
    await chip.click()
    const picker = alice.getByRole('dialog', { name: 'Sprint focus' }).getByLabel('Sprint focus')
    await until(
      () => picker.locator('option').allTextContents(),
      (options) => options.includes('Make checkout trustworthy'),
      'the focuses offered in the picker',
    )
    await picker.selectOption(focusId)
    await until(
      () => chip.textContent(),
      (text) => text?.startsWith('Sprint 42 · Focus: Make checkout trustworthy') ?? false,
      'the focus chip after linking',
    )
    expect(await chip.getAttribute('title')).toBe(
      'Sprint 42 · Focus: Make checkout trustworthy · Goal: Fewer abandoned checkouts · Metric: Completion above 70%',
    )
    expect((await call('GET', `/api/boards/${boardId}`)).focusId).toBe(focusId)
    // The live outline now knows the focus, and it names a strategy.
    await waitForHealth(alice, { ready: false, checks: { 'no-sprint-focus': 'passed' } }, 'after linking')

    // The roll-up page: the linked board only, with its problem.
    await alice.goto(`${server.url}/f/${focusId}`)
    await alice.getByTestId('focus-title').waitFor()
    expect(await alice.getByTestId('focus-title').textContent()).toBe('Make checkout trustworthy')
    const boards = alice.getByTestId('rollup-board')
    await until(
      () => boards.evaluateAll((sections) => sections.map((s) => s.getAttribute('data-board-id'))),
      (ids) => JSON.stringify(ids) === JSON.stringify([boardId]),
      'the linked board on the roll-up page',
    )
    expect(await boards.first().textContent()).toContain('Guests abandon checkout')
    await alice.evaluate(() => Object.assign(window, { notReloaded: true }))

    // A card added on the board shows up in the roll-up without a reload.
    const solution = await call('POST', `/api/boards/${boardId}/cards`, {
      kind: 'solution',
      title: 'Guest checkout without an account',
      status: 'chosen',
      parentId: problem.id,
    })
    const solutionLink = alice.locator(`[data-card-id="${solution.id as string}"]`)
    await until(
      () => solutionLink.count(),
      (n) => n > 0,
      'the new solution in the roll-up',
    )
    expect(await solutionLink.first().textContent()).toBe('Guest checkout without an account')
    expect(await alice.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true)
    expect(await alice.getByRole('list', { name: 'Totals' }).textContent()).toContain('Chosen solutions')
    await alice.screenshot({ path: SCREENSHOT })

    // Each item opens its card on its board: selected, so the inspector shows it.
    await solutionLink.first().click()
    await alice.waitForURL(`${server.url}/b/${boardId}#card=${solution.id as string}`)
    await waitForEditor(alice, 'the board opened from the roll-up')
    await until(
      () =>
        alice.getByRole('complementary', { name: 'Card details' }).getByLabel('Title').inputValue({ timeout: 1_000 }),
      (title) => title === 'Guest checkout without an account',
      'the card the roll-up link named, selected on its board',
    )
  })

  test('a view-link guest sees the focus context in the header of its board', async () => {
    const focus = await call('POST', '/api/focuses', {
      sprint: '2026-W49',
      title: 'Faster search',
      goal: 'p95 < 300 ms',
    })
    const boardId = await createBoardViaApi(server, 'Search')
    await call('PUT', `/api/boards/${boardId}/focus`, { focusId: focus.id })
    const link = await call('POST', `/api/boards/${boardId}/links`, { role: 'view' })

    const guestBrowser = await launchBrowser()
    browsers.push(guestBrowser)
    const guest = await openPage(guestBrowser)
    await guest.goto(link.url as string)
    await waitForEditor(guest, 'the guest on the board')
    const chip = guest.getByTestId('focus-chip')
    await until(
      () => chip.textContent(),
      (text) => text?.startsWith('2026-W49 · Focus: Faster search') ?? false,
      "the guest's focus chip",
    )
    await chip.click()
    const popover = guest.getByRole('dialog', { name: 'Sprint focus' })
    expect(await popover.textContent()).toContain('p95 < 300 ms')
    // Neither the picker nor the roll-up link: a guest cannot change the link or open other boards.
    expect(await popover.getByLabel('Sprint focus').count()).toBe(0)
    expect(await popover.getByRole('link').count()).toBe(0)
    expect(guestBrowser.errors).toEqual([])
  })

  test('hygiene: no page errors', () => {
    expect(browsers.flatMap((b) => b.errors)).toEqual([])
  })
})
