/** React access to the host: `useApi()` for the typed client, `useHost()` for files and exports. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Api } from '../../shared/contract/index.js';
import type { Host } from './host.js';
import type { ConnectionState } from './ws-transport.js';

const HostContext = createContext<Host | null>(null);

export function HostProvider({ host, children }: { host: Host; children: ReactNode }) {
  return <HostContext.Provider value={host}>{children}</HostContext.Provider>;
}

export function useHost(): Host {
  const host = useContext(HostContext);
  if (!host) throw new Error('useHost() outside <HostProvider>');
  return host;
}

export function useApi(): Api {
  return useHost().api;
}

export function useConnectionState(): ConnectionState {
  const { connection } = useHost();
  return useSyncExternalStore(connection.subscribe, connection.getState);
}
