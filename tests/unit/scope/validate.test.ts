import fs from 'node:fs'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import { SCOPE_SCHEMA_FILE, scopeSchemaFileText } from '../../../scripts/generate-scope-schema.ts'
import { extractScope } from '../../../shared/scope/extract.ts'
import { renderScopeJson } from '../../../shared/scope/renderJson.ts'
import type { Scope } from '../../../shared/scope/types.ts'
import { scopeSchema, validateScope } from '../../../shared/scope/validate.ts'
import { checkoutBoard } from './records.ts'

function exported(): Record<string, unknown> {
  return JSON.parse(renderScopeJson(extractScope(checkoutBoard())))
}

describe('validateScope', () => {
  it('accepts the JSON export, as it would arrive over HTTP', () => {
    const json = exported()
    const result = validateScope(json)
    expect(result).toEqual({ ok: true, scope: json })
  })

  it('refuses a thread without messages, or a message with an author id or colour', () => {
    const json = exported() as { problems: { solutions: { threads: { messages: Record<string, unknown>[] }[] }[] }[] }
    const [thread] = json.problems[0].solutions[0].threads
    thread.messages[0].author = { ...(thread.messages[0].author as object), id: 'profile-ana', color: '#fff' }
    expect(validateScope(json)).toMatchObject({
      ok: false,
      error: expect.stringContaining('problems[0].solutions[0].threads[0].messages[0].author: Unrecognized keys'),
    })
    thread.messages = []
    expect(validateScope(json)).toMatchObject({ ok: false, error: expect.stringContaining('threads[0].messages') })
  })

  it('accepts an empty board', () => {
    const scope = extractScope({ records: [], board: { id: 'b', title: '' }, focus: null })
    expect(validateScope(JSON.parse(renderScopeJson(scope))).ok).toBe(true)
  })

  it('rejects a broken object with a message that says where and what', () => {
    const json = exported() as { problems: { status: string; solutions: { edgeCases: unknown[] }[] }[] }
    json.problems[0].status = 'done'
    json.problems[0].solutions[0].edgeCases.push({ id: 'x' })
    const result = validateScope(json)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error).toMatch(/^Not a valid scope: /)
    expect(result.error).toContain('problems[0].status: Invalid option: expected one of "open"|"scoped"|"dropped"')
    expect(result.error).toContain('problems[0].solutions[0].edgeCases[4].kind')
  })

  it('rejects unknown keys, a wrong schema version, a missing check, and values that are not a scope', () => {
    const withExtra = { ...exported(), extra: true }
    expect(validateScope(withExtra)).toEqual({
      ok: false,
      error: 'Not a valid scope: (the scope itself): Unrecognized key: "extra"',
    })

    const version = { ...exported(), schemaVersion: 1 }
    expect(validateScope(version)).toMatchObject({ ok: false, error: expect.stringContaining('schemaVersion') })

    const json = exported() as { health: { checks: { id: string }[] } }
    json.health.checks = json.health.checks.filter((c) => c.id !== 'no-sprint-focus')
    expect(validateScope(json)).toMatchObject({
      ok: false,
      error: expect.stringContaining('health.checks: the "no-sprint-focus" check is missing'),
    })

    for (const value of [null, 'scope', 42, [], {}]) expect(validateScope(value).ok, String(value)).toBe(false)
    const many = validateScope({})
    expect(many.ok === false && many.error).toMatch(/\(and \d+ more\)$/)
  })

  it('describes exactly the Scope type', () => {
    expectTypeOf<z.output<typeof scopeSchema>>().toEqualTypeOf<Scope>()
  })
})

describe('scope.schema.json', () => {
  it('is the checked-in output of scripts/generate-scope-schema.ts (run it after changing the schema)', async () => {
    expect(fs.readFileSync(SCOPE_SCHEMA_FILE, 'utf8')).toBe(await scopeSchemaFileText())
  })

  it('is a JSON Schema with the export’s required fields', () => {
    const schema = JSON.parse(fs.readFileSync(SCOPE_SCHEMA_FILE, 'utf8'))
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.required).toEqual([
      'schemaVersion',
      'board',
      'focus',
      'problems',
      'unlinked',
      'orphanedThreads',
      'health',
      'totals',
    ])
    expect(Object.keys(schema.$defs).sort()).toEqual([
      'CommentMessage',
      'CommentThread',
      'EdgeCase',
      'Focus',
      'HealthCheck',
      'Metric',
      'OrphanedThread',
      'Owner',
      'Problem',
      'Solution',
    ])
  })
})
