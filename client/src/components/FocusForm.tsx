/**
 * Creates or edits a sprint focus: sprint, focus statement, goal, success metric, the strategy
 * it serves, dates and status. The server checks everything and its message is shown as is.
 */
import { useId, useState, type FormEvent } from 'react'
import { FOCUS_LIMITS, FOCUS_STATUS_LABEL, FOCUS_STATUSES, type Focus } from '../../../shared/focus/model.ts'
import type { FocusInput } from '../api.ts'

export interface FocusFormProps {
  /** The focus being edited; none for a new one. */
  initial?: Focus
  /** Sprints already in use, offered as suggestions. */
  sprints?: string[]
  submitLabel: string
  onSubmit(input: FocusInput): Promise<void>
  onCancel?: () => void
}

function draftOf(focus?: Focus): Record<keyof FocusInput, string> {
  return {
    sprint: focus?.sprint ?? '',
    title: focus?.title ?? '',
    goal: focus?.goal ?? '',
    metric: focus?.metric ?? '',
    strategy: focus?.strategy ?? '',
    startDate: focus?.startDate ?? '',
    endDate: focus?.endDate ?? '',
    status: focus?.status ?? 'planned',
  }
}

export function FocusForm({ initial, sprints = [], submitLabel, onSubmit, onCancel }: FocusFormProps) {
  const [draft, setDraft] = useState(() => draftOf(initial))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const listId = useId()
  const field = (name: keyof FocusInput) => ({
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value })),
  })

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await onSubmit({
        sprint: draft.sprint,
        title: draft.title,
        goal: draft.goal || null,
        metric: draft.metric || null,
        strategy: draft.strategy || null,
        startDate: draft.startDate || null,
        endDate: draft.endDate || null,
        status: draft.status as FocusInput['status'],
      })
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="focus-form" onSubmit={submit} aria-label={initial ? 'Edit focus' : 'New focus'}>
      <div className="focus-form-row">
        <label>
          Sprint
          <input
            required
            maxLength={FOCUS_LIMITS.sprint}
            placeholder="Sprint 42 or 2026-W49"
            list={listId}
            {...field('sprint')}
          />
          <datalist id={listId}>
            {sprints.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
        <label>
          Status
          <select {...field('status')}>
            {FOCUS_STATUSES.map((s) => (
              <option key={s} value={s}>
                {FOCUS_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Starts
          <input type="date" {...field('startDate')} />
        </label>
        <label>
          Ends
          <input type="date" {...field('endDate')} />
        </label>
      </div>
      <label>
        Focus statement
        <input
          required
          maxLength={FOCUS_LIMITS.title}
          placeholder="What this sprint is about, e.g. Make checkout trustworthy"
          {...field('title')}
        />
      </label>
      <label>
        Goal
        <textarea rows={2} maxLength={FOCUS_LIMITS.goal} placeholder="The outcome we want" {...field('goal')} />
      </label>
      <label>
        Success metric
        <input
          maxLength={FOCUS_LIMITS.metric}
          placeholder="How we will know, e.g. completion above 70%"
          {...field('metric')}
        />
      </label>
      <label>
        Strategy it serves
        <textarea
          rows={2}
          maxLength={FOCUS_LIMITS.strategy}
          placeholder="Boards under a focus without a strategy warn that they lack direction"
          {...field('strategy')}
        />
      </label>
      <div className="focus-form-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  )
}
