/** The focus a board links to, as the board routes and its scope exports need it. */
import { parseFocusId } from '../../shared/ids.ts'
import type { BoardMeta } from '../storage/BoardStorage.ts'
import type { FocusRecord, FocusStorage } from '../storage/FocusStorage.ts'

/** Null when the board links to none (or to a focus that is gone, which deleting prevents). */
export async function focusOfBoard(focuses: FocusStorage, board: BoardMeta): Promise<FocusRecord | null> {
  const id = parseFocusId(board.focusId)
  return id ? focuses.getFocus(id) : null
}
