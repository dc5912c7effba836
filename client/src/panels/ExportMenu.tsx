/**
 * The scope leaves the board: JSON, Markdown and the edge-case CSV (rendered in the browser from
 * the local copy, so export works offline), Markdown to the clipboard, and PNG/SVG pictures of
 * the board or the selection.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useDismiss } from '../components/useDismiss.ts'
import type { Editor } from 'tldraw'
import { exportFileName, renderEdgeCaseCsv, renderScopeJson, renderScopeMarkdown } from '../../../shared/scope/index.ts'
import type { CommentThread } from '../../../shared/comments/model.ts'
import type { FocusRef } from '../../../shared/scope/types.ts'
import { computeScope } from '../scope/useLiveScope.ts'

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
}

function slugOf(name: string): string {
  return name.replace(/-scope\.json$/, '')
}

export function ExportMenu({
  editor,
  board,
  threads,
  focus = null,
  version = null,
}: {
  editor: Editor | null
  board: { id: string; title: string }
  threads: CommentThread[]
  /** The sprint focus the board serves, so downloads match the server's exports. */
  focus?: FocusRef | null
  /** The snapshot on the canvas, if any: the menu says so and its files carry its name. */
  version?: string | null
}) {
  const [open, setOpen] = useState(false)
  const closeMenu = useCallback(() => setOpen(false), [])
  const [notice, setNotice] = useState<string | null>(null)
  const root = useRef<HTMLDivElement>(null)

  useDismiss(open, root, closeMenu)

  useEffect(() => {
    if (!notice) return
    const timer = setTimeout(() => setNotice(null), 2_500)
    return () => clearTimeout(timer)
  }, [notice])

  if (!editor) return null
  const run = (task: () => Promise<void> | void) => async () => {
    setOpen(false)
    try {
      await task()
    } catch (error) {
      setNotice(`Export failed: ${(error as Error).message}`)
    }
  }
  const scope = () => computeScope(editor, board, threads, focus)
  const selection = editor.getSelectedShapeIds()
  const pictureIds = () => (selection.length ? selection : [...editor.getCurrentPageShapeIds()])
  const what = selection.length ? 'selection' : 'board'
  const pictureName = (ext: string) => `${slugOf(exportFileName(board, 'json', version ?? undefined))}-${what}.${ext}`

  return (
    <div className="menu" ref={root}>
      <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)}>
        Export ▾
      </button>
      {open && (
        <div className="menu-list" role="menu" aria-label="Export">
          {version && <p className="menu-note small muted">Exports show the snapshot “{version}”.</p>}
          <button
            role="menuitem"
            onClick={run(() =>
              download(
                exportFileName(board, 'json', version ?? undefined),
                new Blob([renderScopeJson(scope())], { type: 'application/json' }),
              ),
            )}
          >
            Download scope (JSON)
          </button>
          <button
            role="menuitem"
            onClick={run(() =>
              download(
                exportFileName(board, 'md', version ?? undefined),
                new Blob([renderScopeMarkdown(scope())], { type: 'text/markdown' }),
              ),
            )}
          >
            Download scope (Markdown)
          </button>
          <button
            role="menuitem"
            onClick={run(() =>
              download(
                exportFileName(board, 'csv', version ?? undefined),
                new Blob([renderEdgeCaseCsv(scope())], { type: 'text/csv' }),
              ),
            )}
          >
            Download edge cases (CSV)
          </button>
          <button
            role="menuitem"
            onClick={run(async () => {
              await navigator.clipboard.writeText(renderScopeMarkdown(scope()))
              setNotice('Markdown copied')
            })}
          >
            Copy scope as Markdown
          </button>
          <hr />
          <button
            role="menuitem"
            disabled={pictureIds().length === 0}
            onClick={run(async () => {
              const { blob } = await editor.toImage(pictureIds(), { format: 'png', background: true, padding: 32 })
              download(pictureName('png'), blob)
            })}
          >
            Image of the {what} (PNG)
          </button>
          <button
            role="menuitem"
            disabled={pictureIds().length === 0}
            onClick={run(async () => {
              const result = await editor.getSvgString(pictureIds(), { background: true, padding: 32 })
              if (!result) throw new Error('nothing to draw')
              download(pictureName('svg'), new Blob([result.svg], { type: 'image/svg+xml' }))
            })}
          >
            Image of the {what} (SVG)
          </button>
        </div>
      )}
      {notice && (
        <span className="notice" role="status">
          {notice}
        </span>
      )}
    </div>
  )
}
