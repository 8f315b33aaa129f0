// The loopback host check (DNS-rebinding defence): only literals and `localhost` count as loopback.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLoopback, isLoopbackHostHeader, requestOrigin } from './origin.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('isLoopback', () => {
  it('accepts localhost, 127.0.0.0/8 and ::1 in any spelling', () => {
    for (const h of ['localhost', 'LocalHost', '127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', '[0000::0001]']) expect(isLoopback(h), h).toBe(true);
  });
  it('refuses names that merely look like loopback, and other addresses', () => {
    for (const h of ['127.evil.example', '127.0.0.1.evil.example', '127.0.0.1.', 'localhost.', 'localhost.evil.example', 'evil-localhost', '127.1', '0x7f.0.0.1', '128.0.0.1', '10.0.0.1', '0.0.0.0', '::', '::2', '[::ffff:127.0.0.1]', '', '[::1']) expect(isLoopback(h), h).toBe(false);
  });
});

describe('isLoopbackHostHeader', () => {
  it('accepts a loopback name with or without a port', () => {
    for (const h of ['localhost', 'localhost:7430', '127.0.0.1:80', '127.9.9.9', '[::1]:7430', '[::1]']) expect(isLoopbackHostHeader(h), h).toBe(true);
  });
  it('refuses rebinding names, bad ports and unbracketed IPv6', () => {
    for (const h of ['127.evil.example', '127.evil.example:7430', 'localhost:7430:1', 'localhost:', 'localhost:abc', 'localhost:123456', '::1', '::1:7430', '[::1]x', 'localhost@evil.example', 'localhost:7430/x']) expect(isLoopbackHostHeader(h), h).toBe(false);
  });
});

describe('requestOrigin on a loopback server', () => {
  it('refuses a Host that only starts with 127.', () => {
    expect(requestOrigin(req({ host: '127.evil.example:7430' }), '127.0.0.1')).toMatchObject({ ok: false });
    expect(requestOrigin(req({ host: '127.0.0.1:7430' }), '127.0.0.1')).toEqual({ ok: true });
    expect(requestOrigin(req({ host: 'localhost:7430', origin: 'http://localhost:7430' }), '127.0.0.1')).toEqual({ ok: true });
    expect(requestOrigin(req({ host: 'localhost:7430', origin: 'http://localhost:8080' }), '127.0.0.1')).toMatchObject({ ok: false });
  });
  it('takes any Host when bound to a non-loopback address (the token and origin still apply)', () => {
    expect(requestOrigin(req({ host: 'desk.lan:7430' }), '0.0.0.0')).toEqual({ ok: true });
  });
});
