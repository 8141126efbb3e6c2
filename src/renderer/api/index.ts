/** The renderer's door to the services: host detection, transports, typed client, cached queries, errors. */
export { createHost, type Host, type HostMode, type ExportOutcome } from './host.js';
export { HostProvider, useHost, useApi, useConnectionState } from './context.js';
export type { ConnectionState } from './ws-transport.js';
export { ConnectionError, describeError, describeErrorInfo, asErrorInfo } from './errors.js';
export {
  queryKeys, useDatasets, useDataset, useJobs, useModels, useModel, useVersion, useAuditEntries, useSystemInfo, useLiveUpdates, mergeJob, isActiveJob,
  JOBS_LIMIT, type RowView,
} from './queries.js';
