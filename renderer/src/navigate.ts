// Moving between views is changing the hash; the hashchange listener updates the store's route.
import { formatRoute, type Route } from './state/route.ts';

export function navigate(route: Route): void {
  const hash = formatRoute(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

/** A link's href for a route, so middle-click and "copy link" work too. */
export function href(route: Route): string {
  return formatRoute(route);
}
