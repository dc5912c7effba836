/** The disciplines that scope together: every owner, comment author and cursor carries one. */
export const DISCIPLINES = ['engineering', 'design', 'product'] as const
export type Discipline = (typeof DISCIPLINES)[number]

export const DISCIPLINE_LABEL: Record<Discipline, string> = {
  engineering: 'Engineering',
  design: 'Design',
  product: 'Product',
}
