/**
 * A small hash router: `#/catalog`, `#/datasets/<id>`, `#/train[/<versionId>]`, `#/models`, `#/models/<id>`, `#/audit`,
 * `#/settings`. Hash routes work the same under
 * Electron's `app://` scheme and under `xinzhi serve`, and need no server-side fallback.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'catalog' }
  | { name: 'dataset'; datasetId: string }
  | { name: 'train'; versionId?: string }
  | { name: 'models' }
  | { name: 'model'; modelId: string }
  | { name: 'audit' }
  | { name: 'fairness' }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const [head, arg] = path.split('/');
  if (head === 'datasets' && arg) return { name: 'dataset', datasetId: decodeURIComponent(arg) };
  if (head === 'train') return arg ? { name: 'train', versionId: decodeURIComponent(arg) } : { name: 'train' };
  if (head === 'models') return arg ? { name: 'model', modelId: decodeURIComponent(arg) } : { name: 'models' };
  if (head === 'audit') return { name: 'audit' };
  if (head === 'fairness') return { name: 'fairness' };
  if (head === 'settings') return { name: 'settings' };
  return { name: 'catalog' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'catalog':
      return '#/catalog';
    case 'dataset':
      return `#/datasets/${encodeURIComponent(route.datasetId)}`;
    case 'train':
      return route.versionId ? `#/train/${encodeURIComponent(route.versionId)}` : '#/train';
    case 'models':
      return '#/models';
    case 'model':
      return `#/models/${encodeURIComponent(route.modelId)}`;
    case 'audit':
      return '#/audit';
    case 'fairness':
      return '#/fairness';
    case 'settings':
      return '#/settings';
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function getHash(): string {
  return window.location.hash;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseRoute(hash);
}
