import { Component, type ReactNode } from 'react'
import { MessagePage } from '../pages/MessagePage.tsx'

/**
 * The board page's code arrives on demand; if it cannot (offline on a first visit, a server
 * restarted on a newer build), say so and offer a reload instead of a blank page.
 */
export class PageBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  componentDidCatch(error: Error) {
    console.error('Scopeboard: the page could not be shown', error)
  }

  render() {
    if (!this.state.error) return this.props.children
    return (
      <MessagePage
        title="This page could not be loaded"
        body={`${this.state.error.message}. Check the connection to the server, then reload the page.`}
      />
    )
  }
}
