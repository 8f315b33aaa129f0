// Token handling and reconnect delays of the browser transport.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';
import { readToken, withoutToken } from './token.ts';

function memory(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) } as Storage;
}

describe('readToken', () => {
  it('takes ?token= and remembers it for a reload without it', () => {
    const s = memory();
    expect(readToken('?token=abc', s)).toBe('abc');
    expect(readToken('', s)).toBe('abc');
    expect(readToken('?token=new', s)).toBe('new');
  });
  it('is null without a token anywhere', () => {
    expect(readToken('?x=1', memory())).toBeNull();
    expect(readToken('', undefined)).toBeNull();
  });
});

describe('withoutToken', () => {
  it('drops ?token= and keeps the path, other parameters and the hash', () => {
    expect(withoutToken('http://127.0.0.1:7430/?token=abc#/threads/1')).toBe('/#/threads/1');
    expect(withoutToken('http://127.0.0.1:7430/?lang=en&token=abc&x=1#/settings')).toBe('/?lang=en&x=1#/settings');
  });
  it('is null when the URL has no token, so history is left alone', () => {
    expect(withoutToken('http://127.0.0.1:7430/#/threads')).toBeNull();
    expect(withoutToken('http://127.0.0.1:7430/?tokens=1')).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('doubles from 250 ms to at most 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffDelay)).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });
});

describe('electron transport errors', () => {
  it('reads the code the preload puts in the message', async () => {
    const { electronTransport } = await import('./electron-transport.ts');
    const api = {
      call: async () => {
        throw new Error('bad_input: describe the task');
      },
      onEvent: () => () => {},
    };
    const err = await electronTransport(api as never).call('runs.start', { task: '' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CommandError', code: 'bad_input', message: 'describe the task' });
    const plain = await electronTransport({ call: async () => Promise.reject(new Error('boom')), onEvent: () => () => {} } as never).call('app.info', {}).catch((e: unknown) => e);
    expect(plain).toMatchObject({ code: 'failed', message: 'boom' });
  });
});
