// The access matrix: every route of the OpenAPI document, called by every kind of caller — an
// organisation admin, a product line's admin, editor, analyst and sales, a user with no role, and
// nobody — on an object of the caller's product line and of another one. Callers are real users
// logged in with the session cookie (changes carry the CSRF token). A route missing from the table
// below fails the test, so no route is added without saying who may call it.
import { aGraph } from '@nurtureflow/scenario/testing';
import { beforeAll, expect, it } from 'vitest';
import { eachRuntime, type TestRuntime } from './testing.ts';

const OWN = 'mx-own';
const OTHER = 'mx-other';
type Side = 'own' | 'other';
const SIDES: readonly Side[] = ['own', 'other'];

const CALLERS = ['orgAdmin', 'admin', 'editor', 'analyst', 'sales', 'none', 'anonymous'] as const;
type Caller = (typeof CALLERS)[number];
type Role = 'admin' | 'editor' | 'analyst' | 'sales';
type Permission = 'read' | 'simulate' | 'write' | 'admin' | 'sales';

/** What each role may do on its product line, as the issue states it. */
const MAY: Record<Role, readonly Permission[]> = {
  admin: ['read', 'simulate', 'write', 'admin', 'sales'],
  editor: ['read', 'simulate', 'write'],
  analyst: ['read', 'simulate'],
  sales: ['sales'],
};

/** Who may call a route, as its OpenAPI `x-access` declares it. */
type Declared = { public: true } | { org: 'admin' | 'member' } | { need: Permission[] };
/** What a caller hears: anything but 401/403/404 (a success, or a 4xx about the request), or that status. */
type Outcome = 'allowed' | 401 | 403 | 404;

interface Row {
  access: Declared;
  /** What callers hear when it differs from what `access` alone says (handlers that check more). */
  expect?: (caller: Caller, side: Side) => Outcome;
  /** A body naming the object, for routes whose product line is in the body. */
  body?: (f: Fixture, side: Side) => unknown;
  query?: (f: Fixture, side: Side) => string;
  /** Runs before each request (puts back what the previous caller removed). */
  prepare?: (t: TestRuntime, f: Fixture, side: Side) => Promise<void>;
  /** Called with a session of its own (logging out ends the session it is called with). */
  freshSession?: true;
}

const need = (...permissions: Permission[]): Declared => ({ need: permissions });
const member: Declared = { org: 'member' };
const orgAdmin: Declared = { org: 'admin' };
const open: Declared = { public: true };

/** Every route, and who may call it. */
const MATRIX: Record<string, Row> = {
  'GET /health': { access: open },
  'GET /ready': { access: open },
  'GET /openapi.json': { access: open },
  'POST /auth/login': { access: open },
  'POST /auth/logout': { access: member, freshSession: true },
  'GET /auth/me': { access: member },
  'POST /auth/password': { access: member },
  'POST /users': { access: orgAdmin },
  'GET /users': { access: orgAdmin },
  'GET /users/{id}': { access: orgAdmin },
  'PATCH /users/{id}': { access: orgAdmin, body: () => ({ displayName: 'Renamed' }) },
  'PUT /users/{id}/password': { access: orgAdmin, body: () => ({ password: 'a long new password' }) },
  'GET /product-lines/{pl}/members': { access: need('admin') },
  'PUT /product-lines/{pl}/members': { access: need('admin') },
  'DELETE /product-lines/{pl}/members/{userId}': { access: need('admin'), prepare: (t, f, side) => addVictim(t, f, side) },
  'POST /tokens': { access: member },
  'GET /tokens': { access: member },
  // The token's roles are on one product line: only its admins (and org admins) see it at all.
  'DELETE /tokens/{id}': { access: member, expect: (caller, side) => (caller === 'anonymous' ? 401 : caller === 'orgAdmin' || (caller === 'admin' && side === 'own') ? 'allowed' : 404) },
  'POST /product-lines': { access: orgAdmin },
  'GET /product-lines': { access: member },
  'GET /product-lines/{id}': { access: need('read', 'sales') },
  'PATCH /product-lines/{id}': { access: need('admin') },
  'POST /scenarios': { access: need('write'), body: (f, side) => ({ productLine: f[side].pl }) },
  'GET /scenarios': { access: member },
  'GET /scenarios/{id}': { access: need('read') },
  'PATCH /scenarios/{id}': { access: need('write'), body: () => ({ name: 'Matrix (renamed)' }) },
  'GET /scenarios/{id}/node-counts': { access: need('read') },
  'PUT /scenarios/{id}/draft': { access: need('write') },
  'POST /scenarios/{id}/validate': { access: need('read') },
  'POST /scenarios/{id}/publish': { access: need('write') },
  'GET /scenarios/{id}/versions': { access: need('read') },
  'GET /scenarios/{id}/versions/{version}': { access: need('read') },
  'POST /scenarios/{id}/pause': { access: need('write') },
  'POST /scenarios/{id}/resume': { access: need('write') },
  'POST /scenarios/{id}/archive': { access: need('write') },
  'POST /scenarios/{id}/simulate': { access: need('simulate') },
  'GET /scenarios/{id}/splits': { access: need('read') },
  'POST /leads': { access: member },
  'GET /leads': { access: member },
  'POST /leads/import': { access: member },
  // A lead is seen by the readers (and sales) of a product line it is on, and changed by its writers.
  'GET /leads/{id}': { access: member, expect: as(need('read', 'sales')) },
  'PATCH /leads/{id}': { access: member, expect: as(need('write')), body: () => ({ tags: ['matrix'] }) },
  'POST /events': { access: member },
  'POST /events/batch': { access: member },
  'GET /enrollments': { access: member },
  'POST /enrollments': { access: need('write'), body: (f, side) => ({ scenarioId: f[side].main }) },
  'GET /enrollments/counts': { access: need('read'), query: (f, side) => `scenarioId=${f[side].main}` },
  'GET /enrollments/{id}': { access: need('read') },
  'POST /enrollments/{id}/exit': { access: need('write') },
  'POST /triggers/sweep': { access: member },
  'GET /outbox': { access: member },
  'GET /messages': { access: member },
  'GET /call-tasks': { access: member },
  'GET /webhooks': { access: member },
  'POST /call-tasks/{key}/complete': { access: need('sales') },
  'POST /handoffs/{key}/accept': { access: need('sales'), body: () => ({ note: 'x'.repeat(2001) }) },
  'POST /handoffs/{key}/return': { access: need('sales'), body: () => ({ note: 'x'.repeat(2001) }) },
  'GET /handoffs': { access: member },
  'GET /handoffs/{key}': { access: need('read', 'sales') },
  'GET /product-lines/{productLine}/call-tasks': { access: need('read', 'sales') },
  'GET /product-lines/{productLine}/hot-leads': { access: need('read', 'sales') },
  'GET /product-lines/{productLine}/handoffs': { access: need('read', 'sales') },
  'POST /product-lines/{productLine}/scoring/preview': { access: need('simulate') },
  'POST /product-lines/{pl}/templates': { access: need('write') },
  'GET /product-lines/{pl}/templates': { access: need('read') },
  'GET /product-lines/{pl}/templates/{id}': { access: need('read') },
  'PUT /product-lines/{pl}/templates/{id}': { access: need('write') },
  'POST /product-lines/{pl}/templates/{id}/preview': { access: need('read') },
  'GET /mailbox': { access: member },
  'GET /mailbox/{key}': { access: need('read') },
  'GET /webhooks/dead-letters': { access: member },
  'POST /webhooks/dead-letters/{key}/retry': { access: need('write') },
  'GET /print-jobs': { access: member },
  'GET /print-jobs/export.csv': { access: member },
  'POST /inbound/mail': { access: open },
  'POST /inbound/bounces': { access: open },
  'GET /product-lines/{pl}/kpis': { access: need('read') },
  'GET /product-lines/{pl}/kpis.csv': { access: need('read') },
  'GET /product-lines/{pl}/audit': { access: need('read') },
};

/** What `declared` means for a caller on an object of their product line or another. */
function outcome(declared: Declared, caller: Caller, side: Side): Outcome | 'public' {
  if ('public' in declared) return 'public';
  if (caller === 'anonymous') return 401;
  if ('org' in declared) return declared.org === 'member' || caller === 'orgAdmin' ? 'allowed' : 403;
  if (caller === 'orgAdmin') return 'allowed';
  // Every role is on the own product line only; another product line's objects do not exist for them.
  if (caller === 'none' || side === 'other') return 404;
  return declared.need.some((p) => MAY[caller].includes(p)) ? 'allowed' : 403;
}

function as(declared: Declared): (caller: Caller, side: Side) => Outcome {
  return (caller, side) => outcome(declared, caller, side) as Outcome;
}

/** The objects of one product line the requests name. */
interface Objects {
  pl: string;
  main: string;
  lead: string;
  enrollment: string;
  callTask: string;
  handoff: string;
  deadLetter: string;
  mail: string;
  token: string;
  victim: { id: string; email: string };
}
type Fixture = Record<Side, Objects> & { user: string; sessions: Record<Exclude<Caller, 'anonymous'>, Session>; emails: Record<Exclude<Caller, 'anonymous'>, string> };
interface Session {
  cookie: string;
  csrf: string;
}

const PASSWORD = 'matrix password 1';

async function ok(t: TestRuntime, method: string, path: string, body?: unknown): Promise<any> {
  const res = await t.call(method, path, body);
  expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

async function login(t: TestRuntime, email: string): Promise<Session> {
  const res = await t.as(null)('POST', '/auth/login', { email, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: res.body.csrfToken };
}

async function addVictim(t: TestRuntime, f: Fixture, side: Side): Promise<void> {
  await t.rt.db
    .insertInto('memberships')
    .values({ user_id: f[side].victim.id, product_line: f[side].pl, role: 'analyst' })
    .onConflict((oc) => oc.columns(['user_id', 'product_line']).doNothing())
    .execute();
}

/** Two product lines, each with scenarios, leads, an enrollment, a call task, hand-offs, a dead letter, mail, a token and a member. */
async function makeFixture(t: TestRuntime): Promise<Fixture> {
  const objects = {} as Record<Side, Objects>;
  for (const side of SIDES) {
    const pl = side === 'own' ? OWN : OTHER;
    await ok(t, 'POST', '/product-lines', { id: pl, name: `Matrix ${side}` });
    await ok(t, 'PUT', `/product-lines/${pl}/templates/tpl`, { name: 'Template', subject: 'Hello {{ lead.name }}', html: '<p>Hello</p>' });
    const calls = aGraph({ productLine: pl, scenarioId: `${pl}-calls`, name: 'Calls' }).trigger('t', { type: 'import' }).callTask('c1', { maxAttempts: 1 }).exit('x').connect('c1', 'noAnswer', 'x').connect('c1', 'appointment', 'x').connect('c1', 'refused', 'x').input();
    const handoffs = aGraph({ productLine: pl, scenarioId: `${pl}-handoffs`, name: 'Hand-offs' }).trigger('t', { type: 'import' }).handoff('h1').exit('x').connect('h1', 'returned', 'x').input();
    const main = aGraph({ productLine: pl, scenarioId: `${pl}-main`, name: 'Main' }).trigger('t', { type: 'import' }).handoff('h1').exit('x').connect('h1', 'returned', 'x').input();
    for (const g of [calls, handoffs, main]) {
      await ok(t, 'POST', '/scenarios', { id: g.scenarioId, productLine: pl, name: g.name, draft: g });
      await ok(t, 'POST', `/scenarios/${g.scenarioId}/publish`, { note: 'matrix' });
    }
    const leads = [1, 2, 3].map((n) => `${pl}-lead-${n}`);
    for (const id of leads) await ok(t, 'POST', '/leads', { id, email: `${id}@matrix.example.jp`, products: { [pl]: {} } });
    await ok(t, 'POST', '/enrollments', { scenarioId: calls.scenarioId, leadIds: [leads[0]] });
    await ok(t, 'POST', '/enrollments', { scenarioId: handoffs.scenarioId, leadIds: [leads[1], leads[2]] });
    const callTask = (await ok(t, 'GET', `/call-tasks?leadId=${leads[0]}`)).items[0].key;
    const handoff = (await ok(t, 'GET', `/handoffs?leadId=${leads[1]}`)).items[0].key;
    const deadLetter = (await ok(t, 'GET', `/handoffs?leadId=${leads[2]}`)).items[0].key;
    await t.rt.db.updateTable('outbox').set({ status: 'failed', last_error: 'matrix' }).where('key', '=', deadLetter).execute();
    const enrollment = (await ok(t, 'GET', `/enrollments?leadId=${leads[0]}`)).items[0].id;
    const mail = `${pl}-mail`;
    await t.rt.db.insertInto('mailbox').values({ lead_id: leads[0]!, key: mail, product_line: pl, to: 'a@matrix.example.jp', from: 'b@matrix.example.jp', subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' }).execute();
    const token = (await ok(t, 'POST', '/tokens', { name: `${pl} token`, roles: { [pl]: 'analyst' } })).token.id;
    const victimEmail = `victim-${side}@matrix.example.jp`;
    const victim = { id: (await ok(t, 'POST', '/users', { email: victimEmail, displayName: 'Victim', password: PASSWORD })).id, email: victimEmail };
    objects[side] = { pl, main: main.scenarioId, lead: leads[0]!, enrollment, callTask, handoff, deadLetter, mail, token, victim };
  }
  const user = (await ok(t, 'POST', '/users', { email: 'user-victim@matrix.example.jp', displayName: 'User', password: PASSWORD })).id;
  const emails = {} as Fixture['emails'];
  const sessions = {} as Fixture['sessions'];
  for (const caller of CALLERS) {
    if (caller === 'anonymous') continue;
    const email = `${caller.toLowerCase()}@matrix.example.jp`;
    await ok(t, 'POST', '/users', { email, displayName: caller, password: PASSWORD, orgAdmin: caller === 'orgAdmin' });
    if (caller !== 'orgAdmin' && caller !== 'none') await ok(t, 'PUT', `/product-lines/${OWN}/members`, { email, role: caller });
    emails[caller] = email;
    sessions[caller] = await login(t, email);
  }
  const fixture = { ...objects, user, sessions, emails } as Fixture;
  for (const side of SIDES) await addVictim(t, fixture, side);
  return fixture;
}

/** The value of a path parameter for an object of `side`. */
function param(path: string, name: string, o: Objects, f: Fixture): string {
  if (name === 'pl' || name === 'productLine') return o.pl;
  if (name === 'version') return '1';
  if (name === 'userId') return o.victim.id;
  if (path.startsWith('/product-lines/{id}')) return o.pl;
  if (path.startsWith('/product-lines/{pl}/templates/')) return 'tpl';
  if (path.startsWith('/scenarios/')) return o.main;
  if (path.startsWith('/leads/')) return o.lead;
  if (path.startsWith('/enrollments/')) return o.enrollment;
  if (path.startsWith('/users/')) return f.user;
  if (path.startsWith('/tokens/')) return o.token;
  if (path.startsWith('/call-tasks/')) return o.callTask;
  if (path.startsWith('/handoffs/')) return o.handoff;
  if (path.startsWith('/mailbox/')) return o.mail;
  if (path.startsWith('/webhooks/dead-letters/')) return o.deadLetter;
  throw new Error(`no sample for {${name}} in ${path}: add one to the access matrix`);
}

eachRuntime('access matrix', (current) => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await makeFixture(current());
  }, 120_000);

  it('every route says who may call it, and says it as the matrix expects', async () => {
    const doc = (await current().call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { 'x-access': Declared }>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op['x-access']] as const));
    const missing = documented.filter(([route]) => !(route in MATRIX)).map(([route, access]) => `${route} ${JSON.stringify(access)}`);
    expect(missing, 'routes missing from the access matrix: add each with who may call it').toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !documented.some(([r]) => r === route)), 'matrix rows for routes that do not exist').toEqual([]);
    for (const [route, access] of documented) expect(access, route).toEqual(MATRIX[route]!.access);
  });

  it('each caller on their own and on another product line hears 401, 403, 404 or an answer, route by route', { timeout: 600_000 }, async () => {
    const t = current();
    const doc = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const wrong: string[] = [];
    let requests = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const route = `${method.toUpperCase()} ${path}`;
        const row = MATRIX[route];
        if (!row) continue; // reported by the test above
        for (const side of SIDES) {
          const o = fixture[side];
          const url = path.replace(/\{([A-Za-z_]+)\}/g, (_m, name: string) => encodeURIComponent(param(path, name, o, fixture))) + (row.query ? `?${row.query(fixture, side)}` : '');
          const body = row.body ? row.body(fixture, side) : method === 'get' || method === 'delete' ? undefined : {};
          const heard = new Map<Caller, number>();
          for (const caller of CALLERS) {
            await row.prepare?.(t, fixture, side);
            const session = caller === 'anonymous' ? null : row.freshSession ? await login(t, fixture.emails[caller]) : fixture.sessions[caller];
            const headers: Record<string, string> = session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {};
            const res = await t.as(null)(method.toUpperCase(), url, body, headers);
            requests++;
            heard.set(caller, res.status);
            const want = row.expect ? row.expect(caller, side) : outcome(row.access, caller, side);
            const code = res.body?.error?.code;
            const label = `${caller} on ${side}: ${method.toUpperCase()} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}; expected ${want}`;
            if (want === 'public') {
              if (res.status === 403 || code === 'unauthenticated' || res.status >= 500) wrong.push(label);
            } else if (want === 'allowed') {
              if ([401, 403, 404].includes(res.status) || res.status >= 500) wrong.push(label);
            } else if (res.status !== want || code !== { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' }[want]) {
              wrong.push(label);
            }
          }
          // A public route answers everyone alike.
          if (outcome(row.access, 'anonymous', side) === 'public' && new Set(heard.values()).size !== 1) wrong.push(`${route} on ${side} answers callers differently: ${JSON.stringify([...heard])}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(Object.keys(MATRIX).length * SIDES.length * CALLERS.length);
  });
});
