/**
 * Writes shared/scope/scope.schema.json from the zod schema in shared/scope/validate.ts:
 * `npx tsx scripts/generate-scope-schema.ts`. A unit test compares the checked-in file with
 * `scopeSchemaFileText()`, so the two cannot drift apart.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import prettier from 'prettier'
import { scopeJsonSchema } from '../shared/scope/validate.ts'

export const SCOPE_SCHEMA_FILE = fileURLToPath(new URL('../shared/scope/scope.schema.json', import.meta.url))

/** The file's text, formatted as the repo's prettier config wants it so `format:check` passes. */
export async function scopeSchemaFileText(): Promise<string> {
  const config = (await prettier.resolveConfig(SCOPE_SCHEMA_FILE)) ?? {}
  return prettier.format(JSON.stringify(scopeJsonSchema()), { ...config, filepath: SCOPE_SCHEMA_FILE })
}

async function main() {
  fs.writeFileSync(SCOPE_SCHEMA_FILE, await scopeSchemaFileText())
  console.log(`written ${path.relative(process.cwd(), SCOPE_SCHEMA_FILE)}`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
