/**
 * The tldraw license key: needed in production (HTTPS on a host other than localhost), where
 * tldraw blanks the editor without one. The server puts TLDRAW_LICENSE_KEY into the page at run
 * time; VITE_TLDRAW_LICENSE_KEY bakes one in at build time (and serves `npm run dev`).
 */
export function licenseKey(): string | undefined {
  const fromPage = document.querySelector<HTMLMetaElement>('meta[name="tldraw-license-key"]')?.content
  return fromPage || (import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined) || undefined
}

/**
 * How often a board page asks again which sprint focus the board serves: someone else may link it
 * or edit the focus, and that context is not part of the board's document.
 */
export const BOARD_FOCUS_REFRESH_MS = 10_000

/**
 * How often the focus page polls its roll-up while the tab is visible. Polling one JSON document
 * is simpler and sturdier than holding a sync socket per linked board, and two seconds keeps the
 * page live enough to plan a sprint on.
 */
export const ROLLUP_POLL_MS = 2_000

/** How long a `#card=<id>` link waits for the card to arrive (a board still syncing) before giving up. */
export const CARD_LINK_WAIT_MS = 15_000
