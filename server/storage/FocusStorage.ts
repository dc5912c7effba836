/**
 * What the server needs to keep sprint focuses and which board links to which. Kept apart from
 * BoardStorage so focuses can grow without touching the document log; the SQLite implementation
 * shares the boards' database (a board's link is its `focus_id`). Asynchronous, like BoardStorage,
 * so a networked engine can sit behind it.
 */
import type { Focus, FocusFields } from '../../shared/focus/model.ts'
import type { BoardId, FocusId } from '../../shared/ids.ts'

export interface FocusRecord extends Focus {
  id: FocusId
}

export type { FocusFields } from '../../shared/focus/model.ts'

export type DeleteFocusResult =
  { kind: 'deleted'; unlinked: BoardId[] } | { kind: 'linked'; boardIds: BoardId[] } | { kind: 'not-found' }

export type LinkBoardResult = 'linked' | 'no-board' | 'no-focus'

export interface FocusStorage {
  createFocus(id: FocusId, fields: FocusFields): Promise<FocusRecord>
  getFocus(id: FocusId): Promise<FocusRecord | null>
  /** Newest first. */
  listFocuses(): Promise<FocusRecord[]>
  /** Null when there is no such focus. */
  updateFocus(id: FocusId, changes: Partial<FocusFields>): Promise<FocusRecord | null>
  /**
   * Refused while boards link to it, unless `force`, which unlinks them in the same transaction.
   * Boards themselves are never deleted.
   */
  deleteFocus(id: FocusId, options: { force: boolean }): Promise<DeleteFocusResult>
  /** Links the board to the focus, or unlinks it with null; checks both exist in one transaction. */
  linkBoard(boardId: BoardId, focusId: FocusId | null): Promise<LinkBoardResult>
  /** The boards linked to the focus, sorted by id. */
  linkedBoards(focusId: FocusId): Promise<Array<{ id: BoardId; title: string }>>
  /** Every focus's linked board ids (sorted); focuses without boards are left out. */
  linkedBoardIds(): Promise<Map<FocusId, BoardId[]>>
  /** Closes what this storage opened itself; a storage sharing another's connection leaves it open. */
  close(): Promise<void>
}
