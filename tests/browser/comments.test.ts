/**
 * Async review across roles: a person with an edit link comments on a solution card; a reviewer
 * with a comment link sees it live, replies and resolves; the pin follows the card when it moves;
 * the reviewer's canvas is read-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer, createBoardViaApi, type AppServer } from '../helpers/appServer.ts'
import { launchBrowser, type LaunchedBrowser, type Page } from '../helpers/browser.ts'
import { BROWSER_TEST_TIMEOUT_MS, shapeCount, UI_TIMEOUT_MS, waitForEditor } from './boardPage.ts'
import { card, drag, quickAction, selectCard, until } from './scopePage.ts'

let server: AppServer
let editorBrowser: LaunchedBrowser
let reviewerBrowser: LaunchedBrowser

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

async function openLink(browser: LaunchedBrowser, url: string): Promise<Page> {
  const page = await browser.newPage()
  page.setDefaultTimeout(UI_TIMEOUT_MS)
  await page.goto(url)
  await waitForEditor(page, url)
  return page
}

async function pinBox(page: Page) {
  const box = await page.getByTestId('comment-pin').first().boundingBox()
  if (!box) throw new Error('no comment pin on screen')
  return box
}

beforeAll(async () => {
  server = await startAppServer()
  editorBrowser = await launchBrowser()
  reviewerBrowser = await launchBrowser()
})

afterAll(async () => {
  await editorBrowser?.close()
  await reviewerBrowser?.close()
  await server?.close()
})

// Each step waits at most UI_TIMEOUT_MS; a whole story gets BROWSER_TEST_TIMEOUT_MS.
describe('comments across roles', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('an edit link comments, a comment link replies and resolves, both live; the pin follows the card', async () => {
    const boardId = await createBoardViaApi(server, 'Checkout: declined cards')
    const problem = await api<{ id: string }>(`/api/boards/${boardId}/cards`, {
      kind: 'problem',
      title: 'Declined cards lose the cart',
    })
    await api(`/api/boards/${boardId}/cards`, {
      kind: 'solution',
      title: 'Retry with the saved card',
      parentId: problem.id,
    })
    const editLink = await api<{ url: string }>(`/api/boards/${boardId}/links`, { role: 'edit' })
    const commentLink = await api<{ url: string }>(`/api/boards/${boardId}/links`, { role: 'comment' })

    const a = await openLink(editorBrowser, editLink.url)
    const b = await openLink(reviewerBrowser, commentLink.url)
    // Signing in through a link takes the token out of the address bar.
    expect(new URL(a.url()).searchParams.has('token')).toBe(false)
    await b.getByTestId('role-banner').filter({ hasText: 'Comment only' }).waitFor()

    // A comments on the solution card.
    await selectCard(a, 'solution', 'Retry with the saved card')
    await quickAction(a, 'Comment')
    await a.getByLabel(/New comment on solution/i).fill('What happens when the card is declined twice?')
    await a
      .getByRole('complementary', { name: 'Comments' })
      .getByRole('button', { name: 'Comment', exact: true })
      .click()

    // B sees it live: the header count and a pin on the card.
    await b.getByTestId('comments-button').filter({ hasText: '1' }).waitFor()
    await b.getByTestId('comment-pin').first().waitFor()

    // The pin follows the card when A moves it.
    const before = await pinBox(b)
    const cardBox = await card(a, 'solution', 'Retry with the saved card').first().boundingBox()
    if (!cardBox) throw new Error('the solution card is not on screen')
    await a.keyboard.press('Escape')
    const from = { x: cardBox.x + cardBox.width / 2, y: cardBox.y + cardBox.height - 15 }
    await drag(a, from, { x: from.x, y: from.y + 120 })
    const after = await until(
      () => pinBox(b),
      (box) => Math.abs(box.y - before.y) > 60,
      'the pin in the reviewer page after the card moved',
    )
    expect(Math.abs(after.x - before.x)).toBeLessThan(5)

    // B replies and resolves from the comments panel.
    await b.getByTestId('comments-button').click()
    const panelB = b.getByRole('complementary', { name: 'Comments' })
    await panelB.locator('.thread-head').first().click()
    await panelB.getByLabel('Reply').fill('We fall back to the wallet, see https://example.com/wallet')
    await panelB.getByRole('button', { name: 'Reply', exact: true }).click()
    await panelB.getByRole('link', { name: 'https://example.com/wallet' }).waitFor()
    await panelB.getByRole('button', { name: 'Resolve' }).click()

    // A, whose panel is open, sees the reply and the resolve live.
    const panelA = a.getByRole('complementary', { name: 'Comments' })
    await panelA.getByRole('tab', { name: /All/ }).click()
    await panelA.locator('[data-status="resolved"]').waitFor()
    // A's thread is still expanded from when A wrote it; open it only if it is not.
    const headA = panelA.locator('.thread-head').first()
    if ((await headA.getAttribute('aria-expanded')) !== 'true') await headA.click()
    await panelA.getByText('We fall back to the wallet').waitFor()
    await a.getByTestId('comment-pin').waitFor({ state: 'detached' })

    // The server has it all.
    const threads = await api<Array<{ status: string; messages: Array<{ body: string }> }>>(
      `/api/boards/${boardId}/comments`,
    )
    expect(threads).toHaveLength(1)
    expect(threads[0].status).toBe('resolved')
    expect(threads[0].messages.map((m) => m.body)).toEqual([
      'What happens when the card is declined twice?',
      'We fall back to the wallet, see https://example.com/wallet',
    ])

    // The reviewer's canvas is read-only: a drag with the rectangle tool draws nothing.
    const shapesBefore = await shapeCount(b)
    await b.keyboard.press('Escape')
    await b.mouse.click(400, 600)
    await b.keyboard.press('r')
    await drag(b, { x: 350, y: 560 }, { x: 500, y: 660 })
    expect(await shapeCount(b)).toBe(shapesBefore)
    const board = await api<{ title: string }>(`/api/boards/${boardId}`)
    expect(board.title).toBe('Checkout: declined cards')

    for (const browser of [editorBrowser, reviewerBrowser]) {
      expect(browser.errors.filter((e) => e.startsWith('pageerror'))).toEqual([])
    }
  })
})
