/** The one typed contract between the services and every client: domains of procedures and events. */
import { catalog } from './catalog.js';
import { jobs } from './jobs.js';
import { audit } from './audit.js';
import { system } from './system.js';
import { privacy } from './privacy.js';
import { training } from './training.js';
import { scenarios } from './scenarios.js';
import { fairness } from './fairness.js';
import { reports } from './reports.js';
import { cleaning } from './cleaning.js';
import { lineage } from './lineage.js';
import { quality } from './quality.js';
import { metadata } from './catalog-metadata.js';
import { pii } from './pii.js';
import { labeling } from './labeling.js';
import type { ClientFor, ServicesFor } from './procedure.js';

export const contract = { catalog, jobs, audit, system, privacy, training, reports, fairness, cleaning, lineage, quality, metadata, pii, labeling, scenarios } as const;
export type Contract = typeof contract;
export type Services = ServicesFor<Contract>;
export type Api = ClientFor<Contract>;

export * from './procedure.js';
export * from './client.js';
