import { describe, expect, it } from 'vitest';
import { HttpError } from '@/lib/errors';
import { thrownBy } from '@/test/thrown-by';
import { createPosterBudget } from './create-poster-budget';

const thrown = (run: () => unknown): HttpError => thrownBy(HttpError, run);

describe('createPosterBudget', () => {
  it('counts an IPv6 client by its /64, as the stream limits do', () => {
    const budget = createPosterBudget({
      fetchesPerSecond: 0,
      fetchesPerClientPerSecond: 1,
      answersPerClient: 32,
      now: () => 0,
    });
    for (let i = 0; i < 10; i++) budget.spendFetch(`2001:db8:1:2::${i + 1}`);
    expect(thrown(() => budget.spendFetch('2001:db8:1:2:ffff::9')).code).toBe('poster-client-budget');
    budget.spendFetch('2001:db8:1:3::1');
  });

  it('refuses the process past its fetches a second (ten seconds saved up) with a 503 and Retry-After', () => {
    let time = 0;
    const budget = createPosterBudget({
      fetchesPerSecond: 2,
      fetchesPerClientPerSecond: 0,
      answersPerClient: 32,
      now: () => time,
    });
    for (let i = 0; i < 20; i++) budget.spendFetch(`10.0.0.${i}`);
    const error = thrown(() => budget.spendFetch('10.0.1.1'));
    expect(error).toMatchObject({ status: 503, code: 'poster-budget' });
    const retryAfter = Number(error.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(error.details).toEqual({ retryAfterSeconds: retryAfter });
    time += 500;
    budget.spendFetch('10.0.1.1');
    expect(thrown(() => budget.spendFetch(undefined)).code).toBe('poster-budget');
  });

  it("refuses one client past its own budget with a 429, without spending the process's or other clients'", () => {
    const budget = createPosterBudget({
      fetchesPerSecond: 2,
      fetchesPerClientPerSecond: 1,
      answersPerClient: 32,
      now: () => 0,
    });
    for (let i = 0; i < 10; i++) budget.spendFetch('10.0.0.1');
    for (let i = 0; i < 100; i++) {
      const error = thrown(() => budget.spendFetch('10.0.0.1'));
      expect(error).toMatchObject({ status: 429, code: 'poster-client-budget' });
      expect(Number(error.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    }
    // The 100 refusals above spent nothing: the process still has 10 of its 20 for another client.
    for (let i = 0; i < 10; i++) budget.spendFetch('10.0.0.2');
    expect(thrown(() => budget.spendFetch('10.0.0.3')).code).toBe('poster-budget');
  });

  it('lets clients whose address is unreadable share one budget, and holds an unnamed caller to the process one only', () => {
    const budget = createPosterBudget({
      fetchesPerSecond: 0,
      fetchesPerClientPerSecond: 1,
      answersPerClient: 32,
      now: () => 0,
    });
    for (let i = 0; i < 10; i++) budget.spendFetch(null);
    expect(thrown(() => budget.spendFetch(null)).code).toBe('poster-client-budget');
    for (let i = 0; i < 1000; i++) budget.spendFetch(undefined);
  });

  it('caps the answers in progress per client with a 429, and gives a place back once', () => {
    const budget = createPosterBudget({
      fetchesPerSecond: 0,
      fetchesPerClientPerSecond: 0,
      answersPerClient: 3,
    });
    const leaves = [budget.enter('10.0.0.1'), budget.enter('10.0.0.1'), budget.enter('10.0.0.1')];
    const error = thrown(() => budget.enter('10.0.0.1'));
    expect(error).toMatchObject({ status: 429, code: 'poster-client-busy' });
    expect(error.headers['Retry-After']).toMatch(/^[12]$/);
    // Another client is not held up by this one.
    budget.enter('10.0.0.2');
    leaves[0]?.();
    leaves[0]?.();
    budget.enter('10.0.0.1');
    expect(thrown(() => budget.enter('10.0.0.1')).code).toBe('poster-client-busy');
  });
});
