/**
 * A board's scope read straight from its Y.Doc: records, title and comment threads, under the focus
 * the board links to. The server's exports and scope diffs and the command-line exporter all read
 * a doc through here, so they agree on what a board's scope is.
 */
import type * as Y from 'yjs'
import { readThreads } from '../comments/model.ts'
import { MAX_TITLE_LENGTH, normalizeTitle, readTitle, recordsMap } from '../doc/layout.ts'
import { extractScope } from './extract.ts'
import type { FocusRef, Scope } from './types.ts'

/**
 * The title as the document holds it (renames live there); the board list's copy, mirrored from
 * it, only when the doc has none.
 */
export function boardTitle(doc: Y.Doc, listedTitle: string): string {
  return normalizeTitle(readTitle(doc)?.slice(0, MAX_TITLE_LENGTH)) ?? listedTitle
}

/** The board's scope from its doc, comment threads included, under the focus it links to. */
export function boardScope(doc: Y.Doc, board: { id: string; title: string }, focus: FocusRef | null): Scope {
  const ref = { id: board.id, title: boardTitle(doc, board.title) }
  return extractScope({ records: recordsMap(doc).values(), board: ref, focus, threads: readThreads(doc) })
}
