// Logging in and out, the session cookie, CSRF, API tokens, passwords and the login rate limit.
import { expect, test } from 'vitest';
import { MAX_FAILURES, WINDOW_MS } from '../auth/rate-limit.ts';
import { SESSION_TTL_MS } from '../auth/sessions.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';

const PASSWORD = 'correct horse battery';

/** Logs in; returns the cookie to send and the CSRF token. */
async function login(t: TestRuntime, email: string, password = PASSWORD): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const res = await t.as(null)('POST', '/auth/login', { email, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const setCookie = res.headers.get('set-cookie')!;
  return { cookie: setCookie.split(';')[0]!, csrf: res.body.csrfToken, setCookie };
}

async function user(t: TestRuntime, email: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call('POST', '/users', { email, displayName: email.split('@')[0], password: PASSWORD, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

eachRuntime('accounts', (current) => {
  test('login sets an HTTP-only, SameSite=Lax session cookie that expires with the session; logout ends it at once', async () => {
    const t = current();
    await user(t, 'Kato@Example.jp');
    // Addresses are matched however they are typed.
    const { cookie, csrf, setCookie } = await login(t, '  kato@example.JP ');
    expect(setCookie).toMatch(/^nf_session=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/; Secure/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)![1]!);
    expect(expires).toBe(Math.floor((t.clock.now() + SESSION_TTL_MS) / 1000) * 1000);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const me = await t.as(null)('GET', '/auth/me', undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: 'kato@example.jp', orgAdmin: false }, token: null, orgAdmin: false, roles: {}, csrfToken: csrf });

    // The session id is kept only as its digest.
    const rows = await t.rt.db.selectFrom('sessions').select('id_hash').execute();
    const id = cookie.split('=')[1]!;
    expect(rows.some((r) => r.id_hash === id)).toBe(false);

    const out = await t.as(null)('POST', '/auth/logout', undefined, { cookie, 'x-csrf-token': csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^nf_session=; Max-Age=0/);
    const after = await t.as(null)('GET', '/auth/me', undefined, { cookie });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });

  test('the cookie is Secure when the runtime is served over https', async () => {
    const t = current();
    await user(t, 'secure@example.jp');
    const before = process.env['PUBLIC_URL'];
    process.env['PUBLIC_URL'] = 'https://nurtureflow.example.jp';
    try {
      expect((await login(t, 'secure@example.jp')).setCookie).toMatch(/; Secure/);
    } finally {
      if (before === undefined) delete process.env['PUBLIC_URL'];
      else process.env['PUBLIC_URL'] = before;
    }
  });

  test('a session runs out after its time', async () => {
    const t = current();
    await user(t, 'expiry@example.jp');
    const { cookie } = await login(t, 'expiry@example.jp');
    t.clock.advance(SESSION_TTL_MS - 1000);
    expect((await t.as(null)('GET', '/auth/me', undefined, { cookie })).status).toBe(200);
    t.clock.advance(1000);
    expect((await t.as(null)('GET', '/auth/me', undefined, { cookie })).status).toBe(401);
  });

  test('a change made with the cookie needs the CSRF token: missing or wrong is 403 and changes nothing; a bearer token needs none', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'csrf-pl', name: 'CSRF' });
    await user(t, 'csrf@example.jp', { orgAdmin: true });
    const { cookie, csrf } = await login(t, 'csrf@example.jp');
    const rename = (headers: Record<string, string>) => t.as(null)('PATCH', '/product-lines/csrf-pl', { name: 'renamed' }, { cookie, ...headers });

    const missing = await rename({});
    expect(missing.status).toBe(403);
    expect(missing.body.error).toMatchObject({ code: 'csrf', issues: [{ path: 'headers.x-csrf-token', message: 'is missing' }] });
    const wrong = await rename({ 'x-csrf-token': `${csrf.slice(0, -1)}x` });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.issues[0].message).toBe("is not this session's token");
    expect((await t.call('GET', '/product-lines/csrf-pl')).body.name).toBe('CSRF');
    // Another session's token is no good either.
    const other = await login(t, 'csrf@example.jp');
    expect((await rename({ 'x-csrf-token': other.csrf })).status).toBe(403);

    // Reading needs no token; the right token lets the change through.
    expect((await t.as(null)('GET', '/product-lines/csrf-pl', undefined, { cookie })).status).toBe(200);
    expect((await rename({ 'x-csrf-token': csrf })).status).toBe(200);
    // A bearer token is not sent by browsers on their own, so it needs no CSRF token.
    const token = await t.token({ roles: { 'csrf-pl': 'admin' } });
    expect((await t.as(token)('PATCH', '/product-lines/csrf-pl', { name: 'by token' })).status).toBe(200);
  });

  test('a wrong password or unknown address is 401 and the password is stored only as a salted scrypt hash', async () => {
    const t = current();
    const id = await user(t, 'hash@example.jp');
    await user(t, 'hash2@example.jp');
    const wrong = await t.as(null)('POST', '/auth/login', { email: 'hash@example.jp', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const nobody = await t.as(null)('POST', '/auth/login', { email: 'nobody@example.jp', password: PASSWORD });
    expect(nobody.status).toBe(401);
    expect(nobody.body.error.message).toBe(wrong.body.error.message);

    const rows = await t.rt.db.selectFrom('users').select(['id', 'password_hash']).where('email', 'in', ['hash@example.jp', 'hash2@example.jp']).execute();
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(r.password_hash).not.toContain(PASSWORD);
    }
    // Same password, a salt of its own each.
    expect(rows[0]!.password_hash.split('$')[4]).not.toBe(rows[1]!.password_hash.split('$')[4]);
    // No view of a user shows the hash.
    expect(JSON.stringify((await t.call('GET', `/users/${id}`)).body)).not.toContain('scrypt');
  });

  test(`after ${MAX_FAILURES} failed logins an address is refused (429, Retry-After) until the window passes, even with the right password`, async () => {
    const t = current();
    await user(t, 'limit@example.jp');
    await user(t, 'other@example.jp');
    for (let i = 0; i < MAX_FAILURES; i++) expect((await t.as(null)('POST', '/auth/login', { email: 'limit@example.jp', password: `guess ${i}` })).status).toBe(401);
    const limited = await t.as(null)('POST', '/auth/login', { email: 'limit@example.jp', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'too_many_attempts', issues: [{ path: 'body.email' }] });
    expect(Number(limited.headers.get('retry-after'))).toBe(WINDOW_MS / 1000);
    // Another address is not held up.
    expect((await t.as(null)('POST', '/auth/login', { email: 'other@example.jp', password: PASSWORD })).status).toBe(200);
    t.clock.advance(WINDOW_MS);
    await login(t, 'limit@example.jp');
    // A success clears the count.
    expect((await t.as(null)('POST', '/auth/login', { email: 'limit@example.jp', password: 'wrong again' })).status).toBe(401);
    await login(t, 'limit@example.jp');
  });

  test('bad login input is a 400 naming the field', async () => {
    const t = current();
    const res = await t.as(null)('POST', '/auth/login', { email: 'not an address', password: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.email', 'body.password']);
    // A form on another site can only post text or form data: no login from it.
    const form = await t.as(null)('POST', '/auth/login', JSON.stringify({ email: 'kato@example.jp', password: PASSWORD }), { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
    expect(form.body.error.issues[0].path).toBe('headers.content-type');
    expect(form.headers.get('set-cookie')).toBeNull();
  });

  test('a disabled user cannot log in and their sessions stop; the last org admin cannot be disabled', async () => {
    const t = current();
    const id = await user(t, 'leaver@example.jp');
    const { cookie } = await login(t, 'leaver@example.jp');
    const disabled = await t.call('PATCH', `/users/${id}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await t.as(null)('GET', '/auth/me', undefined, { cookie })).status).toBe(401);
    expect((await t.as(null)('POST', '/auth/login', { email: 'leaver@example.jp', password: PASSWORD })).status).toBe(401);

    // The test runtime's own admin is a token: once the others are demoted, this is the last org admin account.
    const only = await user(t, 'only-admin@example.jp', { orgAdmin: true });
    const others = await t.rt.db.selectFrom('users').select('id').where('org_admin', '=', true).where('id', '<>', only).execute();
    for (const a of others) expect((await t.call('PATCH', `/users/${a.id}`, { orgAdmin: false })).status).toBe(200);
    const refused = await t.call('PATCH', `/users/${only}`, { disabled: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'last_org_admin', issues: [{ path: 'body.disabled' }] });
    expect((await t.call('PATCH', `/users/${only}`, { orgAdmin: false })).body.error.issues).toEqual([{ path: 'body.orgAdmin', message: 'would leave no enabled organisation admin' }]);
    expect((await t.call('GET', `/users/${only}`)).body).toMatchObject({ orgAdmin: true, disabled: false });
  });

  test('a user changes their own password (other sessions end); an org admin sets anyone’s', async () => {
    const t = current();
    const id = await user(t, 'changer@example.jp');
    const a = await login(t, 'changer@example.jp');
    const b = await login(t, 'changer@example.jp');
    const wrong = await t.as(null)('POST', '/auth/password', { currentPassword: 'nope', newPassword: 'a new long password' }, { cookie: a.cookie, 'x-csrf-token': a.csrf });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.issues[0].path).toBe('body.currentPassword');
    const short = await t.as(null)('POST', '/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }, { cookie: a.cookie, 'x-csrf-token': a.csrf });
    expect(short.status).toBe(400);
    expect(short.body.error.issues[0].path).toBe('body.newPassword');
    const ok = await t.as(null)('POST', '/auth/password', { currentPassword: PASSWORD, newPassword: 'a new long password' }, { cookie: a.cookie, 'x-csrf-token': a.csrf });
    expect(ok.status).toBe(204);
    expect((await t.as(null)('GET', '/auth/me', undefined, { cookie: a.cookie })).status).toBe(200);
    expect((await t.as(null)('GET', '/auth/me', undefined, { cookie: b.cookie })).status).toBe(401);
    expect((await t.as(null)('POST', '/auth/login', { email: 'changer@example.jp', password: PASSWORD })).status).toBe(401);
    await login(t, 'changer@example.jp', 'a new long password');

    expect((await t.call('PUT', `/users/${id}/password`, { password: 'set by the admin' })).status).toBe(204);
    expect((await t.as(null)('GET', '/auth/me', undefined, { cookie: a.cookie })).status).toBe(401);
    await login(t, 'changer@example.jp', 'set by the admin');
  });

  test('an API token works until revoked, is stored only as a digest, and records when it was last used', async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'tok-pl', name: 'Tokens' });
    const made = await t.call('POST', '/tokens', { name: 'CRM sync', roles: { 'tok-pl': 'editor' } });
    expect(made.status).toBe(201);
    const { token, secret } = made.body;
    expect(secret).toMatch(/^nf_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'CRM sync', orgAdmin: false, roles: { 'tok-pl': 'editor' }, lastUsedAt: null, revokedAt: null });
    const row = await t.rt.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret.slice(3));

    const me = await t.as(secret)('GET', '/auth/me');
    expect(me.body).toMatchObject({ user: null, token: { id: token.id, name: 'CRM sync' }, roles: { 'tok-pl': 'editor' }, csrfToken: null });
    const listed = (await t.call('GET', '/tokens?productLine=tok-pl')).body.tokens;
    expect(listed).toEqual([expect.objectContaining({ id: token.id, lastUsedAt: new Date(t.clock.now()).toISOString() })]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const revoked = await t.call('DELETE', `/tokens/${token.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBe(new Date(t.clock.now()).toISOString());
    const after = await t.as(secret)('GET', '/scenarios');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await t.as('nf_not-a-token')('GET', '/scenarios')).status).toBe(401);
    expect((await t.as(null)('GET', '/scenarios')).status).toBe(401);
  });

  test("a product line's admin manages its members and its tokens, and nothing of other product lines", async () => {
    const t = current();
    await t.call('POST', '/product-lines', { id: 'team-a', name: 'A' });
    await t.call('POST', '/product-lines', { id: 'team-b', name: 'B' });
    await user(t, 'lead-a@example.jp');
    const member = await user(t, 'member-a@example.jp');
    await t.call('PUT', '/product-lines/team-a/members', { email: 'lead-a@example.jp', role: 'admin' });
    const { cookie, csrf } = await login(t, 'lead-a@example.jp');
    const as = (method: string, path: string, body?: unknown) => t.as(null)(method, path, body, { cookie, 'x-csrf-token': csrf });

    const added = await as('PUT', '/product-lines/team-a/members', { email: 'Member-A@example.jp', role: 'analyst' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ userId: member, email: 'member-a@example.jp', role: 'analyst' });
    expect((await as('PUT', '/product-lines/team-a/members', { email: 'member-a@example.jp', role: 'editor' })).status).toBe(200);
    const members = (await as('GET', '/product-lines/team-a/members')).body.members;
    expect(members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['lead-a@example.jp', 'admin'],
      ['member-a@example.jp', 'editor'],
    ]);
    const unknown = await as('PUT', '/product-lines/team-a/members', { email: 'nobody@example.jp', role: 'sales' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.issues[0].path).toBe('body.email');
    const badRole = await as('PUT', '/product-lines/team-a/members', { email: 'member-a@example.jp', role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error.issues[0].path).toBe('body.role');

    // B is not theirs: 404 as if it did not exist; people are the org admin's.
    expect((await as('GET', '/product-lines/team-b/members')).status).toBe(404);
    expect((await as('PUT', '/product-lines/team-b/members', { email: 'member-a@example.jp', role: 'admin' })).status).toBe(404);
    expect((await as('GET', '/users')).status).toBe(403);
    expect((await as('POST', '/users', { email: 'x@example.jp', displayName: 'x', password: PASSWORD })).status).toBe(403);

    const token = await as('POST', '/tokens', { name: 'A sync', roles: { 'team-a': 'editor' } });
    expect(token.status).toBe(201);
    expect(token.body.token.createdBy).toBe('lead-a@example.jp');
    const forB = await as('POST', '/tokens', { name: 'B sync', roles: { 'team-b': 'editor' } });
    expect(forB.status).toBe(404);
    expect(forB.body.error.issues[0].path).toBe('body.roles.team-b');
    expect((await as('POST', '/tokens', { name: 'all', orgAdmin: true })).status).toBe(403);
    expect((await as('POST', '/tokens', { name: 'none' })).body.error.issues[0].path).toBe('body.roles');
    // The org admin's token for B is not theirs to see or revoke.
    const bToken = (await t.call('POST', '/tokens', { name: 'B only', roles: { 'team-b': 'analyst' } })).body.token;
    const listed = (await as('GET', '/tokens')).body.tokens.map((k: { name: string }) => k.name);
    expect(listed).toEqual(['A sync']);
    expect((await as('DELETE', `/tokens/${bToken.id}`)).status).toBe(404);
    expect((await as('DELETE', `/tokens/${token.body.token.id}`)).status).toBe(200);

    expect((await as('DELETE', `/product-lines/team-a/members/${member}`)).status).toBe(204);
    expect((await as('DELETE', `/product-lines/team-a/members/${member}`)).status).toBe(404);
    // Each change is in team A's audit log under the admin who made it (refused ones are not).
    const audit = await t.rt.db.selectFrom('audit_log').select(['actor', 'action', 'object_id', 'details']).where('product_line', '=', 'team-a').where('object_kind', 'in', ['member', 'token']).orderBy('id').execute();
    expect(audit.map((e) => [e.actor, e.action, e.object_id, e.details['role'] ?? e.details['name']])).toEqual([
      [expect.stringMatching(/^token:/), 'member.added', expect.any(String), 'admin'],
      ['lead-a@example.jp', 'member.added', member, 'analyst'],
      ['lead-a@example.jp', 'member.changed', member, 'editor'],
      ['lead-a@example.jp', 'token.created', token.body.token.id, 'A sync'],
      ['lead-a@example.jp', 'token.revoked', token.body.token.id, 'A sync'],
      ['lead-a@example.jp', 'member.removed', member, 'editor'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(token.body.secret);
    // An editor of A is not its admin: 403.
    await t.call('PUT', '/product-lines/team-a/members', { email: 'member-a@example.jp', role: 'editor' });
    const editor = await login(t, 'member-a@example.jp');
    expect((await t.as(null)('GET', '/product-lines/team-a/members', undefined, { cookie: editor.cookie })).status).toBe(403);
  });
});
