/**
 * The roll-up's export formats and the paths they are served at, kept apart from the renderers so
 * the command line can check its arguments without loading them.
 */
export const ROLLUP_FORMATS = ['json', 'md'] as const
export type RollupFormat = (typeof ROLLUP_FORMATS)[number]

/** Where each roll-up lives under `/api/focuses/:id/`. */
export const ROLLUP_PATHS: Record<RollupFormat, string> = { json: 'scope.json', md: 'scope.md' }

export function isRollupFormat(value: unknown): value is RollupFormat {
  return ROLLUP_FORMATS.includes(value as RollupFormat)
}
