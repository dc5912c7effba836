import type { Context } from 'hono'
import { httpError } from './errors.ts'

/** Reads a JSON object body, refusing anything else with a message that says what was wrong. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\b/i.test(type)) {
    throw httpError(415, 'send the body as JSON with Content-Type: application/json')
  }
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw httpError(400, 'the body is not valid JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw httpError(400, 'the body must be a JSON object')
  }
  return body as Record<string, unknown>
}
