// The MCP server form's text boxes to the settings' entry and back.
import { describe, expect, it } from 'vitest';
import { emptyForm, formFromServer, idFromName, sameServer, serverFromForm } from './mcp-server-form.ts';

describe('MCP server form', () => {
  it('turns a program, one argument a line and NAME=value lines into a command entry with an id from the name', () => {
    const r = serverFromForm({ ...emptyForm(), name: 'My Echo!', command: ' /usr/bin/node \n/srv/run.js\n\necho server.ts\n', env: 'TOKEN=${ECHO_KEY}\nA = b=c\n' }, ['other']);
    expect(r).toEqual({ ok: true, server: { id: 'my-echo', name: 'My Echo!', enabled: true, trusted: false, command: '/usr/bin/node', args: ['/srv/run.js', 'echo server.ts'], env: { TOKEN: '${ECHO_KEY}', A: 'b=c' } } });
  });

  it('turns an address and Name: value lines into a URL entry', () => {
    const r = serverFromForm({ ...emptyForm(), name: 'Web', kind: 'url', url: 'https://mcp.example.com/mcp', headers: 'Authorization: Bearer ${KEY}' }, []);
    expect(r).toMatchObject({ ok: true, server: { id: 'web', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${KEY}' } } });
    if (r.ok) expect(r.server.command).toBeUndefined();
  });

  it('says what is missing or which line is wrong', () => {
    expect(serverFromForm({ ...emptyForm(), command: 'x' }, [])).toMatchObject({ ok: false, error: 'settings.mcp.needName' });
    expect(serverFromForm({ ...emptyForm(), name: 'a' }, [])).toMatchObject({ ok: false, error: 'settings.mcp.needCommand' });
    expect(serverFromForm({ ...emptyForm(), name: 'a', kind: 'url', url: 'ftp://x' }, [])).toMatchObject({ ok: false, error: 'settings.mcp.needUrl' });
    expect(serverFromForm({ ...emptyForm(), name: 'a', command: 'x', env: 'OK=1\nno equals' }, [])).toMatchObject({ ok: false, error: 'settings.mcp.badLine', params: { line: 2 } });
  });

  it('keeps an edited server\'s id, and makes new ids unique and valid', () => {
    const server = { id: 'kept', name: 'Old', command: 'x', args: ['a b'], env: { K: 'v' }, enabled: false, trusted: true };
    const form = formFromServer(server);
    expect(serverFromForm({ ...form, name: 'Renamed' }, [])).toEqual({ ok: true, server: { ...server, name: 'Renamed' } });
    expect(sameServer(server, { trusted: true, enabled: false, env: { K: 'v' }, args: ['a b'], command: 'x', name: 'Old', id: 'kept' })).toBe(true);
    expect(idFromName('Echo', ['echo', 'echo-2'])).toBe('echo-3');
    expect(idFromName('日本', [])).toBe('server');
    expect(idFromName('x'.repeat(60), [])).toMatch(/^[a-z0-9][a-z0-9-]{0,31}$/);
  });
});
