/** createApp(config): the one composition root — catalog, jobs and services wired, bound to the contract. */
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir, userInfo } from 'node:os';
import { contract } from '../shared/contract/index.js';
import type { HostKind } from '../shared/model/system.js';
import { openCatalog, type Db } from './catalog/connection.js';
import { appendAudit } from './catalog/audit-log.js';
import { loadOrCreateKey, type KeyProtector } from './catalog/key-store.js';

export type { KeyProtector };
import { JobManager } from './jobs/job-manager.js';
import { QueryHost } from './jobs/query-host.js';
import { CatalogService } from './services/catalog-service.js';
import { JobsService } from './services/jobs-service.js';
import { AuditService } from './services/audit-service.js';
import { SystemService } from './services/system-service.js';
import { PrivacyService } from './services/privacy-service.js';
import { TrainingService } from './services/training-service.js';
import { ScenariosService } from './services/scenarios-service.js';
import { ReportsService } from './services/reports-service.js';
import { FairnessService } from './services/fairness-service.js';
import { CleaningService } from './services/cleaning-service.js';
import { LineageService } from './services/lineage-service.js';
import { QualityService } from './services/quality-service.js';
import { CatalogMetadataService } from './services/catalog-metadata-service.js';
import { PiiService, piiSensitivitySuggester } from './services/pii-service.js';
import { LabelingService } from './services/labeling-service.js';
import { bind, type BoundContract } from './transport/bind.js';
import { EventBus } from './transport/event-bus.js';

export interface AppConfig {
  workspace: string;
  host: HostKind;
  /** Folder holding the built `*.worker.mjs` files; found from the package root when omitted. */
  workersDir?: string;
  appRoot?: string;
  /** Overrides the version read from package.json (the Electron host passes app.getVersion()). */
  appVersion?: string;
  /** Wraps key files with the OS keychain (the Electron host passes one over safeStorage). */
  keyProtector?: KeyProtector;
  /** Profile and check the rules of every new version in the background (the desktop and browser hosts turn it on). */
  autoQuality?: boolean;
}

export interface App {
  config: Required<Omit<AppConfig, 'appVersion' | 'keyProtector' | 'autoQuality'>>;
  appVersion: string;
  db: Db;
  services: { catalog: CatalogService; jobs: JobsService; audit: AuditService; system: SystemService; privacy: PrivacyService; training: TrainingService; scenarios: ScenariosService; reports: ReportsService; fairness: FairnessService; cleaning: CleaningService; lineage: LineageService; quality: QualityService; metadata: CatalogMetadataService; pii: PiiService; labeling: LabelingService };
  bound: BoundContract;
  events: EventBus;
  jobs: JobManager;
  close(): Promise<void>;
}

/** The package root (where package.json and dist/ are), from wherever this bundle runs. */
export function findAppRoot(): string {
  let dir = typeof __dirname !== 'undefined' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'xinzhi-workbench') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the xinzhi-workbench package root');
    dir = parent;
  }
}

/** `--workspace DIR`, else XINZHI_HOME, else ~/.xinzhi. */
export function resolveWorkspace(explicit?: string): string {
  return resolve(explicit ?? process.env.XINZHI_HOME ?? join(homedir(), '.xinzhi'));
}

export async function createApp(input: AppConfig): Promise<App> {
  const appRoot = input.appRoot ?? findAppRoot();
  const config: App['config'] = {
    workspace: resolve(input.workspace),
    host: input.host,
    appRoot,
    workersDir: input.workersDir ?? join(appRoot, 'dist', 'main', 'workers'),
  };
  if (!existsSync(join(config.workersDir, 'import.worker.mjs'))) {
    throw new Error(`worker bundles not found in ${config.workersDir}: run npm run build`);
  }
  const appVersion = input.appVersion ?? (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  mkdirSync(config.workspace, { recursive: true });
  const db = openCatalog(config.workspace);
  const events = new EventBus();
  const jobs = new JobManager(db, config.workspace, config.workersDir, (job) => events.emit('jobs', 'onDidUpdate', job));
  const interrupted = jobs.recover();
  const actor = `${safeUserName()}@${config.host}`;
  if (interrupted.length > 0) {
    db.transaction(() => appendAudit(db, { actor, action: 'jobs.interrupted', target: null, details: { jobs: interrupted.map((j) => j.id) } }))();
  }
  const queries = new QueryHost(config.workersDir, config.workspace);
  const catalog = new CatalogService(db, jobs, events, actor, queries);
  const training = new TrainingService(db, jobs, config.workspace, actor, events);
  const services = {
    catalog,
    jobs: new JobsService(jobs),
    audit: new AuditService(db),
    system: new SystemService({ host: config.host, workspace: config.workspace, appVersion, appRoot }),
    privacy: new PrivacyService(db, jobs, events, actor, (name) => loadOrCreateKey(config.workspace, name, input.keyProtector)),
    training,
    scenarios: new ScenariosService(db, jobs, catalog, training, config.workspace, appRoot, actor),
    reports: new ReportsService(db, jobs, actor, { workspace: config.workspace, appRoot, appVersion }),
    fairness: new FairnessService(db, jobs, config.workspace, actor, events),
    cleaning: new CleaningService(db, jobs, events, actor),
    lineage: new LineageService(db),
    quality: new QualityService(db, jobs, events, actor, { autoRun: input.autoQuality ?? false }),
    metadata: new CatalogMetadataService(db, events, actor, piiSensitivitySuggester(db)),
    pii: new PiiService(db, actor),
    labeling: new LabelingService(db, events, actor),
  };
  const bound = bind(contract, services);
  let closed = false;
  return {
    config,
    appVersion,
    db,
    services,
    bound,
    events,
    jobs,
    async close() {
      if (closed) return;
      closed = true;
      await jobs.close();
      await queries.close();
      db.close();
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'user';
  }
}
