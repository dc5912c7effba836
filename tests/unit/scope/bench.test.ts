import { describe, expect, it } from 'vitest'
import { generateBoard } from '../../../bench/export.ts'
import { extractScope } from '../../../shared/scope/extract.ts'

describe('the export benchmark board', () => {
  it('is 5,000 cards that all link into the tree, so the bench measures a real scope', () => {
    const { records, cards } = generateBoard()
    expect(cards).toBe(5000)
    const scope = extractScope({ records, board: { id: 'bench', title: 'Bench' }, focus: null })
    expect(scope.totals).toEqual({
      problems: 500,
      solutions: 1500,
      chosenSolutions: 500,
      edgeCases: 2000,
      openEdgeCases: expect.any(Number),
      metrics: 1000,
    })
    expect(scope.unlinked).toEqual({ solutions: [], edgeCases: [], metrics: [] })
    expect(scope.problems[0].solutions.map((s) => s.edgeCases.length)).toEqual([2, 1, 0])
    expect(scope.problems[0].edgeCases).toHaveLength(1)
  })
})
