// The editor's few screens as URLs, so a reload or a shared link opens the same screen. The runtime
// answers every non-API path with the editor's index.html.
import { useSyncExternalStore } from 'react';

/** The screen a URL opens. */
export type Route =
  | { screen: 'home' }
  | { screen: 'list'; productLine: string }
  | { screen: 'sales'; productLine: string }
  | { screen: 'scoring'; productLine: string }
  | { screen: 'dashboard'; productLine: string }
  | { screen: 'members'; productLine: string }
  | { screen: 'editor'; scenarioId: string; version: number | null };

/** The route of a path. */
export function parseRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'product-lines' && parts[1] && (parts[2] === 'sales' || parts[2] === 'scoring' || parts[2] === 'dashboard' || parts[2] === 'members')) return { screen: parts[2], productLine: parts[1] };
  if (parts[0] === 'product-lines' && parts[1]) return { screen: 'list', productLine: parts[1] };
  if (parts[0] === 'scenarios' && parts[1]) {
    const v = parts[2] === 'versions' && parts[3] ? Number(parts[3]) : null;
    return { screen: 'editor', scenarioId: parts[1], version: v !== null && Number.isInteger(v) && v > 0 ? v : null };
  }
  return { screen: 'home' };
}

/** The path of a route. */
export function routePath(route: Route): string {
  switch (route.screen) {
    case 'home':
      return '/';
    case 'list':
      return `/product-lines/${encodeURIComponent(route.productLine)}`;
    case 'sales':
    case 'scoring':
    case 'dashboard':
    case 'members':
      return `/product-lines/${encodeURIComponent(route.productLine)}/${route.screen}`;
    case 'editor':
      return `/scenarios/${encodeURIComponent(route.scenarioId)}${route.version ? `/versions/${route.version}` : ''}`;
  }
}

const listeners = new Set<() => void>();
if (typeof window !== 'undefined') window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** Opens a screen, adding it to the browser's history. */
export function navigate(route: Route, replace = false): void {
  const path = routePath(route);
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

/** The current route, re-rendering on navigation. */
export function useRoute(): Route {
  const path = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => location.pathname,
  );
  return parseRoute(path);
}
