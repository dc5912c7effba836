/**
 * What changed in a board's scope between two moments (two snapshots, or a snapshot and the live
 * board): per kind, the cards added, removed and changed, a changed card field by field. Cards are
 * matched by id, so a renamed card is a change, not a removal and an addition. Pure, like the rest
 * of the scope model: the server feeds it two extracted scopes.
 *
 * The order is fixed so the same two scopes always give the same bytes: added and changed cards in
 * the later scope's reading order, removed ones in the earlier scope's, fields in DIFF_FIELDS order.
 */
import { assertNever } from '../assertNever.ts'
import { cardLabel, STATUS_LABEL, type CardKind, type CardStatus, type Owner } from './card.ts'
import { inline } from './renderMarkdown.ts'
import type { AnyCard, CardId, Scope } from './types.ts'

/** A field's value as the diff shows it: text, a flag, or a sorted list (owners, parent ids). */
export type DiffValue = string | boolean | string[]

/** Every field compared, in the order a change lists them; a kind compares those it has. */
export const DIFF_FIELDS = [
  'title',
  'status',
  'severity',
  'target',
  'appetite',
  'noEdgeCases',
  'affected',
  'evidence',
  'details',
  'owners',
  'parents',
] as const
export type DiffField = (typeof DIFF_FIELDS)[number]

export interface DiffCard {
  id: CardId
  title: string
  status: CardStatus
  /** The ids of the cards it hangs under, sorted; empty for a problem or an unlinked card. */
  parents: CardId[]
}

export interface FieldChange {
  field: DiffField
  from: DiffValue
  to: DiffValue
}

export interface ChangedCard {
  id: CardId
  /** The title in the later scope. */
  title: string
  fields: FieldChange[]
}

export interface KindDiff {
  added: DiffCard[]
  removed: DiffCard[]
  changed: ChangedCard[]
}

export interface ScopeDiff {
  problems: KindDiff
  solutions: KindDiff
  edgeCases: KindDiff
  metrics: KindDiff
}

/** The diff's keys with the card kind each one holds, in the order they are rendered. */
export const DIFF_KINDS = [
  ['problems', 'problem'],
  ['solutions', 'solution'],
  ['edgeCases', 'edge-case'],
  ['metrics', 'metric'],
] as const satisfies ReadonlyArray<readonly [keyof ScopeDiff, CardKind]>

interface Entry {
  card: AnyCard
  parents: Set<CardId>
}

/** Every card of the scope by id, in reading order (a card first met is placed there). */
function flatten(scope: Scope): Map<CardId, Entry> {
  const cards = new Map<CardId, Entry>()
  const add = (card: AnyCard, parent: CardId | null) => {
    let entry = cards.get(card.id)
    if (!entry) {
      entry = { card, parents: new Set() }
      cards.set(card.id, entry)
    }
    if (parent !== null) entry.parents.add(parent)
  }
  const addSolution = (solution: Scope['problems'][number]['solutions'][number], parent: CardId | null) => {
    add(solution, parent)
    for (const edgeCase of solution.edgeCases) add(edgeCase, solution.id)
  }
  for (const problem of scope.problems) {
    add(problem, null)
    for (const metric of problem.metrics) add(metric, problem.id)
    for (const solution of problem.solutions) addSolution(solution, problem.id)
    for (const edgeCase of problem.edgeCases) add(edgeCase, problem.id)
  }
  for (const solution of scope.unlinked.solutions) addSolution(solution, null)
  for (const edgeCase of scope.unlinked.edgeCases) add(edgeCase, null)
  for (const metric of scope.unlinked.metrics) add(metric, null)
  return cards
}

function ownerText(owner: Owner): string {
  return `${owner.name} (${owner.discipline})`
}

/** The card's compared fields; owners sorted, so reordering them is no change. */
function fieldsOf(entry: Entry): Partial<Record<DiffField, DiffValue>> {
  const { card } = entry
  const fields: Partial<Record<DiffField, DiffValue>> = {
    title: card.title,
    status: card.status,
    details: card.details,
    owners: card.owners.map(ownerText).sort(),
    parents: [...entry.parents].sort(),
  }
  switch (card.kind) {
    case 'problem':
      fields.affected = card.affected
      fields.evidence = card.evidence
      break
    case 'solution':
      fields.appetite = card.appetite
      fields.noEdgeCases = card.noEdgeCases
      break
    case 'edge-case':
      fields.severity = card.severity
      break
    case 'metric':
      fields.target = card.target
      break
    default:
      assertNever(card)
  }
  return fields
}

function sameValue(a: DiffValue | undefined, b: DiffValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i])
  return a === b
}

function summary(entry: Entry): DiffCard {
  return { id: entry.card.id, title: entry.card.title, status: entry.card.status, parents: [...entry.parents].sort() }
}

function emptyDiff(): ScopeDiff {
  return {
    problems: { added: [], removed: [], changed: [] },
    solutions: { added: [], removed: [], changed: [] },
    edgeCases: { added: [], removed: [], changed: [] },
    metrics: { added: [], removed: [], changed: [] },
  }
}

const KEY_OF_KIND = Object.fromEntries(DIFF_KINDS.map(([key, kind]) => [kind, key])) as Record<
  CardKind,
  keyof ScopeDiff
>

/**
 * The changes that lead from `from` to `to`. A card whose kind changed (an id reused for another
 * kind) shows as removed from one kind and added to the other.
 */
export function diffScopes(from: Scope, to: Scope): ScopeDiff {
  const diff = emptyDiff()
  const before = flatten(from)
  const after = flatten(to)
  for (const [id, entry] of after) {
    const old = before.get(id)
    const key = KEY_OF_KIND[entry.card.kind]
    if (!old || old.card.kind !== entry.card.kind) {
      diff[key].added.push(summary(entry))
      continue
    }
    const a = fieldsOf(old)
    const b = fieldsOf(entry)
    const fields: FieldChange[] = []
    for (const field of DIFF_FIELDS) {
      if (!(field in b) || sameValue(a[field], b[field])) continue
      fields.push({ field, from: a[field]!, to: b[field]! })
    }
    if (fields.length) diff[key].changed.push({ id, title: entry.card.title, fields })
  }
  for (const [id, entry] of before) {
    const now = after.get(id)
    if (!now || now.card.kind !== entry.card.kind) diff[KEY_OF_KIND[entry.card.kind]].removed.push(summary(entry))
  }
  return diff
}

/** True when nothing was added, removed or changed. */
export function isEmptyDiff(diff: ScopeDiff): boolean {
  return DIFF_KINDS.every(([key]) => !diff[key].added.length && !diff[key].removed.length && !diff[key].changed.length)
}

/** How many cards the diff adds, removes or changes, over every kind. */
export function countChanges(diff: ScopeDiff, part: keyof KindDiff): number {
  return DIFF_KINDS.reduce((n, [key]) => n + diff[key][part].length, 0)
}

/** "2 added · 1 removed · 3 changed" */
export function diffSummary(diff: ScopeDiff): string {
  return `${countChanges(diff, 'added')} added · ${countChanges(diff, 'removed')} removed · ${countChanges(diff, 'changed')} changed`
}

/** What the two sides are called in the Markdown heading ("Sprint planning", "live"). */
export interface DiffLabels {
  from: string
  to: string
}

/** What a field is called wherever a change is shown. */
export const DIFF_FIELD_LABEL: Record<DiffField, string> = {
  title: 'Title',
  status: 'Status',
  severity: 'Severity',
  target: 'Target',
  appetite: 'Appetite',
  noEdgeCases: 'No edge cases (checked)',
  affected: 'Affected',
  evidence: 'Evidence',
  details: 'Details',
  owners: 'Owners',
  parents: 'Linked under',
}

/** Each part of the diff as a heading calls it. */
export const DIFF_KIND_LABEL: Record<keyof ScopeDiff, string> = {
  problems: 'Problems',
  solutions: 'Solutions',
  edgeCases: 'Edge cases',
  metrics: 'Metrics',
}

function valueText(field: DiffField, value: DiffValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (Array.isArray(value)) {
    if (!value.length) return '_none_'
    return field === 'parents' ? value.map((id) => `\`${id}\``).join(', ') : value.map(inline).join(', ')
  }
  if (field === 'status' && value in STATUS_LABEL) return STATUS_LABEL[value as CardStatus]
  return inline(value) || '_empty_'
}

function cardTitle(title: string, kind: CardKind): string {
  return inline(title) || `_${cardLabel('', kind)}_`
}

/**
 * The diff as Markdown: "## Added", "## Removed" and "## Changed", each with a "###" heading per
 * kind that has something; a changed card lists its fields as "from → to". User text is escaped
 * as in the scope export.
 */
export function renderScopeDiffMarkdown(diff: ScopeDiff, labels: DiffLabels): string {
  const out: string[] = [`# Scope changes: ${inline(labels.from)} → ${inline(labels.to)}`]
  out.push(diffSummary(diff))

  const cardItem = (kind: CardKind, card: DiffCard) => `- ${cardTitle(card.title, kind)} — ${STATUS_LABEL[card.status]}`
  const changedItem = (kind: CardKind, card: ChangedCard) =>
    [
      `- ${cardTitle(card.title, kind)}`,
      ...card.fields.map(
        (f) => `  - ${DIFF_FIELD_LABEL[f.field]}: ${valueText(f.field, f.from)} → ${valueText(f.field, f.to)}`,
      ),
    ].join('\n')

  const sections = [
    {
      heading: 'Added',
      empty: '_Nothing added._',
      items: (kind: CardKind, d: KindDiff) => d.added.map((c) => cardItem(kind, c)),
    },
    {
      heading: 'Removed',
      empty: '_Nothing removed._',
      items: (kind: CardKind, d: KindDiff) => d.removed.map((c) => cardItem(kind, c)),
    },
    {
      heading: 'Changed',
      empty: '_Nothing changed._',
      items: (kind: CardKind, d: KindDiff) => d.changed.map((c) => changedItem(kind, c)),
    },
  ]
  for (const { heading, empty, items } of sections) {
    out.push(`## ${heading}`)
    let any = false
    for (const [key, kind] of DIFF_KINDS) {
      const list = items(kind, diff[key])
      if (!list.length) continue
      any = true
      out.push(`### ${DIFF_KIND_LABEL[key]}`, list.join('\n'))
    }
    if (!any) out.push(empty)
  }
  return out.join('\n\n') + '\n'
}
