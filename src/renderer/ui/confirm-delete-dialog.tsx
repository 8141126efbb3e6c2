/** A "Delete …?" confirmation: runs `onConfirm`, closes when it succeeds, and reports a failure as a notification. */
import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notifyError } from './notify.js';

export interface ConfirmDeleteDialogProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  text: string;
  confirmLabel: string;
  /** The notification's title when `onConfirm` throws; its text is `describe(err)`. */
  failedTitle: string;
  describe: (err: unknown) => string;
  onConfirm: () => Promise<void>;
  testId: string;
  confirmTestId: string;
}

export function ConfirmDeleteDialog(props: ConfirmDeleteDialogProps) {
  const { t } = useTranslation();
  const [deleting, setDeleting] = useState(false);
  const confirm = async () => {
    setDeleting(true);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (err) {
      notifyError(props.failedTitle, props.describe(err));
    } finally {
      setDeleting(false);
    }
  };
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={<Text fw={650}>{props.title}</Text>} centered data-testid={props.testId}>
      <Stack>
        <Text size="sm">{props.text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('ui.common.cancel')}
          </Button>
          <Button color="red" leftSection={<IconTrash size={16} />} onClick={confirm} loading={deleting} data-testid={props.confirmTestId}>
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
