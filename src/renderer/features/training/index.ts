/** Training (model studio): the training run with live curves, the model list with run comparison, and the model page. */
export { TrainPage } from './train-page.js';
export { ModelsPage } from './models-page.js';
export { ModelPage } from './model-page.js';
export { useJobRun, type JobRun } from './use-job-run.js';
