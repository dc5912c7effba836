/**
 * The tldraw license key: needed in production (HTTPS on a host other than localhost), where
 * tldraw blanks the editor without one. The server puts TLDRAW_LICENSE_KEY into the page at run
 * time; VITE_TLDRAW_LICENSE_KEY bakes one in at build time (and serves `npm run dev`).
 */
export function licenseKey(): string | undefined {
  const fromPage = document.querySelector<HTMLMetaElement>('meta[name="tldraw-license-key"]')?.content
  return fromPage || (import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined) || undefined
}
