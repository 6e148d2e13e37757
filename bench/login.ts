// Section 3: the login use case (lib/use-cases/login.ts) against DynamoDB Local, next to argon2id
// verify alone with the same parameters and the same stored hash. Interleaved one by one, so any
// drift in machine speed hits both series alike.
import { randomUUID } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { sha256 } from '../lib/tokens/opaque.ts';
import { login } from '../lib/use-cases/login.ts';
import { percentile, timeMs } from './lib/stats.ts';
import type { BenchService } from './support/service.ts';

export interface LoginSummary {
  n: number;
  login: { p50: number; p99: number };
  argon2: { p50: number; p99: number };
  /** One GetItem against the same DynamoDB Local, timed after the logins. */
  roundTrip: { p50: number };
  /** The session write alone (the two-item transaction login ends with), timed after the logins. */
  sessionWrite: { p50: number };
  dbRequestsPerLogin: number;
  params: { memoryCost: number; timeCost: number; parallelism: number };
}

export async function benchLogin(service: BenchService, credentials: { login: string; password: string }, n: number): Promise<LoginSummary> {
  const { deps } = service;
  const user = await deps.users.findByLogin(credentials.login);
  if (!user) throw new Error('benchmark user missing');
  const hash = user.passwordHash;
  const checkVerify = async () => {
    if (!(await verify(hash, credentials.password))) throw new Error('argon2 refused the password');
  };
  const checkLogin = async () => {
    const result = await login(credentials, deps);
    if (!result.accessToken.token) throw new Error('login returned no token');
  };
  for (let i = 0; i < 5; i += 1) {
    await checkLogin();
    await checkVerify();
  }
  const logins: number[] = [];
  const verifies: number[] = [];
  const roundTrips: number[] = [];
  const checkRoundTrip = async () => {
    if (!(await deps.users.get(user.id))) throw new Error('benchmark user missing');
  };
  const before = service.dbRequests();
  for (let i = 0; i < n; i += 1) {
    // Alternate which goes first, so neither always follows the other.
    if (i % 2 === 0) {
      logins.push(await timeMs(checkLogin));
      verifies.push(await timeMs(checkVerify));
    } else {
      verifies.push(await timeMs(checkVerify));
      logins.push(await timeMs(checkLogin));
    }
  }
  const dbRequestsPerLogin = (service.dbRequests() - before) / n;
  const sessionWrites: number[] = [];
  const writeSession = () => {
    const now = Date.now();
    return deps.sessions.create({
      familyId: randomUUID(),
      userId: user.id,
      refreshTokenHash: sha256(randomUUID()),
      createdAt: now,
      expiresAt: Math.floor(now / 1000) + 3600,
    });
  };
  for (let i = 0; i < n; i += 1) {
    roundTrips.push(await timeMs(checkRoundTrip));
    sessionWrites.push(await timeMs(writeSession));
  }
  return {
    n,
    roundTrip: { p50: percentile(roundTrips, 50) },
    sessionWrite: { p50: percentile(sessionWrites, 50) },
    login: { p50: percentile(logins, 50), p99: percentile(logins, 99) },
    argon2: { p50: percentile(verifies, 50), p99: percentile(verifies, 99) },
    dbRequestsPerLogin,
    params: deps.config.argon2,
  };
}
