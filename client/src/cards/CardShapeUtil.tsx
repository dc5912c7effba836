/**
 * The scope card on the canvas: one tldraw shape type for the four kinds, so a card can change
 * kind without being redrawn. Props, validators and migrations come from shared/scope/card.ts,
 * which the server and the exports use too.
 */
import { BaseBoxShapeUtil, HTMLContainer, type TLResizeInfo, resizeBox } from 'tldraw'
import {
  CARD_SIZE,
  CARD_TYPE,
  cardMigrations,
  cardProps,
  defaultCardProps,
  type CardShape,
} from '../../../shared/scope/card.ts'
import { CardView } from './CardView.tsx'

export const CARD_MIN_SIZE = { w: 160, h: 90 } as const
const CARD_RADIUS = 10

export class CardShapeUtil extends BaseBoxShapeUtil<CardShape> {
  static override type = CARD_TYPE
  static override props = cardProps
  static override migrations = cardMigrations

  override getDefaultProps(): CardShape['props'] {
    return defaultCardProps('problem')
  }

  override canEdit(): boolean {
    return true
  }

  override onResize(shape: CardShape, info: TLResizeInfo<CardShape>) {
    return resizeBox(shape, info, { minWidth: CARD_MIN_SIZE.w, minHeight: CARD_MIN_SIZE.h })
  }

  override component(shape: CardShape) {
    return (
      <HTMLContainer>
        <CardView shape={shape} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: CardShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, CARD_RADIUS)
    return path
  }
}

export { CARD_SIZE }
