/**
 * A board's scope exports (JSON, Markdown, edge-case CSV) from its Y.Doc. The HTTP routes export
 * the live room's doc and the command-line exporter a doc replayed from the data directory; both
 * come through here, so the two give the same bytes for the same board.
 */
import * as Y from 'yjs'
import { boardScope } from '../../shared/scope/docScope.ts'
import {
  exportFileName,
  renderEdgeCaseCsv,
  renderScopeJson,
  renderScopeMarkdown,
  type FocusRef,
  type Scope,
} from '../../shared/scope/index.ts'
import type { ExportFormat } from './formats.ts'

const FORMATS: Record<ExportFormat, { contentType: string; render(scope: Scope): string }> = {
  json: { contentType: 'application/json; charset=utf-8', render: renderScopeJson },
  md: { contentType: 'text/markdown; charset=utf-8', render: renderScopeMarkdown },
  csv: { contentType: 'text/csv; charset=utf-8', render: renderEdgeCaseCsv },
}

export interface BoardExport {
  body: string
  contentType: string
  fileName: string
}

/** Replays a board's update log into a doc, as the room registry does when it loads a board. */
export function docFromUpdates(updates: Iterable<Uint8Array>): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update)
  })
  return doc
}

/** Reads the doc, its comment threads included, and renders one export; never changes the doc. */
export function exportBoard(
  doc: Y.Doc,
  board: { id: string; title: string },
  format: ExportFormat,
  focus: FocusRef | null = null,
): BoardExport {
  const scope = boardScope(doc, board, focus)
  const { contentType, render } = FORMATS[format]
  return { body: render(scope), contentType, fileName: exportFileName(scope.board, format) }
}
