/**
 * Board history end to end in Debian Chromium: save a named snapshot from the History panel, watch
 * the outline's "changes since" follow edits made elsewhere (a card added over the API, a status
 * changed by a stock Yjs client) without reloading, look at the snapshot read-only (also after a
 * reload, from the address), restore it for everyone (a second browser sees the restore live, and
 * the board as it was is kept as a snapshot), and a view-link guest who may look but not save or
 * restore.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest'
import { createBoardViaApi, startAppServer, type AppServer } from '../helpers/appServer.ts'
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts'
import { createLink } from '../helpers/links.ts'
import { Cleanup, connectClient } from '../helpers/sync.ts'
import { waitFor } from '../helpers/wait.ts'
import {
  BROWSER_TEST_TIMEOUT_MS,
  openBoard,
  openPage,
  signIn,
  UI_TIMEOUT_MS,
  waitForShapeCount,
  waitForState,
} from './boardPage.ts'
import { until, waitForOutline } from './scopePage.ts'

const SHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.tmp')

// Each step waits at most UI_TIMEOUT_MS; a whole story gets BROWSER_TEST_TIMEOUT_MS.
describe('board history in a real browser', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let server: AppServer
  const browsers: LaunchedBrowser[] = []
  const cleanup = new Cleanup()
  let alice: Page
  let bob: Page
  /** Signs in with a view link only. */
  let guest: Page

  async function call(method: string, pathname: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${server.url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${pathname} answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as Record<string, unknown>
  }

  const summary = (page: Page) => page.getByTestId('changes-summary').textContent()

  beforeAll(async () => {
    server = await startAppServer()
    // Launched up front, so no browser start-up is inside the timed test.
    for (let i = 0; i < 3; i++) browsers.push(await launchBrowser())
    alice = await openPage(browsers[0]!)
    bob = await openPage(browsers[1]!)
    guest = await openPage(browsers[2]!)
    for (const page of [alice, bob, guest]) page.setDefaultTimeout(UI_TIMEOUT_MS)
    for (const page of [alice, bob]) await signIn(page, server.url, server.token)
  })

  afterAll(async () => {
    await cleanup.run()
    await Promise.allSettled(browsers.map((b) => b.close()))
    await server?.close()
  })

  test('save, compare live, view read-only, restore for everyone; a guest may only look', async () => {
    fs.mkdirSync(SHOTS, { recursive: true })
    onTestFailed(async () => {
      await alice.screenshot({ path: path.join(SHOTS, 'history-e2e-failed.png') }).catch(() => undefined)
    })
    const boardId = await createBoardViaApi(server, 'Checkout')
    const owners = [{ name: 'Ada', discipline: 'engineering' }]
    const problem = await call('POST', `/api/boards/${boardId}/cards`, {
      kind: 'problem',
      title: 'Guests abandon checkout',
      owners,
    })
    const solution = await call('POST', `/api/boards/${boardId}/cards`, {
      kind: 'solution',
      title: 'Guest checkout',
      parentId: problem.id,
    })
    await call('POST', `/api/boards/${boardId}/cards`, {
      kind: 'edge-case',
      title: 'Card declined',
      parentId: solution.id,
    })
    const before = {
      tree: [
        'problem: Guests abandon checkout [Open]',
        '  solution: Guest checkout [Proposed]',
        '    edge-case: Card declined [Open]',
      ],
      unlinked: [],
    }

    // 1. Save a snapshot from the History panel.
    await openBoard(alice, server.url, boardId)
    await openBoard(bob, server.url, boardId)
    await waitForState(alice, 'saved', 'alice on open')
    await waitForOutline(alice, before, 'the seeded board')
    await alice.getByTestId('history-button').click()
    const history = alice.getByRole('complementary', { name: 'History' })
    await history.getByText('No snapshots yet').waitFor()
    await history.getByLabel('Save the board as it is now').fill('Sprint planning')
    await history.getByRole('button', { name: 'Save snapshot' }).click()
    await history.getByRole('status').filter({ hasText: 'Saved “Sprint planning”.' }).waitFor()
    const item = history.locator('li.snapshot', { hasText: 'Sprint planning' })
    await item.waitFor()
    const snapshotId = (await item.getAttribute('data-snapshot-id'))!
    expect(snapshotId).toMatch(/^[a-z0-9]+$/)

    // 2. "Changes since" it, live: nothing yet, then a card added over the API, then a status
    // changed by a stock Yjs client, each without a reload.
    await item.getByRole('button', { name: 'Changes since' }).click()
    await until(
      () => summary(alice),
      (t) => t === 'No scope changes since then.',
      'the diff right after saving',
    )
    const added = await call('POST', `/api/boards/${boardId}/cards`, {
      kind: 'edge-case',
      title: 'Expired card',
      severity: 'high',
      parentId: solution.id,
    })
    await until(
      () => summary(alice),
      (t) => t === '1 added · 0 removed · 0 changed',
      'the diff after an API card',
    )
    const yjs = connectClient(
      { wsUrl: server.url.replace(/^http/, 'ws') + '/sync', token: server.token },
      boardId,
      cleanup,
    )
    await waitFor(() => yjs.provider.synced, { message: 'the Yjs client to sync' })
    const records = yjs.doc.getMap<Record<string, unknown>>('records')
    const record = records.get(`shape:${String(solution.id)}`)!
    records.set(`shape:${String(solution.id)}`, {
      ...record,
      props: { ...(record.props as object), status: 'chosen' },
    })
    await until(
      () => summary(alice),
      (t) => t === '1 added · 0 removed · 1 changed',
      'the diff after a status change',
    )
    const changes = alice.getByRole('list', { name: 'Scope changes' })
    expect(await changes.locator('li[data-change="added"]').textContent()).toContain('Expired card')
    expect(await changes.locator('li[data-change="changed"]').textContent()).toContain('Status: Proposed → Chosen')
    await alice.screenshot({ path: path.join(SHOTS, 'history-changes.png') })
    // An added card jumps to its card on the live board: selected, so its details open once the
    // History panel is closed.
    await changes.getByRole('button', { name: 'Expired card' }).click()
    await alice.getByTestId('history-button').click()
    const details = alice.getByRole('complementary', { name: 'Card details' })
    await until(
      () => details.getByLabel('Title').inputValue(),
      (title) => title === 'Expired card',
      'the jumped-to card in the details panel',
    )
    await alice.getByTestId('history-button').click()

    // 3. View the snapshot: read-only, the snapshot's cards and outline, its id in the address.
    await item.getByRole('button', { name: 'View' }).click()
    const banner = alice.getByTestId('snapshot-view')
    await banner.getByText('Viewing Sprint planning').waitFor()
    await waitForOutline(alice, before, 'the outline of the snapshot')
    expect(new URL(alice.url()).searchParams.get('snapshot')).toBe(snapshotId)
    // The snapshot lies over the live canvas, which stays mounted underneath.
    const snapshotCards = alice.locator('.snapshot-canvas .tl-shape[data-shape-type="scope-card"]')
    await until(
      () => snapshotCards.count(),
      (n) => n === 3,
      'three cards in the snapshot',
    )
    // The whole snapshot is in view, beside the panels.
    await until(
      () =>
        alice.evaluate(() => {
          const area = document.querySelector('.snapshot-canvas')!.getBoundingClientRect()
          return [...document.querySelectorAll('.snapshot-canvas .tl-shape[data-shape-type="scope-card"]')].every(
            (card) => {
              const r = card.getBoundingClientRect()
              return r.left >= area.left && r.right <= area.right && r.top >= area.top && r.bottom <= area.bottom
            },
          )
        }),
      (inView) => inView,
      'every card of the snapshot inside the visible canvas',
    )
    await alice.screenshot({ path: path.join(SHOTS, 'history-view.png') })
    // Neither the snapshot nor the live board under it takes a drawing: "r" and a drag change
    // nothing on the server either (checked once the view is closed, below).
    await alice.mouse.click(700, 700)
    await alice.keyboard.press('r')
    await alice.mouse.move(650, 650)
    await alice.mouse.down()
    await alice.mouse.move(750, 750, { steps: 5 })
    await alice.mouse.up()
    await alice.keyboard.press('Delete')
    // "What changed since…" in the banner leaves the snapshot for the live board, with the diff.
    await banner.getByRole('button', { name: 'What changed since…' }).click()
    await banner.waitFor({ state: 'detached' })
    await until(
      () => summary(alice),
      (t) => t === '1 added · 0 removed · 1 changed',
      'the diff since the snapshot, from its banner',
    )
    const geo = [...records.values()].filter((r) => r.type === 'geo')
    expect(geo).toEqual([])
    expect(records.has(`shape:${String(added.id)}`)).toBe(true)
    await item.getByRole('button', { name: 'View' }).click()
    await banner.getByText('Viewing Sprint planning').waitFor()
    // The browser's Back returns to the live board, Forward to the snapshot.
    await alice.goBack()
    await banner.waitFor({ state: 'detached' })
    expect(new URL(alice.url()).searchParams.get('snapshot')).toBeNull()
    await alice.goForward()
    await banner.getByText('Viewing Sprint planning').waitFor()
    // A reload opens the same snapshot from the address.
    await alice.reload()
    await alice.getByTestId('snapshot-view').getByText('Viewing Sprint planning').waitFor()
    await until(
      () => alice.locator('.snapshot-canvas .tl-shape').count(),
      (n) => n === 3 + 2,
      'the snapshot after a reload (three cards, two arrows)',
    )

    // 4. Restore it for everyone: Bob sees the board go back live, and a note that says so; a
    // backup is listed first.
    await waitForShapeCount(bob, 4 + 3, 'bob before the restore (four cards, three arrows)')
    expect(await bob.getByTestId('restore-note').count()).toBe(0)
    await alice.getByRole('button', { name: 'Restore this version…' }).click()
    await alice.getByRole('group', { name: 'Confirm restore' }).getByRole('button', { name: 'Restore' }).click()
    await alice.getByTestId('snapshot-view').waitFor({ state: 'detached' })
    expect(new URL(alice.url()).searchParams.get('snapshot')).toBeNull()
    await waitForShapeCount(bob, 3 + 2, 'bob after the restore')
    await waitForOutline(bob, before, "bob's outline after the restore")
    await until(
      () => bob.getByTestId('restore-note').textContent(),
      (text) => text?.startsWith('This board was restored to “Sprint planning”') ?? false,
      "the restore note on bob's page",
    )
    await until(
      () => summary(alice),
      (t) => t === 'No scope changes since then.',
      'the diff after the restore',
    )
    // The reload closed the panel; opening it reloads the list.
    await alice.getByTestId('history-button').click()
    const names = () => alice.locator('li.snapshot .snapshot-name').allTextContents()
    await until(
      names,
      (n) => JSON.stringify(n) === JSON.stringify(['Before restoring "Sprint planning"', 'Sprint planning']),
      'the backup listed above the restored snapshot',
    )
    // A snapshot saved by mistake can be deleted, after a confirmation.
    const panel = alice.getByRole('complementary', { name: 'History' })
    await panel.getByLabel('Save the board as it is now').fill('Scratch')
    await panel.getByRole('button', { name: 'Save snapshot' }).click()
    const scratch = panel.locator('li.snapshot', { hasText: 'Scratch' })
    await scratch.getByRole('button', { name: 'Delete…' }).click()
    await scratch.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete' }).click()
    await scratch.waitFor({ state: 'detached' })
    await panel.getByRole('status').filter({ hasText: 'Deleted “Scratch”.' }).waitFor()
    expect(await names()).toEqual(['Before restoring "Sprint planning"', 'Sprint planning'])

    // 5. A view-link guest sees the history and can look and compare, but not save or restore.
    const view = await createLink(server, boardId, 'view')
    await guest.goto(view.url)
    await guest.getByTestId('history-button').click()
    const guestHistory = guest.getByRole('complementary', { name: 'History' })
    await guestHistory.locator('li.snapshot').nth(1).waitFor()
    expect(await guestHistory.getByRole('button', { name: 'Save snapshot' }).count()).toBe(0)
    expect(await guestHistory.getByRole('button', { name: /Restore|Delete/ }).count()).toBe(0)
    await guestHistory
      .locator('li.snapshot')
      .filter({ has: guest.locator('.snapshot-name', { hasText: /^Sprint planning$/ }) })
      .getByRole('button', { name: 'View' })
      .click()
    await guest.getByTestId('snapshot-view').getByText('Viewing Sprint planning').waitFor()
    expect(await guest.getByRole('button', { name: /Restore/ }).count()).toBe(0)

    // 6. An address naming a snapshot the board does not have opens the live board and says so.
    await guest.goto(`${server.url}/b/${boardId}?snapshot=nosuchsnapshot`)
    await guest.getByRole('alert').filter({ hasText: 'not in this board’s history' }).waitFor()
    expect(await guest.getByTestId('snapshot-view').count()).toBe(0)
  })

  test('hygiene: no page errors', () => {
    expect(browsers.flatMap((b) => b.errors)).toEqual([])
  })
})
