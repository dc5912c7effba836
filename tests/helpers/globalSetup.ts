/** Builds the web app once before any test, when the browser tests will need it. */
import { ensureClientBuilt } from '../../scripts/ensure-build.ts'

export default async function setup(): Promise<void> {
  await ensureClientBuilt({ quiet: true })
}
