// Step-up (lib/use-cases/step-up.ts) and how its refusal reaches the client: an authentication
// older than STEP_UP_MAX_AGE, or without a second factor on an account that has one, is refused
// with 401 step_up_required; the mfa_required problem carries its extension members.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/all.ts';
import { MfaRequiredError, StepUpRequiredError } from '../../../lib/domain/errors.ts';
import type { User, UserStore } from '../../../lib/domain/user.ts';
import { problem } from '../../../lib/http/problem.ts';
import { toHttpError } from '../../../lib/http/status.ts';
import { requireStepUp, tokenAuthentication } from '../../../lib/use-cases/step-up.ts';
import { testClock } from '../../support/clock.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const nowSeconds = NOW / 1000;
const config = loadConfig({ TABLE_NAME: 't', PUBLIC_URL: 'https://auth.example.com', STEP_UP_MAX_AGE: '600' });
/** The table as requireStepUp reads it: the user's stored factor counters. */
let stored: Partial<User> = {};
const deps = { clock: testClock(NOW), config, users: { get: async (id: string) => ({ id, ...stored }) as User } as unknown as UserStore };
const user = (factors: Partial<Pick<User, 'mfaTotp' | 'passkeyCount'>>) => {
  stored = factors;
  return { id: 'u' } as User;
};

describe('requireStepUp', () => {
  it('takes a recent password alone from an account without a factor', async () => {
    await expect(requireStepUp({ authTime: nowSeconds - 600, amr: ['pwd'] }, user({}), deps)).resolves.toBeUndefined();
    await expect(requireStepUp({ authTime: nowSeconds - 601, amr: ['pwd'] }, user({}), deps)).rejects.toThrow(StepUpRequiredError);
  });

  it('needs mfa in amr once the account has a factor, however recent the password', async () => {
    for (const factors of [{ mfaTotp: true }, { passkeyCount: 2 }]) {
      await expect(requireStepUp({ authTime: nowSeconds, amr: ['pwd'] }, user(factors), deps)).rejects.toThrow(StepUpRequiredError);
      await expect(requireStepUp({ authTime: nowSeconds - 10, amr: ['pwd', 'otp', 'mfa'] }, user(factors), deps)).resolves.toBeUndefined();
      await expect(requireStepUp({ authTime: nowSeconds - 601, amr: ['pwd', 'otp', 'mfa'] }, user(factors), deps)).rejects.toThrow(StepUpRequiredError);
    }
    // A passkey removed to the last one still counts: passkeyCount 0 is no factor.
    await expect(requireStepUp({ authTime: nowSeconds, amr: ['pwd'] }, user({ passkeyCount: 0 }), deps)).resolves.toBeUndefined();
  });

  it('refuses a token that says nothing of its authentication (API tokens, tokens from before MFA)', async () => {
    await expect(requireStepUp(tokenAuthentication({ sub: 'u' }), user({}), deps)).rejects.toThrow(StepUpRequiredError);
    await expect(requireStepUp(tokenAuthentication({ auth_time: String(nowSeconds), amr: ['pwd'] }), user({}), deps)).rejects.toThrow(StepUpRequiredError);
    expect(tokenAuthentication({ auth_time: nowSeconds, amr: ['pwd', 7, 'mfa'] })).toEqual({ authTime: nowSeconds, amr: ['pwd', 'mfa'] });
  });

  it('decides on the factors stored now, not on a user read before one was added (cached by the token checker)', async () => {
    const cached = { id: 'u' } as User;
    stored = { passkeyCount: 1 };
    await expect(requireStepUp({ authTime: nowSeconds, amr: ['pwd'] }, cached, deps)).rejects.toThrow(StepUpRequiredError);
    expect(cached.passkeyCount).toBe(1);
  });

  it('answers 401 step_up_required naming the maximum age', () => {
    const body = JSON.parse(problem(toHttpError(new StepUpRequiredError(600))).body ?? '');
    expect(body).toMatchObject({ status: 401, code: 'step_up_required', max_age: 600 });
  });
});

describe('the mfa_required problem', () => {
  it('carries mfa_token and methods as extension members, which never replace the standard ones', () => {
    const answer = problem(toHttpError(new MfaRequiredError({ mfaToken: 'tok', methods: ['totp', 'recovery_code'] })));
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({ code: 'mfa_required', status: 401, mfa_token: 'tok', methods: ['totp', 'recovery_code'] });
    const bare = JSON.parse(problem(toHttpError(new MfaRequiredError())).body ?? '');
    expect(bare).not.toHaveProperty('mfa_token');
    expect(bare.detail).toMatch(/cannot ask/);
  });
});
