/** Labeling: agreement measures (Cohen's, Fleiss' κ), overlap sampling and majority vote — pure functions. */
export { cohenKappa, fleissKappa } from './agreement.js';
export { inOverlap, labelsWanted, majorityLabel, agreementInputs, type RowLabels } from './queue.js';
