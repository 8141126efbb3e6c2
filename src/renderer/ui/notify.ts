/** Toasts with one look across the app. Texts arrive already localised. */
import type { ReactNode } from 'react';
import { notifications } from '@mantine/notifications';

export function notifyError(title: string, message: ReactNode, id?: string): void {
  notifications.show({ id, color: 'red', title, message, autoClose: 10_000, withBorder: true });
}

export function notifySuccess(title: string, message: ReactNode, id?: string): void {
  notifications.show({ id, color: 'teal', title, message, autoClose: 6_000, withBorder: true });
}

export function notifyInfo(title: string, message: ReactNode, id?: string): void {
  notifications.show({ id, color: 'indigo', title, message, autoClose: 5_000, withBorder: true });
}
