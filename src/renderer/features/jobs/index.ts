/** Jobs: the drawer of running and finished work, its header button, and completion notifications. */
export { JobsPanelProvider, useJobsPanel } from './jobs-panel.js';
export { JobsDrawer } from './jobs-drawer.js';
export { JobsButton } from './jobs-button.js';
export { useJobNotifications } from './use-job-notifications.js';
export { importResultOf } from './job-result.js';
