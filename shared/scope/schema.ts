/** The full tldraw record schema of a Scopeboard document: tldraw's defaults plus the scope card. */
import { createTLSchema, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import { CARD_TYPE, cardMigrations, cardProps } from './card.ts'

export function createScopeboardSchema(): TLSchema {
  return createTLSchema({
    shapes: { ...defaultShapeSchemas, [CARD_TYPE]: { props: cardProps, migrations: cardMigrations } },
  })
}
