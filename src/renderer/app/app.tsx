/** Providers, outermost first: Mantine (theme, colour scheme), notifications, react-query, the host, app state. */
import { useState } from 'react';
import { MantineProvider, localStorageColorSchemeManager } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConnectionError, HostProvider, type Host } from '../api/index.js';
import { ImportProvider } from '../features/catalog/index.js';
import { JobsPanelProvider } from '../features/jobs/index.js';
import { COLOR_SCHEME_STORAGE_KEY } from '../ui/preferences.js';
import { Shell } from './shell.js';
import { theme } from './theme.js';

const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Service errors are answers (not found, invalid input): retrying cannot change them. A dropped socket can.
        retry: (count, err) => err instanceof ConnectionError && err.reason !== 'unauthorized' && count < 3,
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
      mutations: { retry: false },
    },
  });
}

export function App({ host }: { host: Host }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="light">
      <Notifications position="bottom-right" limit={5} zIndex={1000} />
      <QueryClientProvider client={queryClient}>
        <HostProvider host={host}>
          <JobsPanelProvider>
            <ImportProvider>
              <Shell />
            </ImportProvider>
          </JobsPanelProvider>
        </HostProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
