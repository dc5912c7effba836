import { useEffect, useState, type ReactNode } from 'react'
import { DISCIPLINE_LABEL, initials } from '../user/profile.ts'
import type { SessionSnapshot } from '../sync/BoardSession.ts'
import { ConnectionBadge } from './ConnectionBadge.tsx'
import { ProfileButton } from './ProfileButton.tsx'

const MAX_AVATARS = 6

interface BoardHeaderProps {
  snapshot: SessionSnapshot
  /** Null when this person may not rename the board. */
  onRename: ((title: string) => void) | null
  /** Follow a collaborator's viewport; null when the canvas is not ready. */
  onFollow: ((userId: string) => void) | null
  /** Board tools shown before the people (outline toggle, export). */
  children?: ReactNode
  /** What the board serves (its sprint focus), shown beside the title. */
  context?: ReactNode
}

export function BoardHeader({ snapshot, onRename, onFollow, children, context }: BoardHeaderProps) {
  const canRename = snapshot.phase.kind === 'ready' && onRename !== null
  const others = snapshot.collaborators
  return (
    <header className="board-header">
      <a className="home-link" href="/" title="All boards" aria-label="All boards">
        ▦
      </a>
      <TitleEditor title={snapshot.title} disabled={!canRename} onRename={(title) => onRename?.(title)} />
      <ConnectionBadge snapshot={snapshot} />
      {context}
      {snapshot.writeRefused && (
        <span className="status status-refused" role="alert" title={snapshot.writeRefused}>
          Some changes were not accepted
        </span>
      )}
      <div className="header-spacer" />
      {children}
      <ul className="avatars" aria-label="People on this board" data-testid="collaborators">
        {others.slice(0, MAX_AVATARS).map((c) => (
          <li key={c.clientId}>
            <button
              className="avatar"
              style={{ background: c.color }}
              title={`${c.name} · ${DISCIPLINE_LABEL[c.discipline] ?? c.discipline}${onFollow && c.userId ? ' (click to follow)' : ''}`}
              disabled={!onFollow || !c.userId}
              onClick={() => onFollow && c.userId && onFollow(c.userId)}
            >
              {initials(c.name)}
              <span className={`discipline discipline-${c.discipline}`} aria-hidden />
            </button>
          </li>
        ))}
        {others.length > MAX_AVATARS && <li className="avatar avatar-more">+{others.length - MAX_AVATARS}</li>}
      </ul>
      <ProfileButton />
    </header>
  )
}

function TitleEditor({
  title,
  disabled,
  onRename,
}: {
  title: string | null
  disabled: boolean
  onRename: (title: string) => void
}) {
  const [draft, setDraft] = useState(title ?? '')
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    if (!editing) setDraft(title ?? '')
  }, [title, editing])

  const commit = () => {
    setEditing(false)
    const next = draft.replace(/\s+/g, ' ').trim()
    if (next && next !== title) onRename(next)
    else setDraft(title ?? '')
  }
  return (
    <input
      className="title-input"
      aria-label="Board title"
      value={draft}
      placeholder={title === null ? 'Loading…' : 'Untitled board'}
      disabled={disabled}
      maxLength={200}
      onFocus={() => setEditing(true)}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur()
        if (e.key === 'Escape') {
          setDraft(title ?? '')
          setEditing(false)
          requestAnimationFrame(() => (e.target as HTMLInputElement).blur())
        }
      }}
    />
  )
}
