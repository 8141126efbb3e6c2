/** Whether the jobs drawer is open, shared by the header button, shortcuts and the import flow. */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

interface JobsPanelState {
  opened: boolean;
  open: () => void;
  close: () => void;
  toggle: () => void;
}

const JobsPanelContext = createContext<JobsPanelState | null>(null);

export function JobsPanelProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  const value = useMemo<JobsPanelState>(
    () => ({ opened, open: () => setOpened(true), close: () => setOpened(false), toggle: () => setOpened((o) => !o) }),
    [opened],
  );
  return <JobsPanelContext.Provider value={value}>{children}</JobsPanelContext.Provider>;
}

export function useJobsPanel(): JobsPanelState {
  const value = useContext(JobsPanelContext);
  if (!value) throw new Error('useJobsPanel() outside <JobsPanelProvider>');
  return value;
}
