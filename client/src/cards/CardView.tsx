import { useEffect, useRef } from 'react'
import { useEditor, useValue } from 'tldraw'
import {
  CARD_LIMITS,
  cardLabel,
  effectiveStatus,
  KIND_LABEL,
  STATUS_LABEL,
  type CardShape,
} from '../../../shared/scope/card.ts'
import { initials } from '../user/profile.ts'
import { DISCIPLINE_SHORT, KIND_ICON } from './kindStyle.ts'

export function CardView({ shape }: { shape: CardShape }) {
  const editor = useEditor()
  const isEditing = useValue('editing card', () => editor.getEditingShapeId() === shape.id, [editor, shape.id])
  const { kind, title, details, owners, severity } = shape.props
  const status = effectiveStatus(kind, shape.props.status)
  const extra =
    kind === 'metric'
      ? shape.props.target
      : kind === 'solution'
        ? shape.props.appetite
        : kind === 'problem'
          ? shape.props.affected
          : ''

  return (
    <div
      className={`sb-card sb-card-${kind} sb-status-${status}`}
      style={{ width: shape.props.w, height: shape.props.h }}
      data-card-kind={kind}
      data-card-id={shape.id}
    >
      <div className="sb-card-head">
        <span className="sb-card-kind">
          <span aria-hidden>{KIND_ICON[kind]}</span> {KIND_LABEL[kind]}
        </span>
        {kind === 'edge-case' && <span className={`sb-chip sb-severity-${severity}`}>{severity}</span>}
        <span className={`sb-chip sb-chip-status`}>{STATUS_LABEL[status]}</span>
      </div>
      {isEditing ? (
        <TitleEditor shape={shape} />
      ) : (
        <div className={title ? 'sb-card-title' : 'sb-card-title sb-card-placeholder'}>{cardLabel(title, kind)}</div>
      )}
      {details && !isEditing && <div className="sb-card-details">{details}</div>}
      <div className="sb-card-foot">
        {extra && (
          <span className="sb-card-extra">
            {kind === 'metric' ? `Target: ${extra}` : kind === 'solution' ? `Appetite: ${extra}` : `Affects: ${extra}`}
          </span>
        )}
        <span className="sb-card-owners">
          {owners.slice(0, 3).map((o, i) => (
            <span key={i} className={`sb-owner sb-owner-${o.discipline}`} title={`${o.name} · ${o.discipline}`}>
              {initials(o.name)}
              <small>{DISCIPLINE_SHORT[o.discipline]}</small>
            </span>
          ))}
          {owners.length > 3 && <span className="sb-owner">+{owners.length - 3}</span>}
        </span>
      </div>
    </div>
  )
}

/** In-place title editing: Enter or Escape finishes, like tldraw's own text. */
function TitleEditor({ shape }: { shape: CardShape }) {
  const editor = useEditor()
  const ref = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    el.focus()
    el.select()
  }, [])
  return (
    <textarea
      ref={ref}
      className="sb-card-title-input"
      aria-label="Card title"
      value={shape.props.title}
      maxLength={CARD_LIMITS.title}
      placeholder={`Name this ${KIND_LABEL[shape.props.kind].toLowerCase()}`}
      onPointerDown={(e) => e.stopPropagation()}
      onChange={(e) =>
        editor.updateShape<CardShape>({
          id: shape.id,
          type: shape.type,
          props: { title: e.target.value.replace(/\n/g, ' ') },
        })
      }
      onKeyDown={(e) => {
        e.stopPropagation()
        if (e.key === 'Enter' || e.key === 'Escape') {
          e.preventDefault()
          editor.setEditingShape(null)
        }
      }}
    />
  )
}
