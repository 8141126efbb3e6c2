/** Settings: language, theme, system information and the doctor. */
export { SettingsPage } from './settings-page.js';
