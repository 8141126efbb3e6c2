/** Renderer entry: set up i18n and the host (Electron bridge or browser WebSocket), then mount the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import { App } from './app/app.js';
import { initI18n } from './app/i18n.js';
import { createHost } from './api/index.js';

initI18n();
const host = createHost();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App host={host} />
  </StrictMode>,
);
