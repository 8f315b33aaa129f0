// Hash routes round-trip, and anything unknown lands on home.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseHash, type Route } from './route.ts';

describe('hash routes', () => {
  const routes: Route[] = [
    { name: 'home' },
    { name: 'settings' },
    { name: 'thread', threadId: '01JTHREAD' },
    { name: 'run', threadId: '01JTHREAD', runId: '01JRUN' },
    { name: 'thread', threadId: 'a b/c' },
    { name: 'automations' },
    { name: 'runLink', runId: '01JRUN' },
    { name: 'automation', automation: 'send invoice' },
  ];
  it.each(routes)('round-trips %o', (route) => {
    expect(parseHash(formatRoute(route))).toEqual(route);
  });
  it.each(['', '#', '#/', '#/nope', '#/threads', '#/threads/x/runs', '#/settings/x', '#/threads/%E0%A4%A', '#/automations/a/b'])('%s is home or a safe route', (hash) => {
    const r = parseHash(hash);
    expect(['home', 'thread']).toContain(r.name);
  });
});
