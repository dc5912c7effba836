/**
 * Share links: one per role, each a URL that signs its opener in for this board only. Tokens are
 * shown once, when the link is made; the list shows links by role and date, each revocable.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, type LinkRole, type ShareLink } from '../api.ts'

const ROLE_HELP: Record<LinkRole, string> = {
  edit: 'Can edit the canvas, comment and share',
  comment: 'Can comment; the canvas is read-only',
  view: 'Can look and follow along; nothing else',
}
const ROLES: LinkRole[] = ['edit', 'comment', 'view']
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export function ShareButton({ boardId }: { boardId: string }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Share
      </button>
      {open && <ShareDialog boardId={boardId} onClose={() => setOpen(false)} />}
    </>
  )
}

function ShareDialog({ boardId, onClose }: { boardId: string; onClose(): void }) {
  const [links, setLinks] = useState<ShareLink[] | null>(null)
  const [created, setCreated] = useState<{ role: LinkRole; url: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)
  const dialog = useRef<HTMLDialogElement>(null)

  const load = useCallback(() => {
    api.listLinks(boardId).then(setLinks, (e: Error) => setError(e.message))
  }, [boardId])
  useEffect(() => {
    dialog.current?.showModal()
    load()
  }, [load])

  const create = async (role: LinkRole) => {
    setError(null)
    setCopied(false)
    try {
      const link = await api.createLink(boardId, role)
      setCreated({ role, url: link.url })
      load()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const revoke = async (link: ShareLink) => {
    setError(null)
    try {
      await api.revokeLink(boardId, link.id)
      load()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url)
      setCopied(true)
    } catch {
      setError('Copying was not allowed; select the link and copy it by hand.')
    }
  }

  return (
    <dialog ref={dialog} className="share-dialog" aria-label="Share this board" onClose={onClose}>
      <header>
        <h2>Share this board</h2>
        <button type="button" aria-label="Close" onClick={() => dialog.current?.close()}>
          ×
        </button>
      </header>
      <p className="muted small">A link signs its opener in for this board only, with the role you choose.</p>
      <div className="share-roles">
        {ROLES.map((role) => (
          <button key={role} type="button" onClick={() => create(role)} title={ROLE_HELP[role]}>
            New {role} link
          </button>
        ))}
      </div>
      {created && (
        <div className="share-created" role="status">
          <label>
            New {created.role} link — copy it now, it is not shown again
            <input
              readOnly
              value={created.url}
              onFocus={(e) => e.target.select()}
              aria-label={`New ${created.role} link`}
            />
          </label>
          <button type="button" onClick={() => copy(created.url)}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      )}
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <h3>Links</h3>
      {links === null ? (
        <p className="muted small">Loading…</p>
      ) : links.length === 0 ? (
        <p className="muted small">No links yet.</p>
      ) : (
        <ul className="share-links" aria-label="Existing links">
          {links.map((link) => (
            <li key={link.id}>
              <span className={`role-tag role-${link.role}`}>{link.role}</span>
              <span className="muted small">created {dateFormat.format(new Date(link.createdAt))}</span>
              <button
                type="button"
                onClick={() => revoke(link)}
                aria-label={`Revoke ${link.role} link created ${link.createdAt}`}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </dialog>
  )
}
