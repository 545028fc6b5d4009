import { describe, expect, it } from 'vitest';
import { canOpen, homeScreen, type Me } from './screens.ts';

const me = (roles: Record<string, string>, orgAdmin = false): Me => ({ orgAdmin, roles });

describe("a product line's screens by role", () => {
  it('shows a sales member only the sales view, and opens the product line there', () => {
    const sales = me({ crm: 'sales' });
    expect((['list', 'sales', 'scoring', 'dashboard'] as const).filter((s) => canOpen(sales, 'crm', s))).toEqual(['sales']);
    expect(homeScreen(sales, 'crm')).toBe('sales');
  });

  it('shows analysts and editors everything they may read or simulate, the sales view included', () => {
    for (const role of ['analyst', 'editor', 'admin']) {
      expect((['list', 'sales', 'scoring', 'dashboard'] as const).filter((s) => canOpen(me({ crm: role }), 'crm', s)), role).toEqual(['list', 'sales', 'scoring', 'dashboard']);
      expect(homeScreen(me({ crm: role }), 'crm')).toBe('list');
    }
  });

  it('shows nothing of a product line without a role, everything to an organisation admin or while unknown', () => {
    expect(canOpen(me({ other: 'admin' }), 'crm', 'sales')).toBe(false);
    expect(canOpen(me({}, true), 'crm', 'scoring')).toBe(true);
    expect(canOpen(undefined, 'crm', 'scoring')).toBe(true);
  });
});
