/** Privacy: the anonymisation wizard (roles, hierarchies, models, run, results). */
export { PrivacyWizard, type PrivacyWizardProps } from './privacy-wizard.js';
