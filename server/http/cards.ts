/**
 * `POST /api/boards/:id/cards`: adds a scope card, and the arrow to its parent, to the live board.
 * The change goes through the room like any client's edit, so it is on disk before anyone sees it
 * and every connected client gets it at once.
 */
import { Hono } from 'hono'
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

  app.post('/:id/cards', async function createCard(c) {
    const board = await requireBoard(deps, c.req.param('id'))
    const parsed = parseCardInput(await readJsonObject(c))
    if (!parsed.ok) throw httpError(400, parsed.message)

    let card: CreatedCard
    try {
      // The change runs in the room's queue on the doc as it is then, so two cards added at once
      // never land in the same free spot.
      card = await deps.rooms.use(board.id, async (room) => {
        const result: { card?: CreatedCard } = {}
        await room.change(`add ${parsed.input.kind} card`, (doc) => {
          result.card = addCard(doc, parsed.input, schema)
        })
        return result.card!
      })
    } catch (error) {
      if (error instanceof CardRefusal) throw httpError(error.status, error.message)
      throw error
    }
    deps.log.info({ board: board.id, card: card.id, kind: card.kind }, 'card added')
    return c.json(card, 201)
  })

  return app
}
