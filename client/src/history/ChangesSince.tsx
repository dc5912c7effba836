/**
 * The outline's "Changes since…" section: pick a snapshot, see what the scope gained, lost and
 * changed since then — card by card, field by field — live as the board moves, and copy it as
 * Markdown for the sprint issue. The scope-creep detector.
 */
import { useMemo, useState } from 'react'
import type { Editor } from 'tldraw'
import { cardLabel, KIND_LABEL, STATUS_LABEL, type CardKind, type CardStatus } from '../../../shared/scope/card.ts'
import {
  DIFF_FIELD_LABEL,
  DIFF_KINDS,
  diffScopes,
  diffSummary,
  isEmptyDiff,
  renderScopeDiffMarkdown,
  type DiffField,
  type DiffValue,
  type FieldChange,
} from '../../../shared/scope/diff.ts'
import type { Scope } from '../../../shared/scope/types.ts'
import type { SnapshotInfo } from '../api.ts'
import { KIND_ICON } from '../cards/kindStyle.ts'
import { jumpTo } from '../panels/OutlinePanel.tsx'
import { snapshotDate } from './snapshotDoc.ts'
import type { ChangesSince as Changes } from './useChangesSince.ts'

/** Longer text values are cut to this many characters in the list (the Markdown keeps them whole). */
const MAX_VALUE_CHARS = 80

/** Every card's title in the scope, by id: parents are shown by title, not id. */
function titlesOf(scope: Scope, into: Map<string, string>) {
  const cards = [
    ...scope.problems.flatMap((p) => [
      p,
      ...p.metrics,
      ...p.edgeCases,
      ...p.solutions.flatMap((s) => [s, ...s.edgeCases]),
    ]),
    ...scope.unlinked.solutions.flatMap((s) => [s, ...s.edgeCases]),
    ...scope.unlinked.edgeCases,
    ...scope.unlinked.metrics,
  ]
  for (const card of cards) into.set(card.id, cardLabel(card.title, card.kind))
}

function cut(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text
}

function valueText(field: DiffField, value: DiffValue, titles: Map<string, string>): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (Array.isArray(value)) {
    if (!value.length) return 'none'
    return cut(value.map((v) => (field === 'parents' ? (titles.get(v) ?? v) : v)).join(', '))
  }
  if (field === 'status' && value in STATUS_LABEL) return STATUS_LABEL[value as CardStatus]
  return value ? cut(value.replace(/\s+/g, ' ')) : 'empty'
}

export interface ChangesSinceProps {
  editor: Editor
  /** The scope the outline shows: the live board's, or the snapshot being viewed. */
  scope: Scope
  /** What `scope` is, for the Markdown heading ("live board", a snapshot's name). */
  scopeLabel: string
  /** The snapshot on the canvas, when one is: the diff then runs up to it rather than to now. */
  viewingName: string | null
  snapshots: SnapshotInfo[] | null
  changes: Changes
}

export function ChangesSincePanel({ editor, scope, scopeLabel, viewingName, snapshots, changes }: ChangesSinceProps) {
  const [copied, setCopied] = useState(false)
  const [copyError, setCopyError] = useState<string | null>(null)
  const from = changes.scope
  const diff = useMemo(() => (from ? diffScopes(from, scope) : null), [from, scope])
  const titles = useMemo(() => {
    const map = new Map<string, string>()
    if (from) titlesOf(from, map)
    titlesOf(scope, map)
    return map
  }, [from, scope])

  const copy = async () => {
    if (!diff || !changes.snapshot) return
    const markdown = renderScopeDiffMarkdown(diff, {
      from: `${changes.snapshot.name} (${changes.snapshot.createdAt})`,
      to: scopeLabel,
    })
    try {
      await navigator.clipboard.writeText(markdown)
      setCopied(true)
      setCopyError(null)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      setCopyError('The browser did not allow copying; use the scope-diff API instead (see the README).')
    }
  }

  return (
    <section className="changes" aria-label="Changes since a snapshot" data-testid="changes-since">
      <h2 className="side-title">Changes since</h2>
      {snapshots !== null && snapshots.length === 0 ? (
        <p className="muted small">
          Save a snapshot in History (say, “Sprint planning”) to see here how the scope moves after it.
        </p>
      ) : (
        <select
          className="changes-select"
          aria-label="Compare with snapshot"
          value={changes.snapshot?.id ?? ''}
          disabled={snapshots === null}
          onChange={(e) => changes.select(e.target.value || null)}
        >
          <option value="">{snapshots === null ? 'Loading snapshots…' : 'Pick a snapshot…'}</option>
          {snapshots?.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · {snapshotDate(s)}
            </option>
          ))}
        </select>
      )}
      {changes.snapshot && viewingName !== null && (
        <p className="muted small">Up to “{viewingName}”, the snapshot on the canvas.</p>
      )}
      {changes.loading && <p className="muted small">Reading the snapshot…</p>}
      {changes.error && (
        <p className="error small" role="alert">
          {changes.error}
        </p>
      )}
      {diff &&
        (isEmptyDiff(diff) ? (
          <p className="muted small" data-testid="changes-summary">
            No scope changes since then.
          </p>
        ) : (
          <>
            <p className="changes-summary small" data-testid="changes-summary">
              {diffSummary(diff)}
            </p>
            <ul className="changes-list" aria-label="Scope changes">
              {DIFF_KINDS.flatMap(([key, kind]) =>
                diff[key].added.map((card) => (
                  <ChangeItem key={`+${card.id}`} kind={kind} mark="added" title={card.title}>
                    <button type="button" className="change-title" onClick={() => jumpTo(editor, [card.id])}>
                      {cardLabel(card.title, kind)}
                    </button>
                  </ChangeItem>
                )),
              )}
              {DIFF_KINDS.flatMap(([key, kind]) =>
                diff[key].removed.map((card) => (
                  <ChangeItem key={`-${card.id}`} kind={kind} mark="removed" title={card.title}>
                    <span className="change-title">{cardLabel(card.title, kind)}</span>
                  </ChangeItem>
                )),
              )}
              {DIFF_KINDS.flatMap(([key, kind]) =>
                diff[key].changed.map((card) => (
                  <ChangeItem key={`~${card.id}`} kind={kind} mark="changed" title={card.title}>
                    <button type="button" className="change-title" onClick={() => jumpTo(editor, [card.id])}>
                      {cardLabel(card.title, kind)}
                    </button>
                    <ul className="change-fields">
                      {card.fields.map((f) => (
                        <FieldLine key={f.field} change={f} titles={titles} />
                      ))}
                    </ul>
                  </ChangeItem>
                )),
              )}
            </ul>
            <button type="button" className="small" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy as Markdown'}
            </button>
            {copyError && (
              <p className="error small" role="alert">
                {copyError}
              </p>
            )}
          </>
        ))}
    </section>
  )
}

const MARK: Record<'added' | 'removed' | 'changed', { sign: string; text: string }> = {
  added: { sign: '+', text: 'Added' },
  removed: { sign: '−', text: 'Removed' },
  changed: { sign: '~', text: 'Changed' },
}

function ChangeItem({
  kind,
  mark,
  title,
  children,
}: {
  kind: CardKind
  mark: 'added' | 'removed' | 'changed'
  title: string
  children: React.ReactNode
}) {
  return (
    <li
      className={`change change-${mark} tree-${kind}`}
      data-change={mark}
      title={`${MARK[mark].text} ${KIND_LABEL[kind].toLowerCase()}: ${title}`}
    >
      <span className="change-mark" aria-hidden>
        {MARK[mark].sign}
      </span>
      <span className="visually-hidden">{MARK[mark].text}: </span>
      <span className="tree-icon" aria-hidden>
        {KIND_ICON[kind]}
      </span>
      <div className="change-body">{children}</div>
    </li>
  )
}

function FieldLine({ change, titles }: { change: FieldChange; titles: Map<string, string> }) {
  return (
    <li>
      <span className="change-field">{DIFF_FIELD_LABEL[change.field]}:</span>{' '}
      <span className="change-from">{valueText(change.field, change.from, titles)}</span> →{' '}
      <span className="change-to">{valueText(change.field, change.to, titles)}</span>
    </li>
  )
}
