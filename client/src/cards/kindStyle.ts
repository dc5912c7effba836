import type { CardKind } from '../../../shared/scope/card.ts'

/** Icon and CSS class per kind; the colours live in cards.css for light and dark mode. */
export const KIND_ICON: Record<CardKind, string> = {
  problem: '⚑',
  solution: '◆',
  'edge-case': '⚠',
  metric: '◎',
}

export const DISCIPLINE_SHORT = { engineering: 'Eng', design: 'Des', product: 'Prod' } as const
