/**
 * Adding cards from the UI: a new card at the centre of the view, or a child card placed beside
 * its parent and bound to it with an arrow — the same relation a person draws by hand.
 */
import { createBindingId, createShapeId, type Editor, type TLArrowBinding, type TLShapeId } from 'tldraw'
import {
  CARD_SIZE,
  CARD_TYPE,
  defaultCardProps,
  KIND_LABEL,
  type CardKind,
  type CardShape,
} from '../../../shared/scope/card.ts'
import { profile } from '../user/profile.ts'

/** Gap between a parent and its children, and between stacked children. */
const CHILD_GAP = { x: 120, y: 28 }

export function isCard(shape: { type: string } | null | undefined): shape is CardShape {
  return shape?.type === CARD_TYPE
}

/** Kinds that can hang under a card of this kind, in the order quick actions offer them. */
export const CHILD_KINDS: Record<CardKind, CardKind[]> = {
  problem: ['solution', 'edge-case', 'metric'],
  solution: ['edge-case'],
  'edge-case': [],
  metric: [],
}

function newCardProps(kind: CardKind) {
  const me = profile.get()
  // Whoever creates a card owns it until they say otherwise: the engineering-owner check then
  // passes for engineers without extra clicks, and everyone sees who to ask.
  return { ...defaultCardProps(kind), owners: [{ name: me.name, discipline: me.discipline }] }
}

/** A new card in the middle of the viewport, selected and ready for its title. */
export function addCard(editor: Editor, kind: CardKind): TLShapeId | null {
  if (editor.getIsReadonly()) return null
  const id = createShapeId()
  const center = editor.getViewportPageBounds().center
  editor.markHistoryStoppingPoint(`add ${kind}`)
  editor.createShape<CardShape>({
    id,
    type: CARD_TYPE,
    x: center.x - CARD_SIZE.w / 2,
    y: center.y - CARD_SIZE.h / 2,
    props: newCardProps(kind),
  })
  editor.select(id)
  editor.setEditingShape(id)
  return id
}

/** The cards joined to `cardId` by arrows bound at both ends. */
export function linkedCards(editor: Editor, cardId: TLShapeId): CardShape[] {
  const result: CardShape[] = []
  for (const binding of editor.getBindingsToShape<TLArrowBinding>(cardId, 'arrow')) {
    const other = editor
      .getBindingsFromShape<TLArrowBinding>(binding.fromId, 'arrow')
      .find((b) => b.props.terminal !== binding.props.terminal)
    const shape = other && editor.getShape(other.toId)
    if (isCard(shape) && shape.id !== cardId) result.push(shape)
  }
  return result
}

/** A child card to the right of its parent, below its existing children, with the arrow. */
export function addChildCard(editor: Editor, parent: CardShape, kind: CardKind): TLShapeId | null {
  if (editor.getIsReadonly()) return null
  const siblings = linkedCards(editor, parent.id).filter((c) => c.x > parent.x)
  const lowest = siblings.reduce((y, c) => Math.max(y, c.y + c.props.h + CHILD_GAP.y), parent.y)
  const id = createShapeId()
  const arrowId = createShapeId()
  const x = parent.x + parent.props.w + CHILD_GAP.x
  const y = siblings.length ? lowest : parent.y
  editor.markHistoryStoppingPoint(`add ${kind} to ${parent.props.kind}`)
  editor.run(() => {
    editor.createShape<CardShape>({ id, type: CARD_TYPE, x, y, props: newCardProps(kind) })
    const from = { x: x + CARD_SIZE.w / 2, y: y + CARD_SIZE.h / 2 }
    const to = { x: parent.x + parent.props.w / 2, y: parent.y + parent.props.h / 2 }
    editor.createShape({
      id: arrowId,
      type: 'arrow',
      x: from.x,
      y: from.y,
      props: { start: { x: 0, y: 0 }, end: { x: to.x - from.x, y: to.y - from.y } },
    })
    editor.createBindings<TLArrowBinding>([
      {
        id: createBindingId(),
        type: 'arrow',
        fromId: arrowId,
        toId: id,
        props: { terminal: 'start', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false },
      },
      {
        id: createBindingId(),
        type: 'arrow',
        fromId: arrowId,
        toId: parent.id,
        props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false },
      },
    ])
  })
  editor.select(id)
  // The child lands beside its parent, which may be off screen: bring it into view.
  editor.zoomToSelectionIfOffscreen(64, { animation: { duration: 200 } })
  editor.setEditingShape(id)
  return id
}

export function quickActionLabel(kind: CardKind): string {
  return `Add ${KIND_LABEL[kind].toLowerCase()}`
}
