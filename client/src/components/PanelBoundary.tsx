import { Component, type ReactNode } from 'react'

/**
 * Keeps a failing side panel from taking the whole board down with it: the canvas and the rest
 * of the page stay usable, and the panel says what happened.
 */
export class PanelBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  componentDidCatch(error: Error) {
    console.error(`Scopeboard: the ${this.props.name} panel failed`, error)
  }

  render() {
    if (!this.state.error) return this.props.children
    return (
      <aside className="side-panel" role="alert">
        <p className="error small">
          The {this.props.name} panel hit a problem ({this.state.error.message}). The board itself is fine.
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </aside>
    )
  }
}
