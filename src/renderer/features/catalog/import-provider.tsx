/** Owns the import dialog and the drop-anywhere zone; `useImport().open()` starts an import from anywhere. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Group, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { IconFileImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ImportDialog } from './import-dialog.js';

interface ImportController {
  open: (file?: File) => void;
}

const ImportContext = createContext<ImportController | null>(null);

export function ImportProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ opened: boolean; file: File | null }>({ opened: false, file: null });
  const open = useCallback((file?: File) => setState({ opened: true, file: file ?? null }), []);
  const controller = useMemo(() => ({ open }), [open]);

  return (
    <ImportContext.Provider value={controller}>
      {children}
      <ImportDialog opened={state.opened} initialFile={state.file} onClose={() => setState({ opened: false, file: null })} />
      <Dropzone.FullScreen
        active={!state.opened}
        multiple={false}
        useFsAccessApi={false}
        onDrop={(files) => {
          const file = files[0];
          if (file) open(file);
        }}
        inputProps={{ 'data-testid': 'fullscreen-file-input' } as React.InputHTMLAttributes<HTMLInputElement>}
      >
        <Group justify="center" mih="60vh" style={{ pointerEvents: 'none' }}>
          <Stack align="center" gap="xs">
            <IconFileImport size={64} stroke={1.3} color="var(--mantine-primary-color-filled)" />
            <Text size="xl" fw={650}>
              {t('ui.import.dropAnywhereTitle')}
            </Text>
            <Text c="dimmed">{t('ui.import.dropHint')}</Text>
          </Stack>
        </Group>
      </Dropzone.FullScreen>
    </ImportContext.Provider>
  );
}

export function useImport(): ImportController {
  const value = useContext(ImportContext);
  if (!value) throw new Error('useImport() outside <ImportProvider>');
  return value;
}
