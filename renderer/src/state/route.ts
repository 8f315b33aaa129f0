// Hash routes, so a reload restores the view: #/threads/:id, #/threads/:id/runs/:runId, #/settings,
// #/automations, #/automations/:name, and #/runs/:runId (a run whose thread is not known yet).
export type Route =
  | { name: 'home' }
  /** Every active and queued run at a glance (the default view while anything runs). */
  | { name: 'active' }
  /** A thread not created yet: it is made when its first task starts. */
  | { name: 'new' }
  | { name: 'thread'; threadId: string }
  | { name: 'run'; threadId: string; runId: string }
  | { name: 'settings' }
  | { name: 'runLink'; runId: string }
  | { name: 'automations' }
  | { name: 'automation'; automation: string }
  | { name: 'skills' }
  | { name: 'skill'; skill: string };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'settings' && parts.length === 1) return { name: 'settings' };
  if (parts[0] === 'active' && parts.length === 1) return { name: 'active' };
  if (parts[0] === 'new' && parts.length === 1) return { name: 'new' };
  if (parts[0] === 'runs' && parts[1] && parts.length === 2) return { name: 'runLink', runId: parts[1] };
  if (parts[0] === 'automations') {
    if (parts.length === 1) return { name: 'automations' };
    if (parts.length === 2) return { name: 'automation', automation: parts[1]! };
  }
  if (parts[0] === 'skills') {
    if (parts.length === 1) return { name: 'skills' };
    if (parts.length === 2) return { name: 'skill', skill: parts[1]! };
  }
  if (parts[0] === 'threads' && parts[1]) {
    if (parts.length === 2) return { name: 'thread', threadId: parts[1] };
    if (parts[2] === 'runs' && parts[3] && parts.length === 4) return { name: 'run', threadId: parts[1], runId: parts[3] };
  }
  return { name: 'home' };
}

export function formatRoute(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'home':
      return '#/';
    case 'settings':
      return '#/settings';
    case 'active':
      return '#/active';
    case 'new':
      return '#/new';
    case 'runLink':
      return `#/runs/${e(route.runId)}`;
    case 'automations':
      return '#/automations';
    case 'automation':
      return `#/automations/${e(route.automation)}`;
    case 'skills':
      return '#/skills';
    case 'skill':
      return `#/skills/${e(route.skill)}`;
    case 'thread':
      return `#/threads/${e(route.threadId)}`;
    case 'run':
      return `#/threads/${e(route.threadId)}/runs/${e(route.runId)}`;
  }
}

/** The thread a route is about, if any. */
export function routeThreadId(route: Route): string | undefined {
  return route.name === 'thread' || route.name === 'run' ? route.threadId : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
