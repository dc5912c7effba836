/**
 * The roll-up as JSON. `buildRollup` writes every object in one fixed key order, so the same
 * focus and boards always give byte-identical JSON.
 */
import { exportFileName } from '../scope/renderJson.ts'
import type { FocusRollup } from './types.ts'

export function renderRollupJson(rollup: FocusRollup): string {
  return JSON.stringify(rollup, null, 2) + '\n'
}

/** `sprint-42-make-checkout-trustworthy-scope.md`: the sprint and the statement, ASCII only. */
export function rollupFileName(focus: { id: string; sprint: string; title: string }, ext: 'json' | 'md'): string {
  return exportFileName({ id: focus.id, title: `${focus.sprint} ${focus.title}` }, ext)
}
