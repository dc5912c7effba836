import { useEffect, useState } from 'react'
import { DISCIPLINE_LABEL, initials } from '../user/profile.ts'
import type { SessionSnapshot } from '../sync/BoardSession.ts'
import { ConnectionBadge } from './ConnectionBadge.tsx'
import { ProfileButton } from './ProfileButton.tsx'

const MAX_AVATARS = 6

export function BoardHeader({ snapshot, onRename }: { snapshot: SessionSnapshot; onRename: (title: string) => void }) {
  const canRename = snapshot.phase.kind === 'ready'
  const others = snapshot.collaborators
  return (
    <header className="board-header">
      <a className="home-link" href="/" title="All boards" aria-label="All boards">
        ▦
      </a>
      <TitleEditor title={snapshot.title} disabled={!canRename} onRename={onRename} />
      <ConnectionBadge snapshot={snapshot} />
      <div className="header-spacer" />
      <ul className="avatars" aria-label="People on this board" data-testid="collaborators">
        {others.slice(0, MAX_AVATARS).map((c) => (
          <li key={c.clientId} className="avatar" style={{ background: c.color }} title={`${c.name} · ${DISCIPLINE_LABEL[c.discipline] ?? c.discipline}`}>
            {initials(c.name)}
            <span className={`discipline discipline-${c.discipline}`} aria-hidden />
          </li>
        ))}
        {others.length > MAX_AVATARS && <li className="avatar avatar-more">+{others.length - MAX_AVATARS}</li>}
      </ul>
      <ProfileButton />
    </header>
  )
}

function TitleEditor({ title, disabled, onRename }: { title: string | null; disabled: boolean; onRename: (title: string) => void }) {
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
