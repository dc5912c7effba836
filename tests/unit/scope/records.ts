/**
 * Board records as they sit in a doc's `records` map, built by hand: cards, arrows and their
 * bindings with every field the editor writes (a test loads them into tldraw's own schema to keep
 * them honest), comment threads as `readThreads` gives them, and "Checkout: declined cards", a
 * realistic board for the golden files.
 */
import type { CommentAuthor, CommentThread } from '../../../shared/comments/model.ts'
import { defaultCardProps, type CardKind, type CardProps, type Owner } from '../../../shared/scope/card.ts'
import type { FocusRef } from '../../../shared/scope/types.ts'

export const PAGE_ID = 'page:page'

type Rec = Record<string, unknown>

export function pageRecords(): Rec[] {
  return [
    { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
    { id: PAGE_ID, typeName: 'page', name: 'Page 1', index: 'a1', meta: {} },
  ]
}

function shapeBase(id: string, type: string, x: number, y: number, parentId = PAGE_ID): Rec {
  return {
    id: `shape:${id}`,
    typeName: 'shape',
    type,
    x,
    y,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    parentId,
    index: 'a1',
  }
}

export function card(
  id: string,
  kind: CardKind,
  title: string,
  props: Partial<CardProps> = {},
  at: { x?: number; y?: number; parentId?: string } = {},
): Rec {
  return {
    ...shapeBase(id, 'scope-card', at.x ?? 0, at.y ?? 0, at.parentId),
    props: { ...defaultCardProps(kind), title, ...props },
  }
}

export function arrowShape(id: string, x = 0, y = 0): Rec {
  return {
    ...shapeBase(id, 'arrow', x, y),
    props: {
      kind: 'arc',
      labelColor: 'black',
      color: 'black',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      arrowheadStart: 'none',
      arrowheadEnd: 'arrow',
      font: 'draw',
      start: { x: 0, y: 0 },
      end: { x: -97.5, y: 33.75 },
      bend: 0,
      richText: { type: 'doc', content: [{ type: 'paragraph' }] },
      labelPosition: 0.5,
      scale: 1,
      elbowMidPoint: 0.5,
    },
  }
}

export function binding(id: string, arrowId: string, targetId: string, terminal: 'start' | 'end'): Rec {
  return {
    id: `binding:${id}`,
    typeName: 'binding',
    type: 'arrow',
    fromId: `shape:${arrowId}`,
    toId: `shape:${targetId}`,
    meta: {},
    props: {
      isPrecise: false,
      isExact: false,
      normalizedAnchor: { x: 0.5, y: 0.5 },
      snap: 'center',
      terminal,
    },
  }
}

/** An arrow drawn from one card to another, bound at both ends. */
export function arrow(from: string, to: string, id = `arrow-${from}-${to}`): Rec[] {
  return [arrowShape(id), binding(`${id}-start`, id, from, 'start'), binding(`${id}-end`, id, to, 'end')]
}

export function frame(id: string, name: string, x: number, y: number): Rec {
  return { ...shapeBase(id, 'frame', x, y), props: { w: 900, h: 600, name, color: 'black' } }
}

/** A person as their browser profile says, with the id and colour an export must leave out. */
export function person(name: string, discipline: CommentAuthor['discipline']): CommentAuthor {
  return { id: `profile-${name.toLowerCase().replace(/\W+/g, '-')}`, name, color: '#1971c2', discipline }
}

export interface MessageSpec {
  by: CommentAuthor
  body: string
  at: string
  deleted?: boolean
}

/**
 * A thread as `readThreads` returns it. `on` is a bare shape id (a card's id), or a point anchor
 * when null; times are ISO strings, the first message's is the thread's creation time.
 */
export function thread(
  id: string,
  on: string | null,
  messages: MessageSpec[],
  resolved?: { by: CommentAuthor; at: string },
): CommentThread {
  const createdAt = messages[0].at
  const statusAt = resolved?.at ?? null
  const times = [createdAt, statusAt, ...messages.map((m) => m.at)].filter((t): t is string => t !== null)
  return {
    id,
    anchor: on === null ? { kind: 'point', pageId: PAGE_ID, x: 10, y: 20 } : { kind: 'shape', shapeId: `shape:${on}` },
    status: resolved ? 'resolved' : 'open',
    createdAt,
    statusAt,
    statusBy: resolved?.by ?? null,
    messages: messages.map((m, i) => ({
      id: `${id}-m${i}`,
      author: m.by,
      body: m.deleted ? '' : m.body,
      createdAt: m.at,
      editedAt: null,
      deletedAt: m.deleted ? m.at : null,
    })),
    lastActivityAt: times.reduce((a, b) => (b > a ? b : a)),
  }
}

export const eng = (name: string): Owner => ({ name, discipline: 'engineering' })
export const design = (name: string): Owner => ({ name, discipline: 'design' })
export const product = (name: string): Owner => ({ name, discipline: 'product' })

/** mulberry32, as in the store tests: the same shuffles on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

const ANA = eng('Ana Lopez')
const DEV = eng('Dev Patel')
const BEN = product('Ben Ito')
const CHLOE = design('Chloé Martin')

/**
 * "Checkout: declined cards", as a team would leave it after a scoping session: three problems
 * (one dropped, in a "Parked" frame), metrics, a chosen and a rejected solution, a solution that
 * serves two problems, an edge case on a solution and its problem, unlinked cards, a few plain
 * drawings, and titles that Markdown and spreadsheets would misread if not escaped.
 */
export function checkoutBoard(): {
  records: Rec[]
  board: { id: string; title: string }
  focus: FocusRef
  threads: CommentThread[]
} {
  const col = { metric: -400, problem: 0, solution: 420, edge: 840 }
  const records: Rec[] = [
    ...pageRecords(),
    card(
      'declines-end-checkout',
      'problem',
      'Card declines end the checkout',
      {
        owners: [ANA, BEN],
        affected: 'Shoppers paying by card, mostly in the EU',
        evidence: '3.1% of card checkouts fail with a decline; 40% of those shoppers never retry (September data)',
        details: 'Today a decline shows a generic error page\nand the cart is lost.',
      },
      { x: col.problem, y: 0 },
    ),
    card(
      'failure-rate',
      'metric',
      'Checkout failure rate',
      { status: 'tracking', target: '< 1.5% of card checkouts', owners: [BEN] },
      { x: col.metric, y: 0 },
    ),
    card(
      'recovered-declines',
      'metric',
      'Recovered declines',
      { target: '>= 30% of declined shoppers complete the purchase' },
      { x: col.metric, y: 180 },
    ),
    card(
      'keep-cart',
      'solution',
      'Keep the cart and offer another payment method',
      {
        status: 'chosen',
        appetite: '2 weeks',
        owners: [ANA, CHLOE],
        details: 'Stay on the payment step, keep the cart, suggest wallets and bank transfer.',
      },
      { x: col.solution, y: 0 },
    ),
    card(
      'declined-twice',
      'edge-case',
      'Shopper is declined twice in a row',
      { severity: 'high', status: 'handled', owners: [ANA], details: 'Second decline: show support contact.' },
      { x: col.edge, y: 0 },
    ),
    card(
      'sold-out',
      'edge-case',
      'Cart item sells out while the shopper retries',
      { severity: 'medium', details: 'Hold stock for 10 minutes, like "reserve", or warn?' },
      { x: col.edge, y: 180 },
    ),
    card(
      'no-wallet',
      'edge-case',
      "Wallet isn't available in the shopper's country",
      { severity: 'low', status: 'wont-handle', details: 'Bank transfer covers it.' },
      { x: col.edge, y: 360 },
    ),
    card(
      'rounding',
      'edge-case',
      '-1 cent rounding when the retry uses another currency',
      { severity: 'medium', owners: [DEV] },
      { x: col.edge, y: 540 },
    ),
    card(
      'auto-3ds',
      'solution',
      'Retry the charge automatically with 3-D Secure',
      {
        status: 'rejected',
        appetite: '6 weeks',
        owners: [DEV],
        details: 'Rejected: issuers read silent retries as a fraud signal.',
      },
      { x: col.solution, y: 360 },
    ),
    card(
      'bank-outage',
      'edge-case',
      'Bank outage declines every card',
      { severity: 'high', owners: [DEV, BEN] },
      { x: col.problem, y: 260 },
    ),
    card(
      'payment-link',
      'solution',
      'Email a payment link after a decline',
      { appetite: '1 week', owners: [BEN] },
      { x: col.solution, y: 720 },
    ),
    card(
      'unclear-messages',
      'problem',
      "Decline messages don't say what to do",
      {
        status: 'scoped',
        owners: [CHLOE],
        affected: 'Shoppers who see a decline',
        evidence: 'Support: ~120 tickets a week ask "why was my card declined?"',
      },
      { x: col.problem, y: 900 },
    ),
    card(
      'tickets',
      'metric',
      'Decline-related support tickets',
      { status: 'tracking', target: '< 40 a week' },
      { x: col.metric, y: 900 },
    ),
    card(
      'plain-advice',
      'solution',
      'Map decline codes to plain-language advice',
      { status: 'chosen', appetite: 'S', owners: [DEV, BEN] },
      { x: col.solution, y: 900 },
    ),
    card(
      'unknown-code',
      'edge-case',
      'Issuer sends a decline code we have no advice for',
      { severity: 'medium', status: 'handled', details: 'Fall back to "Try another card | contact your bank".' },
      { x: col.edge, y: 900 },
    ),
    card(
      'long-advice',
      'edge-case',
      'Advice text in `de-DE` is longer than the mobile banner',
      { severity: 'low', owners: [CHLOE] },
      { x: col.edge, y: 1080 },
    ),
    frame('parked', 'Parked', 1400, 900),
    card(
      'expired-saved-cards',
      'problem',
      'Saved cards expire silently',
      { status: 'dropped', owners: [ANA] },
      { x: 40, y: 60, parentId: 'shape:parked' },
    ),
    card(
      'time-to-pay',
      'metric',
      'Time to pay after a decline',
      { target: 'median < 90 s' },
      { x: col.metric, y: 1400 },
    ),
    card(
      'tab-closed',
      'edge-case',
      'Shopper closes the tab during 3-D Secure',
      { severity: 'high', status: 'open', owners: [eng('Sam Okafor')] },
      { x: col.edge, y: 1400 },
    ),
    card(
      'smart-retry',
      'solution',
      'Smart retry at a better time of day',
      { appetite: '3 weeks' },
      { x: col.solution, y: 1400 },
    ),
    card(
      'retry-after-expiry',
      'edge-case',
      'Retry lands after the cart has expired',
      { severity: 'medium' },
      { x: col.edge, y: 1580 },
    ),
    // Relations, drawn the way people draw them: children to parents, and some the other way.
    ...arrow('failure-rate', 'declines-end-checkout'),
    ...arrow('declines-end-checkout', 'recovered-declines'),
    ...arrow('keep-cart', 'declines-end-checkout'),
    ...arrow('declined-twice', 'keep-cart'),
    ...arrow('keep-cart', 'sold-out'),
    ...arrow('no-wallet', 'keep-cart'),
    ...arrow('rounding', 'keep-cart'),
    ...arrow('auto-3ds', 'declines-end-checkout'),
    ...arrow('bank-outage', 'declines-end-checkout'),
    ...arrow('payment-link', 'declines-end-checkout'),
    ...arrow('payment-link', 'unclear-messages'),
    ...arrow('tickets', 'unclear-messages'),
    ...arrow('plain-advice', 'unclear-messages'),
    ...arrow('unknown-code', 'plain-advice'),
    ...arrow('unknown-code', 'unclear-messages'),
    ...arrow('long-advice', 'plain-advice'),
    // A second arrow over an existing relation, and one the other way: still one relation.
    ...arrow('declined-twice', 'keep-cart', 'arrow-again'),
    ...arrow('keep-cart', 'declined-twice', 'arrow-back'),
    ...arrow('retry-after-expiry', 'smart-retry'),
    // Drawings, not relations: problem to problem, and an arrow bound at one end only.
    ...arrow('declines-end-checkout', 'unclear-messages', 'arrow-problems'),
    arrowShape('arrow-loose', 300, 300),
    binding('arrow-loose-start', 'arrow-loose', 'sold-out', 'start'),
  ]
  return {
    records,
    board: { id: 'k3v9q2m8x1ab', title: 'Checkout: declined cards' },
    focus: {
      id: 'focus-s42',
      sprint: 'Sprint 42',
      title: 'Fewer failed checkouts',
      goal: 'Halve failed card payments',
      metric: 'Checkout failure rate',
      strategy: 'Grow repeat purchases in the EU',
    },
    threads: checkoutThreads(),
  }
}

/**
 * The async review that followed the session: questions on the chosen solution (two still open,
 * one resolved), on a problem (with a deleted reply), on an edge case, a resolved one on the other
 * chosen solution, one on a frame and one on a point of the canvas (neither is part of the scope),
 * and one on a sketch that has since been deleted (orphaned). Bodies span lines and carry
 * characters Markdown would misread.
 */
export function checkoutThreads(): CommentThread[] {
  const ana = person('Ana Lopez', 'engineering')
  const dev = person('Dev Patel', 'engineering')
  const ben = person('Ben Ito', 'product')
  const chloe = person('Chloé Martin', 'design')
  return [
    thread('t-wallet-declined', 'keep-cart', [
      { by: dev, body: "What happens when the shopper's only wallet is declined too?", at: '2026-11-24T09:12:00.000Z' },
      {
        by: chloe,
        body: 'We show the support contact,\nsame as a second card decline.',
        at: '2026-11-24T10:40:00.000Z',
      },
      { by: ben, body: 'Agreed. Can we add it as an edge case?', at: '2026-11-25T08:05:00.000Z' },
    ]),
    thread('t-which-wallets', 'keep-cart', [
      {
        by: chloe,
        body: 'Which wallets come first? Apple Pay needs the *domain* verified.',
        at: '2026-11-24T11:00:00.000Z',
      },
    ]),
    thread(
      't-appetite',
      'keep-cart',
      [
        { by: ben, body: 'Is 2 weeks realistic with the wallet SDK upgrade?', at: '2026-11-23T16:30:00.000Z' },
        { by: ana, body: 'Yes: the upgrade shipped last sprint.', at: '2026-11-24T08:50:00.000Z' },
      ],
      { by: ben, at: '2026-11-24T09:00:00.000Z' },
    ),
    thread('t-other-device', 'declines-end-checkout', [
      {
        by: chloe,
        body: 'Do we know how many of the 40% come back later on another device?',
        at: '2026-11-24T13:20:00.000Z',
      },
      { by: dev, body: 'I guess <none>', at: '2026-11-24T13:25:00.000Z', deleted: true },
      { by: ana, body: "Not yet: analytics can't join sessions across devices.", at: '2026-11-24T15:02:00.000Z' },
    ]),
    thread('t-reserve', 'sold-out', [
      {
        by: ben,
        body: '# Reserve for 10 minutes | or warn? Check with inventory first.',
        at: '2026-11-25T09:30:00.000Z',
      },
    ]),
    thread(
      't-advice-copy',
      'plain-advice',
      [{ by: chloe, body: 'Who writes the advice copy?', at: '2026-11-23T10:00:00.000Z' }],
      { by: ben, at: '2026-11-23T12:00:00.000Z' },
    ),
    thread('t-parked', 'parked', [{ by: ana, body: 'Parked until Q1.', at: '2026-11-22T17:00:00.000Z' }]),
    thread('t-point', null, [{ by: ben, body: 'Nice session, everyone.', at: '2026-11-22T17:05:00.000Z' }]),
    thread('t-banner-sketch', 'banner-sketch', [
      { by: chloe, body: 'This sketch had the banner variant: keep it in mind.', at: '2026-11-22T16:00:00.000Z' },
    ]),
  ]
}
