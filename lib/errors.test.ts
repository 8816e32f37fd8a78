import { describe, expect, it, vi } from 'vitest';

describe('toErrorResponse', () => {
  it("answers another bundle's HttpError with its status, not as a 500", async () => {
    // Next's routes and the production server each bundle lib/: two copies of the class, one process.
    const thrower = await import('./errors');
    vi.resetModules();
    const answerer = await import('./errors');
    expect(answerer.HttpError).not.toBe(thrower.HttpError);
    const error = new thrower.HttpError({ status: 429, code: 'ip-limit', message: 'Too many.' });
    expect(error).toBeInstanceOf(answerer.HttpError);
    const response = answerer.toErrorResponse(error);
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ error: 'ip-limit', message: 'Too many.' });
  });

  it('answers anything else as a 500 that says nothing of it', async () => {
    const { toErrorResponse, HttpError } = await import('./errors');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(new Error('boom')).not.toBeInstanceOf(HttpError);
    const response = toErrorResponse(new Error('secret detail'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret');
  });
});
