// Starts and stops the miniSASS reference app (test/reference/django/, Django REST Framework 3.14 +
// simplejwt 5.2 from Debian's packages, run by the system Python) for the differential tests, and
// follows the activation links it mails. A machine without those packages fails here, loudly.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The system Python, where apt installs Django (a pyenv python3 on the PATH lacks it).
const PYTHON = '/usr/bin/python3';
const SERVE = join(import.meta.dirname, '..', 'reference', 'django', 'serve.py');
const PACKAGES = 'python3-django python3-djangorestframework python3-djangorestframework-simplejwt';

export interface DjangoReference {
  /** Base URL, e.g. http://127.0.0.1:41234, without a trailing slash. */
  url: string;
  /** Activates the account registered with `email` by following the link its activation mail holds. */
  activate: (email: string) => Promise<void>;
  /** The primary key of each seeded user, by username. */
  seeded: Record<string, number>;
  stop: () => Promise<void>;
}

/** A user the reference app creates through Django's ORM before it serves (serve.py, REFERENCE_SEED_USERS). */
export interface SeedUser {
  username: string;
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
  is_staff?: boolean;
  is_active?: boolean;
}

/** Starts the reference app on a port the system picks; rejects with the reason if it cannot start. */
export async function startDjangoReference(seed: SeedUser[] = []): Promise<DjangoReference> {
  const dataDir = mkdtempSync(join(tmpdir(), 'django-reference-'));
  const child = spawn(PYTHON, [SERVE], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      REFERENCE_DATA_DIR: dataDir,
      // A fresh signing key per run: simplejwt signs with SECRET_KEY.
      REFERENCE_SECRET_KEY: randomBytes(32).toString('hex'),
      PYTHONDONTWRITEBYTECODE: '1',
      REFERENCE_SEED_USERS: JSON.stringify(seed),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let port: number;
  let seeded: Record<string, number>;
  try {
    ({ port, seeded } = await readyPort(child));
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    seeded,
    activate: async (email) => {
      const link = activationLink(join(dataDir, 'mail'), email);
      // The link redirects (302) to the frontend's home page once the account is active.
      const res = await fetch(link.replace(/^https?:\/\/[^/]+/, url), { redirect: 'manual' });
      if (res.status !== 302) throw new Error(`activating ${email} at the reference app answered ${res.status}: ${await res.text()}`);
    },
    stop: async () => {
      // Killed by our signal, a child has no exit code but a signal code: stopping twice must not wait forever.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for "READY <port>" (after "SEEDED {username: pk}"); a missing package or an early exit rejects with what Python said. */
function readyPort(child: ChildProcess): Promise<{ port: number; seeded: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk) => {
      err = (err + chunk).slice(-4000);
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const ready = /READY (\d+)/.exec(out);
      const seeded = /SEEDED (\{.*\})/.exec(out);
      if (ready) resolve({ port: Number(ready[1]), seeded: seeded ? (JSON.parse(seeded[1]!) as Record<string, number>) : {} });
    });
    child.once('error', (error) =>
      reject(new Error(`${PYTHON} did not run (${error.message}); the differential tests need Debian's ${PACKAGES} (.ci/run installs them).`)),
    );
    child.once('exit', (code) => {
      const missing = /MISSING (.+)/.exec(out);
      if (missing) reject(new Error(`Django's reference app cannot start: apt-get install ${missing[1]} (.ci/run installs them).`));
      else reject(new Error(`Django's reference app exited (status ${code}) before it was ready:\n${out}${err}`));
    });
  });
}

/**
 * The activation link in the newest mail to `email` that the reference app wrote to `mailDir`.
 * Django's file backend names a file by the second and the backend object's id(), and appends:
 * two mails sent within one second by backends at a reused address share a file, one after
 * another, each ended by a line of 79 dashes. So the file is split into its mails, newest last.
 */
function activationLink(mailDir: string, email: string): string {
  const mails = readdirSync(mailDir)
    .sort()
    .flatMap((file) => readFileSync(join(mailDir, file), 'utf8').split(/^-{79}$/m));
  for (const mail of mails.reverse()) {
    if (!mail.split(/\r?\n/).includes(`To: ${email}`)) continue;
    const link = /https?:\/\/[^\s"<]+\/activate\/[^\s"<]+/.exec(mail);
    if (link) return link[0];
  }
  throw new Error(`no activation mail to ${email} in the reference app's mailbox`);
}
