// What logging in and the access check cost, on the embedded PGlite and the local Postgres: a login
// (one scrypt hash of the password), and a read of one scenario (GET /scenarios/:id) made with an
// organisation admin's token, a product-line member's token (the check looks up the scenario's
// product line) and a member's session cookie, against the same read by a caller the app is told
// without looking anything up (what the route costs with no authentication at all).
import { createApp } from '../src/app.ts';
import { caller } from '../src/auth/access.ts';
import { createApiToken } from '../src/auth/tokens.ts';
import { createUser } from '../src/auth/users.ts';
import { ManualClock } from '../src/clock.ts';
import { ALL_ROUTES } from '../src/routes/index.ts';
import { benchRequest, openBenchRuntime } from './bench-runtime.ts';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 1000);
const LOGINS = 5;
const PASSWORD = 'bench password 0123';

/** Wall-clock ms and this process's CPU ms (PGlite's work included) of `n` runs of `one`. */
async function measure(n: number, one: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await one();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t0, cpuMs: (used.user + used.system) / 1000 };
}

for (const dialect of ['pglite', 'postgres'] as const) {
  const clock = new ManualClock(Date.parse('2026-04-06T00:00:00Z'));
  const { rt, drop } = await openBenchRuntime(dialect, clock);
  try {
    await benchRequest(rt, 'POST', '/product-lines', { id: 'bench', name: 'Bench' });
    await benchRequest(rt, 'POST', '/scenarios', { id: 'bench-scenario', productLine: 'bench', name: 'Bench' });
    const now = new Date(clock.now());
    const admin = (await createApiToken(rt.db, { name: 'admin', orgAdmin: true }, now)).secret;
    const member = (await createApiToken(rt.db, { name: 'analyst', roles: { bench: 'analyst' } }, now)).secret;
    await createUser(rt.db, { email: 'analyst@bench.example.jp', displayName: 'Analyst', password: PASSWORD }, now);
    await benchRequest(rt, 'PUT', '/product-lines/bench/members', { email: 'analyst@bench.example.jp', role: 'analyst' });
    const app = createApp(rt, ALL_ROUTES);
    const login = async () => app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'analyst@bench.example.jp', password: PASSWORD }) });
    const cookie = (await login()).headers.get('set-cookie')!.split(';')[0]!;
    const get = (path: string, headers: Record<string, string>) => async () => {
      const res = await app.request(`/api/v1${path}`, { headers });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    // The same app, told an organisation admin is calling: no token or session to look up.
    const fixed = createApp(rt, ALL_ROUTES, async () => ({ auth: caller({ userId: null, tokenId: null, orgAdmin: true, roles: new Map(), actor: 'bench' }), via: 'token', csrf: null }));
    const runs = {
      'no lookup (told the caller)': async () => {
        const res = await fixed.request('/api/v1/scenarios/bench-scenario');
        if (res.status !== 200) throw new Error(`fixed: ${res.status}`);
        await res.arrayBuffer();
      },
      'org admin token': get('/scenarios/bench-scenario', { authorization: `Bearer ${admin}` }),
      'member token': get('/scenarios/bench-scenario', { authorization: `Bearer ${member}` }),
      'member session': get('/scenarios/bench-scenario', { cookie }),
    };
    for (const run of Object.values(runs)) await measure(50, run); // warm up
    const loginCost = await measure(LOGINS, login);
    console.log(`\n${dialect}: ${REQUESTS} requests each`);
    console.log(`  login (scrypt N=2^15 r=8 p=3)   ${(loginCost.ms / LOGINS).toFixed(0)} ms, ${(loginCost.cpuMs / LOGINS).toFixed(0)} CPU ms per login`);
    console.log(`bench auth.${dialect}.login_cpu_ms ${(loginCost.cpuMs / LOGINS).toFixed(1)}`);
    for (const [name, run] of Object.entries(runs)) {
      const r = await measure(REQUESTS, run);
      const key = name.replace(/ \(.*\)/, '').replaceAll(' ', '_');
      console.log(`  ${name.padEnd(32)} ${((r.ms * 1000) / REQUESTS).toFixed(0)} µs, ${((r.cpuMs * 1000) / REQUESTS).toFixed(0)} CPU µs per request`);
      console.log(`bench auth.${dialect}.${key}_us ${((r.ms * 1000) / REQUESTS).toFixed(0)}`);
      console.log(`bench auth.${dialect}.${key}_cpu_us ${((r.cpuMs * 1000) / REQUESTS).toFixed(0)}`);
    }
  } finally {
    await drop();
  }
}
