/**
 * Every field of the selected card, beside the canvas. Edits go through the editor like any
 * canvas change, so they sync, undo and work offline the same way.
 */
import { useValue, type Editor } from 'tldraw'
import {
  CARD_KINDS,
  CARD_LIMITS,
  DISCIPLINES,
  effectiveStatus,
  isStatusOf,
  KIND_LABEL,
  SEVERITIES,
  STATUS_LABEL,
  STATUSES,
  DEFAULT_STATUS,
  type CardKind,
  type CardProps,
  type CardShape,
  type Discipline,
  type Owner,
} from '../../../shared/scope/card.ts'
import { isCard } from '../cards/createCard.ts'
import { profile } from '../user/profile.ts'

/** `readOnly`: why the fields cannot be changed ("a snapshot", "your link is view-only"), or false. */
export function Inspector({ editor, readOnly }: { editor: Editor; readOnly: string | false }) {
  const card = useValue(
    'inspected card',
    () => {
      const shape = editor.getOnlySelectedShape()
      return isCard(shape) ? shape : null
    },
    [editor],
  )
  if (!card) return null

  const update = (props: Partial<CardProps>) => {
    editor.updateShape<CardShape>({ id: card.id, type: card.type, props })
  }
  const { kind } = card.props
  const status = effectiveStatus(kind, card.props.status)

  return (
    <aside className="side-panel inspector" aria-label="Card details">
      <h2 className="side-title">{KIND_LABEL[kind]} card</h2>
      {readOnly && <p className="muted small">Read-only: {readOnly}.</p>}
      <fieldset disabled={readOnly !== false} className="inspector-fields">
        <label>
          Kind
          <select
            value={kind}
            onChange={(e) => {
              const next = e.target.value as CardKind
              update({
                kind: next,
                status: isStatusOf(next, card.props.status) ? card.props.status : DEFAULT_STATUS[next],
              })
            }}
          >
            {CARD_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Title
          <input
            value={card.props.title}
            maxLength={CARD_LIMITS.title}
            onChange={(e) => update({ title: e.target.value })}
          />
        </label>
        <label>
          Details
          <textarea
            rows={4}
            value={card.props.details}
            maxLength={CARD_LIMITS.details}
            onChange={(e) => update({ details: e.target.value })}
          />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => update({ status: e.target.value })}>
            {STATUSES[kind].map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        {kind === 'edge-case' && (
          <label>
            Severity
            <select
              value={card.props.severity}
              onChange={(e) => update({ severity: e.target.value as CardProps['severity'] })}
            >
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'problem' && (
          <>
            <TextField
              label="Who is affected"
              value={card.props.affected}
              onChange={(affected) => update({ affected })}
            />
            <TextField
              label="Evidence / context"
              value={card.props.evidence}
              onChange={(evidence) => update({ evidence })}
              multiline
            />
          </>
        )}
        {kind === 'solution' && (
          <>
            <TextField
              label="Appetite / effort"
              value={card.props.appetite}
              onChange={(appetite) => update({ appetite })}
            />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={card.props.noEdgeCases}
                onChange={(e) => update({ noEdgeCases: e.target.checked })}
              />
              We looked for edge cases and found none
            </label>
          </>
        )}
        {kind === 'metric' && (
          <TextField label="Target" value={card.props.target} onChange={(target) => update({ target })} />
        )}
        <OwnersField owners={card.props.owners} onChange={(owners) => update({ owners })} />
      </fieldset>
    </aside>
  )
}

function TextField({
  label,
  value,
  onChange,
  multiline,
}: {
  label: string
  value: string
  onChange(v: string): void
  multiline?: boolean
}) {
  return (
    <label>
      {label}
      {multiline ? (
        <textarea rows={3} value={value} maxLength={CARD_LIMITS.field} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input value={value} maxLength={CARD_LIMITS.field} onChange={(e) => onChange(e.target.value)} />
      )}
    </label>
  )
}

function OwnersField({ owners, onChange }: { owners: Owner[]; onChange(owners: Owner[]): void }) {
  const me = profile.get()
  const isOwner = owners.some((o) => o.name === me.name)
  const set = (i: number, change: Partial<Owner>) => onChange(owners.map((o, j) => (j === i ? { ...o, ...change } : o)))
  return (
    <div className="owners-field" role="group" aria-label="Owners">
      <span className="field-label">Owners</span>
      {owners.length === 0 && <span className="muted">No owner yet</span>}
      {owners.map((owner, i) => (
        <div className="owner-row" key={i}>
          <input
            aria-label={`Owner ${i + 1} name`}
            value={owner.name}
            maxLength={CARD_LIMITS.ownerName}
            onChange={(e) => set(i, { name: e.target.value })}
          />
          <select
            aria-label={`Owner ${i + 1} discipline`}
            value={owner.discipline}
            onChange={(e) => set(i, { discipline: e.target.value as Discipline })}
          >
            {DISCIPLINES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-label={`Remove ${owner.name || 'owner'}`}
            onClick={() => onChange(owners.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      {owners.length < CARD_LIMITS.owners && (
        <div className="owner-actions">
          {!isOwner && (
            <button type="button" onClick={() => onChange([...owners, { name: me.name, discipline: me.discipline }])}>
              Add me
            </button>
          )}
          <button type="button" onClick={() => onChange([...owners, { name: '', discipline: 'engineering' }])}>
            Add owner
          </button>
        </div>
      )}
    </div>
  )
}
