import { createSignal } from 'solid-js';

/** Hash routes ("#/checklists/abc") so the app works from any static host and offline. */
export interface Route {
  section: string;
  id?: string;
  /** "#/checklists/new?team=Ops" → team=Ops */
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { section: parts[0] ?? 'home', ...(parts[1] ? { id: parts[1] } : {}), params: new URLSearchParams(query) };
}

const [route, setRoute] = createSignal<Route>(parseRoute(globalThis.location?.hash ?? ''));
globalThis.addEventListener?.('hashchange', () => {
  setRoute(parseRoute(location.hash));
  window.scrollTo(0, 0);
});

export { route };

export const href = (section: string, id?: string, params?: Record<string, string>) =>
  `#/${section}${id ? `/${encodeURIComponent(id)}` : ''}${params ? `?${new URLSearchParams(params).toString()}` : ''}`;

export function navigate(section: string, id?: string): void {
  location.hash = href(section, id);
}
