/** Domain types shared by main and renderer: zod schemas and the types inferred from them. */
export * from './errors.js';
export * from './error-schemas.js';
export * from './catalog.js';
export * from './jobs.js';
export * from './audit.js';
export * from './system.js';
export * from './privacy.js';
export * from './training.js';
export * from './fairness.js';
export * from './quality.js';
