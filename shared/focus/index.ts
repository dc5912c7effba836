/** Sprint focuses: the model, the roll-up of linked boards, its renderers and its schema. */
export * from './model.ts'
export * from './types.ts'
export { buildRollup } from './rollup.ts'
export { renderRollupJson, rollupFileName } from './renderJson.ts'
export { renderRollupMarkdown, type RollupMarkdownOptions } from './renderMarkdown.ts'
export { rollupSchema, validateRollup, type ValidateRollupResult } from './validate.ts'
