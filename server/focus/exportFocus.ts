/**
 * A focus's roll-up exports (JSON, Markdown) from its linked boards' documents. The HTTP routes
 * read the live rooms and the command-line exporter docs replayed from the data directory; both
 * come through here, so they give the same roll-up for the same boards.
 */
import type * as Y from 'yjs'
import {
  buildRollup,
  focusRef,
  renderRollupJson,
  renderRollupMarkdown,
  rollupFileName,
  type FocusRollup,
  type RollupFocus,
} from '../../shared/focus/index.ts'
import { boardScope } from '../../shared/scope/docScope.ts'
import type { RollupFormat } from './formats.ts'

export interface LinkedBoardDoc {
  board: { id: string; title: string }
  doc: Y.Doc
}

/** Each board's scope under this focus (so its "no-sprint-focus" check sees it), rolled up. */
export function rollupFromDocs(focus: RollupFocus, boards: Iterable<LinkedBoardDoc>): FocusRollup {
  const ref = focusRef(focus)
  return buildRollup(
    focus,
    [...boards].map(({ board, doc }) => boardScope(doc, board, ref)),
  )
}

export interface RollupExport {
  body: string
  contentType: string
  fileName: string
}

export function renderRollup(rollup: FocusRollup, format: RollupFormat, baseUrl: string | null): RollupExport {
  const fileName = rollupFileName(rollup.focus, format)
  switch (format) {
    case 'json':
      return { body: renderRollupJson(rollup), contentType: 'application/json; charset=utf-8', fileName }
    case 'md':
      return { body: renderRollupMarkdown(rollup, { baseUrl }), contentType: 'text/markdown; charset=utf-8', fileName }
    default: {
      const unknown: never = format
      throw new Error(`unknown roll-up format: ${String(unknown)}`)
    }
  }
}
