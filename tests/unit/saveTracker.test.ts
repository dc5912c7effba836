import { describe, expect, it } from 'vitest'
import { SaveTracker } from '../../client/src/sync/saveTracker.ts'

function tracker(connected = true) {
  const sent: number[] = []
  const link = { connected }
  const t = new SaveTracker(
    (seq) => {
      if (!link.connected) return false
      sent.push(seq)
      return true
    },
    () => undefined,
  )
  return { t, sent, link }
}

describe('SaveTracker', () => {
  it('is not saved until the server confirms the handshake', () => {
    const { t, sent } = tracker()
    expect(t.state).toBe('saving')
    t.noteSynced()
    expect(sent).toEqual([0])
    expect(t.state).toBe('saving')
    t.noteFlushed(0)
    expect(t.state).toBe('saved')
    expect(sent).toEqual([0])
  })

  it('keeps one request in flight and catches up with edits made meanwhile', () => {
    const { t, sent } = tracker()
    t.noteSynced()
    t.noteFlushed(0)
    t.noteLocalChange()
    t.noteLocalChange()
    t.noteLocalChange()
    expect(sent).toEqual([0, 1])
    t.noteFlushed(1)
    expect(t.state).toBe('saving')
    expect(sent).toEqual([0, 1, 3])
    t.noteFlushed(3)
    expect(t.state).toBe('saved')
  })

  it('forgets an unanswered request on disconnect and asks again after the next sync', () => {
    const { t, sent, link } = tracker()
    t.noteSynced()
    t.noteFlushed(0)
    t.noteLocalChange()
    t.noteDisconnected()
    link.connected = false
    t.noteLocalChange()
    expect(t.state).toBe('saving')
    // A late answer from the old socket confirms nothing.
    t.noteFlushed(1)
    expect(t.state).toBe('saving')
    link.connected = true
    t.noteSynced()
    expect(sent).toEqual([0, 1, 2])
    t.noteFlushed(2)
    expect(t.state).toBe('saved')
  })
})
