/** Audit: the hash-chained log of every change, and its verification. */
export { AuditPage } from './audit-page.js';
