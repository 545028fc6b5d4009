// What the test suite needs from the machine, prepared when missing: the local PostgreSQL server
// (the integration suite runs on it as well as on embedded PGlite), Debian's chromium for e2e, and
// Japanese and emoji fonts so the screenshots the browser tests keep show the text and icons rather than boxes.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const sh = (cmd) => spawnSync('bash', ['-c', cmd], { stdio: 'inherit' }).status === 0;
const quiet = (cmd) => spawnSync('bash', ['-c', cmd], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

/** Start the local PostgreSQL if it is installed and down; install chromium and CJK and emoji fonts if missing and we may. */
export function ensureServices() {
  if (existsSync('/etc/postgresql') && !quiet('pg_isready -h 127.0.0.1 -p 5432 -q')) {
    const version = readdirSync('/etc/postgresql')[0];
    console.log(`▶ starting PostgreSQL ${version}`);
    sh(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
  }
  if (!existsSync('/usr/bin/chromium') && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('▶ installing chromium for the browser tests');
    sh('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null');
  }
  // Only the screenshots need them: a machine where they cannot be installed still runs every test.
  if (isRoot && existsSync('/usr/bin/apt-get') && !quiet('fc-list :lang=ja | grep -q . && fc-list | grep -qi emoji')) {
    console.log('▶ installing Japanese and emoji fonts for the browser screenshots');
    quiet('DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-noto-color-emoji >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-noto-color-emoji >/dev/null)');
  }
}
