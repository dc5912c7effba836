import type { SessionSnapshot } from '../sync/BoardSession.ts'
import { assertNever } from '../../../shared/assertNever.ts'

/** One honest line about where your edits are. */
export function connectionLabel(snapshot: SessionSnapshot): { state: string; text: string; detail: string } {
  const { connection, save } = snapshot
  switch (connection.kind) {
    case 'connecting':
      return { state: 'connecting', text: 'Connecting…', detail: 'Reaching the server' }
    case 'syncing':
      return { state: 'syncing', text: 'Syncing…', detail: 'Exchanging changes with the server' }
    case 'online':
      return save === 'saved'
        ? { state: 'saved', text: 'Saved', detail: 'Connected; the server has every change you made' }
        : { state: 'saving', text: 'Saving…', detail: 'Connected; sending your latest changes' }
    case 'offline':
      return {
        state: 'offline',
        text: 'Offline',
        detail: 'The server cannot be reached. Keep working: edits are kept in this browser and merge when it is back.',
      }
    case 'refused':
      return { state: 'refused', text: 'Not connected', detail: connection.reason }
    default:
      return assertNever(connection)
  }
}

export function ConnectionBadge({ snapshot }: { snapshot: SessionSnapshot }) {
  const { state, text, detail } = connectionLabel(snapshot)
  return (
    <span
      className={`status status-${state}`}
      data-testid="connection-status"
      data-state={state}
      title={detail}
      role="status"
    >
      <span className="status-dot" aria-hidden />
      {text}
    </span>
  )
}
