/**
 * Security headers on every answer, pages and API alike.
 *
 * The Content-Security-Policy lets the app load scripts, styles, fonts and images from its own
 * origin only, and connect only to it (its WebSocket included, named explicitly for browsers
 * whose 'self' does not cover ws:). What tldraw needs on top: inline styles (it positions shapes
 * with style attributes), and data:/blob: URLs for images, fonts and fetches when it exports a
 * PNG or SVG or pastes an image. Nothing may frame the app.
 */
import type { MiddlewareHandler } from 'hono'

/** A Host header we are willing to repeat inside the policy: a host name or address and a port. */
const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST_PATTERN.test(host) ? ` ws://${host} wss://${host}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets} data: blob:`,
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export const securityHeaders: MiddlewareHandler = async function securityHeaders(c, next) {
  await next()
  c.header('Content-Security-Policy', contentSecurityPolicy(c.req.header('host')))
  c.header('X-Frame-Options', 'DENY')
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Referrer-Policy', 'same-origin')
}
