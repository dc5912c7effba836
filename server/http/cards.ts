/**
 * `POST /api/boards/:id/cards`: adds a scope card, and the arrow to its parent, to the live board.
 * The change goes through the room like any client's edit, so it is on disk before anyone sees it
 * and every connected client gets it at once.
 */
import { Hono } from 'hono'
import type { BoardId } from '../../shared/ids.ts'
import { createScopeboardSchema } from '../../shared/scope/schema.ts'
import { addCard, CardRefusal, type CreatedCard } from '../scope/addCard.ts'
import { parseCardInput } from '../scope/cardInput.ts'
import type { AppDeps, AppEnv } from './env.ts'
import { httpError } from './errors.ts'
import { readJsonObject } from './json.ts'
import { requireBoard } from './scope.ts'

export function cardRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  // Building a schema walks every migration sequence; one per app is plenty.
  const schema = createScopeboardSchema()
  const pending = new Map<BoardId, Promise<unknown>>()

  /**
   * Card additions to one board run one after another. `room.change` builds its change on a copy
   * of the doc as it is when called; two requests at once would both place their card in the same
   * free spot.
   */
  async function oneAtATime<T>(id: BoardId, task: () => Promise<T>): Promise<T> {
    const current = (pending.get(id) ?? Promise.resolve()).catch(() => undefined).then(task)
    pending.set(id, current)
    try {
      return await current
    } finally {
      if (pending.get(id) === current) pending.delete(id)
    }
  }

  app.post('/:id/cards', async function createCard(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const parsed = parseCardInput(await readJsonObject(c))
    if (!parsed.ok) throw httpError(400, parsed.message)

    let card: CreatedCard
    try {
      card = await deps.rooms.use(board.id, (room) =>
        oneAtATime(board.id, async () => {
          const result: { card?: CreatedCard } = {}
          await room.change(`add ${parsed.input.kind} card`, (doc) => {
            result.card = addCard(doc, parsed.input, schema)
          })
          return result.card!
        }),
      )
    } catch (error) {
      if (error instanceof CardRefusal) throw httpError(error.status, error.message)
      throw error
    }
    deps.log.info({ board: board.id, card: card.id, kind: card.kind }, 'card added')
    return c.json(card, 201)
  })

  return app
}
