/**
 * tldraw's style panel (colours, fill, dash, size) sits over the top right of the canvas. On a
 * scoping board that is mostly cards it covers cards while saying nothing useful, so it shows
 * only when it can act: a drawing is selected, or a drawing tool is picked (to set the style of
 * what comes next). On a phone tldraw keeps it behind its own button, so it is left alone there.
 */
import { DefaultStylePanel, useEditor, useValue, type TLUiStylePanelProps } from 'tldraw'
import { CARD_TYPE } from '../../../shared/scope/card.ts'

const TOOLS_WITHOUT_STYLE = new Set(['select', 'hand', 'laser', 'eraser', 'zoom'])

export function StylePanelWhenUseful(props: TLUiStylePanelProps) {
  const editor = useEditor()
  const useful = useValue(
    'style panel useful',
    () =>
      // Scope cards have no tldraw styles: a selection of cards alone leaves nothing to set.
      editor.getSelectedShapes().some((shape) => shape.type !== CARD_TYPE) ||
      !TOOLS_WITHOUT_STYLE.has(editor.getCurrentToolId()),
    [editor],
  )
  return props.isMobile || useful ? <DefaultStylePanel {...props} /> : null
}
