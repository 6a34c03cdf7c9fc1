// Staff roles as the server ranks them (appliance/web/accounts.ts): each role may do what the
// roles after it may do. A unit test keeps the two in step.
export const ROLES = ['owner', 'manager', 'frontdesk'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { owner: 3, manager: 2, frontdesk: 1 };

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export const ROLE_NAMES: Record<Role, string> = { owner: 'Owner', manager: 'Manager', frontdesk: 'Front desk' };
