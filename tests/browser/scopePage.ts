/**
 * What a person does and sees with scope cards, for the browser tests: cards on the canvas, the
 * outline's tree, health checks and readiness. Every wait polls for a condition with a deadline
 * (STYLE habit 10) and fails saying what it saw last.
 */
import type { Locator, Page } from 'playwright-core'
import type { CardKind } from '../../shared/scope/card.ts'
import type { HealthCheckId } from '../../shared/scope/types.ts'
import { withTimeout } from '../helpers/wait.ts'
import { UI_TIMEOUT_MS } from './boardPage.ts'

/** A check as the outline shows it: passed, or failing with its severity. */
export type CheckState = 'passed' | 'blocking' | 'warning'

const POLL_MS = 50
/** Animation frames a card must keep its place on screen to count as settled. */
const SETTLED_FRAMES = 4

/** Polls `read` until `done` holds; the timeout names what was awaited and what was seen last. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  label: string,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  let lastError: unknown
  for (;;) {
    try {
      last = await read()
      lastError = undefined
      if (done(last)) return last
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      const seen = lastError instanceof Error ? `error: ${lastError.message}` : JSON.stringify(last, null, 2)
      throw new Error(`${label}: not so within ${timeoutMs} ms; last seen: ${seen}`)
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/** The card of this kind whose title (or placeholder) contains `title`. */
export function card(page: Page, kind: CardKind, title: string): Locator {
  return page.locator(`.sb-card-${kind}`, { hasText: title })
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** Where the card is on screen, in viewport pixels. */
export async function cardBox(page: Page, kind: CardKind, title: string): Promise<Box> {
  const box = await card(page, kind, title).first().boundingBox({ timeout: UI_TIMEOUT_MS })
  if (!box) throw new Error(`the ${kind} card "${title}" is not on screen`)
  return box
}

export function centre(box: Box): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

/**
 * A new card opens in title editing; types once the title box has the keyboard focus (typing
 * earlier would go to the canvas as shortcuts), and Enter finishes.
 */
export async function typeCardTitle(page: Page, title: string, label: string): Promise<void> {
  try {
    await page.waitForFunction(
      () => {
        const el = document.activeElement
        return el instanceof HTMLTextAreaElement && el.getAttribute('aria-label') === 'Card title'
      },
      undefined,
      { timeout: UI_TIMEOUT_MS, polling: POLL_MS },
    )
  } catch {
    const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? null)
    throw new Error(
      `${label}: the card title box did not get the focus within ${UI_TIMEOUT_MS} ms; focus is on ${focused}`,
    )
  }
  await page.keyboard.type(title)
  await page.keyboard.press('Enter')
  await page.locator('textarea[aria-label="Card title"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS })
}

/** Clicks a quick action ("Add solution"…) above the one selected card. */
export async function quickAction(page: Page, name: string): Promise<void> {
  await page
    .getByRole('toolbar', { name: 'Card quick actions' })
    .getByRole('button', { name, exact: true })
    .click({ timeout: UI_TIMEOUT_MS })
}

/**
 * Selects a card by clicking it in the outline, which also brings it into view: a card the camera
 * left half off screen cannot be clicked on the canvas. Waits for the inspector to show it.
 */
export async function selectCard(page: Page, kind: CardKind, title: string): Promise<Locator> {
  await page
    .getByRole('complementary', { name: 'Scope outline' })
    .locator(`.tree-item.tree-${kind}`)
    .filter({ has: page.locator('.tree-title', { hasText: title }) })
    .first()
    .click({ timeout: UI_TIMEOUT_MS })
  const inspector = page.getByRole('complementary', { name: 'Card details' })
  await until(
    async () => ({
      title: await inspector.getByLabel('Title').inputValue({ timeout: 1_000 }),
      kind: await inspector.getByLabel('Kind').inputValue({ timeout: 1_000 }),
    }),
    (shown) => shown.title === title && shown.kind === kind,
    `the inspector after clicking the ${kind} "${title}" in the outline`,
  )
  await waitForCardToSettle(page, kind, title)
  return inspector
}

/**
 * Waits until the card stays put on screen for a few animation frames: the outline and the quick
 * actions move the camera with an animation, and a card created or grabbed mid-flight lands
 * somewhere else than intended.
 */
export async function waitForCardToSettle(page: Page, kind: CardKind, title: string): Promise<void> {
  const settled = card(page, kind, title)
    .first()
    .evaluate(
      (el, frames) =>
        new Promise<void>((resolve) => {
          let last = ''
          let same = 0
          const tick = () => {
            const r = el.getBoundingClientRect()
            const key = `${r.x},${r.y},${r.width},${r.height}`
            same = key === last ? same + 1 : 0
            last = key
            if (same >= frames) resolve()
            else requestAnimationFrame(tick)
          }
          requestAnimationFrame(tick)
        }),
      SETTLED_FRAMES,
      { timeout: UI_TIMEOUT_MS },
    )
  await withTimeout(settled, UI_TIMEOUT_MS, `the ${kind} card "${title}" to stop moving on screen`)
}

/** Drags with the mouse in small steps, as a hand would, so tldraw sees a drag and not a click. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 })
  await page.mouse.move(to.x, to.y, { steps: 8 })
  await page.mouse.up()
}

/**
 * Draws an arrow by hand from one card's centre to another's: "a" picks the arrow tool, and an
 * arrow that starts and ends inside cards is bound to both, which is what relates them.
 */
export async function drawArrow(
  page: Page,
  from: { kind: CardKind; title: string },
  to: { kind: CardKind; title: string },
): Promise<void> {
  const start = centre(await cardBox(page, from.kind, from.title))
  const end = centre(await cardBox(page, to.kind, to.title))
  await page.keyboard.press('a')
  await until(
    () => page.evaluate(() => document.querySelector('[data-testid="tools.arrow"]')?.getAttribute('aria-pressed')),
    (pressed) => pressed === 'true',
    'the arrow tool after pressing "a"',
  )
  await drag(page, start, end)
  await page.keyboard.press('Escape')
}

/**
 * The outline's tree and its unlinked list as indented lines, "kind: title [status]", two spaces
 * per level, so a failed comparison reads like the panel.
 */
export function outline(page: Page): Promise<{ tree: string[]; unlinked: string[] }> {
  return page.evaluate(() => {
    const lines = (list: Element | null, depth = 0): string[] =>
      [...(list?.children ?? [])].flatMap((li) => {
        const item = li.querySelector(':scope > .tree-item')
        if (!item) return []
        const kind = [...item.classList].find((c) => c.startsWith('tree-') && c !== 'tree-item')?.slice(5)
        const title = item.querySelector('.tree-title')?.textContent ?? ''
        const status = item.querySelector('.tree-status')?.textContent ?? ''
        return [
          `${'  '.repeat(depth)}${kind}: ${title} [${status}]`,
          ...lines(li.querySelector(':scope > ul'), depth + 1),
        ]
      })
    return {
      tree: lines(document.querySelector('ul[aria-label="Scope tree"]')),
      unlinked: lines(document.querySelector('ul[aria-label="Unlinked cards"]')),
    }
  })
}

export async function waitForOutline(
  page: Page,
  expected: { tree: string[]; unlinked: string[] },
  label: string,
): Promise<void> {
  const want = JSON.stringify(expected)
  await until(
    () => outline(page),
    (seen) => JSON.stringify(seen) === want,
    `${label}: expected the outline ${JSON.stringify(expected, null, 2)}`,
  )
}

/** Each health check's state as the outline shows it (its class), and whether it says ready. */
export function health(page: Page): Promise<{ ready: string | null; checks: Record<string, string> }> {
  return page.evaluate(() => {
    const checks: Record<string, string> = {}
    for (const li of document.querySelectorAll('li[data-check]')) {
      const state = ['passed', 'blocking', 'warning'].find((c) => li.classList.contains(c))
      checks[li.getAttribute('data-check') ?? '?'] = state ?? li.className
    }
    return { ready: document.querySelector('[data-testid="readiness"]')?.getAttribute('data-ready') ?? null, checks }
  })
}

/** Waits until the named checks are in these states and readiness says `ready`. */
export async function waitForHealth(
  page: Page,
  expected: { ready: boolean; checks: Partial<Record<HealthCheckId, CheckState>> },
  label: string,
): Promise<void> {
  await until(
    () => health(page),
    (seen) =>
      seen.ready === String(expected.ready) &&
      Object.entries(expected.checks).every(([id, state]) => seen.checks[id] === state),
    `${label}: expected ready=${expected.ready} and ${JSON.stringify(expected.checks)}`,
  )
}
