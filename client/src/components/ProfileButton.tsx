import { useValue } from '@tldraw/state-react'
import { useCallback, useRef, useState } from 'react'
import { useDismiss } from './useDismiss.ts'
import {
  DISCIPLINE_LABEL,
  DISCIPLINES,
  initials,
  PROFILE_COLORS,
  profile,
  updateProfile,
  type Discipline,
} from '../user/profile.ts'

/** Your own avatar; opens a small form to say who you are (kept in this browser). */
export function ProfileButton() {
  const me = useValue(profile)
  const [open, setOpen] = useState(false)
  const [name, setName] = useState(me.name)
  const panel = useRef<HTMLDivElement>(null)

  const close = useCallback(() => setOpen(false), [])
  useDismiss(open, panel, close)

  return (
    <div className="profile" ref={panel}>
      <button
        className="avatar avatar-me"
        style={{ background: me.color }}
        title={`You: ${me.name} · ${DISCIPLINE_LABEL[me.discipline]}${me.confirmed ? '' : ' (click to set your name)'}`}
        aria-label="Your profile"
        aria-expanded={open}
        onClick={() => {
          setName(me.name)
          setOpen(!open)
        }}
      >
        {initials(me.name)}
        {!me.confirmed && <span className="avatar-dot" aria-hidden />}
      </button>
      {open && (
        <form
          className="profile-panel"
          aria-label="Who you are"
          onSubmit={(e) => {
            e.preventDefault()
            updateProfile({ name, confirmed: true })
            setOpen(false)
          }}
        >
          <label>
            Display name
            <input autoFocus value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
          </label>
          <fieldset>
            <legend>Colour</legend>
            <div className="swatches">
              {PROFILE_COLORS.map((color) => (
                <button
                  type="button"
                  key={color}
                  className={color === me.color ? 'swatch selected' : 'swatch'}
                  style={{ background: color }}
                  aria-label={`Colour ${color}`}
                  aria-pressed={color === me.color}
                  onClick={() => updateProfile({ color })}
                />
              ))}
            </div>
          </fieldset>
          <label>
            Discipline
            <select value={me.discipline} onChange={(e) => updateProfile({ discipline: e.target.value as Discipline })}>
              {DISCIPLINES.map((d) => (
                <option key={d} value={d}>
                  {DISCIPLINE_LABEL[d]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Save</button>
        </form>
      )}
    </div>
  )
}
