/** The scope model: extraction from a board's records, health checks, renderers and validation. */
export { extractScope, MAX_THREAD_MESSAGE_LENGTH, type ExtractInput } from './extract.ts'
export { evaluateHealth, HEALTH_CHECK_IDS, HEALTH_CHECK_SEVERITY, type HealthInput } from './health.ts'
export { canonicalScope, exportFileName, MAX_FILE_SLUG, renderScopeJson, type ExportExtension } from './renderJson.ts'
export { renderScopeMarkdown } from './renderMarkdown.ts'
export { CSV_JOIN, csvCell, EDGE_CASE_CSV_COLUMNS, renderEdgeCaseCsv } from './renderCsv.ts'
export { scopeJsonSchema, scopeSchema, validateScope, type ValidateScopeResult } from './validate.ts'
export * from './types.ts'
export {
  countChanges,
  DIFF_FIELD_LABEL,
  DIFF_FIELDS,
  DIFF_KIND_LABEL,
  DIFF_KINDS,
  diffScopes,
  diffSummary,
  isEmptyDiff,
  renderScopeDiffMarkdown,
  type ChangedCard,
  type DiffCard,
  type DiffField,
  type DiffLabels,
  type DiffValue,
  type FieldChange,
  type KindDiff,
  type ScopeDiff,
} from './diff.ts'
