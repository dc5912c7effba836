/**
 * How cards enter tldraw's UI: an action per kind (toolbar button and keyboard shortcut), the
 * toolbar that shows them first, and the quick actions above a selected card.
 */
import type { HTMLAttributes } from 'react'
import {
  DefaultToolbar,
  DefaultToolbarContent,
  TldrawUiMenuItem,
  useActions,
  useEditor,
  useValue,
  type TLUiOverrides,
} from 'tldraw'
import { CARD_KINDS, KIND_LABEL, type CardKind } from '../../../shared/scope/card.ts'
import { useCommentsUi } from '../comments/CommentsContext.ts'
import { addCard, addChildCard, CHILD_KINDS, isCard, quickActionLabel } from './createCard.ts'
import { KIND_ICON } from './kindStyle.ts'

/** Shift + the kind's initial; none of these is taken by tldraw. */
export const CARD_SHORTCUTS: Record<CardKind, string> = {
  problem: 'shift+p',
  solution: 'shift+s',
  'edge-case': 'shift+e',
  metric: 'shift+m',
}

const actionId = (kind: CardKind) => `scopeboard.add-${kind}`

function KindIcon({ kind, ...rest }: { kind: CardKind } & HTMLAttributes<HTMLDivElement>) {
  return (
    <div {...rest} className={`sb-tool-icon sb-tool-${kind}`} aria-hidden>
      {KIND_ICON[kind]}
    </div>
  )
}

export const cardOverrides: TLUiOverrides = {
  actions(editor, actions) {
    for (const kind of CARD_KINDS) {
      actions[actionId(kind)] = {
        id: actionId(kind),
        label: `${actionId(kind)}.label`,
        kbd: CARD_SHORTCUTS[kind],
        icon: <KindIcon kind={kind} />,
        onSelect: () => {
          editor.setCurrentTool('select')
          addCard(editor, kind)
        },
      }
    }
    return actions
  },
  translations: {
    en: Object.fromEntries(
      CARD_KINDS.map((kind) => [`${actionId(kind)}.label`, `Add ${KIND_LABEL[kind].toLowerCase()} card`]),
    ),
  },
}

export function CardToolbar() {
  const actions = useActions()
  return (
    <DefaultToolbar>
      {CARD_KINDS.map((kind) => (
        <TldrawUiMenuItem key={kind} {...actions[actionId(kind)]} icon={<KindIcon kind={kind} />} />
      ))}
      <DefaultToolbarContent />
    </DefaultToolbar>
  )
}

/**
 * Buttons above a single selected shape: on a card, add the kinds that can hang under it; on any
 * shape, start a comment thread anchored to it.
 */
export function CardQuickActions() {
  const editor = useEditor()
  const comments = useCommentsUi()
  const canComment = comments?.canComment ?? false
  const canEdit = useValue('can edit', () => !editor.getIsReadonly(), [editor])
  const target = useValue(
    'quick action target',
    () => {
      const shape = editor.getOnlySelectedShape()
      if (!shape || editor.getEditingShapeId() || !editor.isIn('select.idle')) return null
      const kinds = isCard(shape) && canEdit ? CHILD_KINDS[shape.props.kind] : []
      if (kinds.length === 0 && !canComment) return null
      const bounds = editor.getShapePageBounds(shape)
      if (!bounds) return null
      const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
      return { shape, kinds, left: topLeft.x, top: topLeft.y }
    },
    [editor, canComment, canEdit],
  )
  if (!target) return null
  const { shape } = target
  return (
    <div
      className="sb-quick-actions"
      style={{ left: target.left, top: target.top - 40 }}
      role="toolbar"
      aria-label="Card quick actions"
    >
      {isCard(shape) &&
        target.kinds.map((kind) => (
          <button
            key={kind}
            type="button"
            className={`sb-quick-action sb-tool-${kind}`}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={() => addChildCard(editor, shape, kind)}
          >
            <span aria-hidden>{KIND_ICON[kind]}</span> {quickActionLabel(kind)}
          </button>
        ))}
      {canComment && comments && (
        <button
          type="button"
          className="sb-quick-action"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={() => comments.startComment(shape.id)}
        >
          <CommentIcon /> Comment
        </button>
      )}
    </div>
  )
}

function CommentIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden style={{ verticalAlign: '-1px' }}>
      <path d="M2 2h12v9H6l-4 3z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  )
}
