/**
 * Share-link roles and what each may do, written down once for server and client. The server
 * enforces this table on every HTTP route and on the sync socket; the client only follows it, so
 * nobody is offered what the server would refuse.
 *
 * The workspace token is not a role: it may do everything, including what no link may (list and
 * create boards, focuses).
 */

export const ROLES = ['edit', 'comment', 'view'] as const
export type Role = (typeof ROLES)[number]

/**
 *   read          open the board, sync it down, see presence, export its scope, read comments
 *   comment       add and change comments (the 'comments' map of the document, the comments API)
 *   edit          change anything on the board: canvas, cards, title
 *   manage-links  create, list and revoke the board's share links
 */
export type Capability = 'read' | 'comment' | 'edit' | 'manage-links'

const CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  view: new Set(['read']),
  comment: new Set(['read', 'comment']),
  edit: new Set(['read', 'comment', 'edit', 'manage-links']),
}

export function can(role: Role, capability: Capability): boolean {
  return CAPABILITIES[role].has(capability)
}

export function parseRole(value: unknown): Role | null {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value) ? (value as Role) : null
}
