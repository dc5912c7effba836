/**
 * The export formats and the paths they are served at, kept apart from the renderers so the
 * command line can check its arguments without loading them.
 */
export const EXPORT_FORMATS = ['json', 'md', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Where each export lives under `/api/boards/:id/`. */
export const EXPORT_PATHS: Record<ExportFormat, string> = {
  json: 'scope.json',
  md: 'scope.md',
  csv: 'edge-cases.csv',
}

export function isExportFormat(value: unknown): value is ExportFormat {
  return EXPORT_FORMATS.includes(value as ExportFormat)
}
