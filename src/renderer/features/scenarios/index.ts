/** Scenarios: template cards with their runs, the own-data wizard, and one dashboard page per stored run. */
export { ScenariosPage } from './scenarios-page.js';
export { ScenarioRunPage } from './run-page.js';
