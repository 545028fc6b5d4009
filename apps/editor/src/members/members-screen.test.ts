import { describe, expect, it } from 'vitest';
import { canOpen, type Me } from '../nav/screens.ts';
import { parseRoute, routePath } from '../router.ts';

const me = (roles: Record<string, string>, orgAdmin = false): Me => ({ orgAdmin, roles });

describe('the members screen', () => {
  it('has a URL of its own under the product line', () => {
    expect(parseRoute('/product-lines/crm%20cloud/members')).toEqual({ screen: 'members', productLine: 'crm cloud' });
    expect(routePath({ screen: 'members', productLine: 'crm cloud' })).toBe('/product-lines/crm%20cloud/members');
  });

  it("is offered to the product line's admins and organisation admins only", () => {
    expect(['admin', 'editor', 'analyst', 'sales'].filter((role) => canOpen(me({ crm: role }), 'crm', 'members'))).toEqual(['admin']);
    expect(canOpen(me({ other: 'admin' }), 'crm', 'members')).toBe(false);
    expect(canOpen(me({}, true), 'crm', 'members')).toBe(true);
  });
});
