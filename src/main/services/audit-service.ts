/** The audit domain: read and verify the hash-chained log. */
import type { Implements } from '../../shared/contract/procedure.js';
import type { audit } from '../../shared/contract/audit.js';
import type { Db } from '../catalog/connection.js';
import { listAudit, verifyAudit } from '../catalog/audit-log.js';

export class AuditService implements Implements<typeof audit> {
  constructor(private readonly db: Db) {}

  listEntries(input: { offset: number; limit: number }) {
    return listAudit(this.db, input.offset, input.limit);
  }

  verifyChain() {
    return verifyAudit(this.db);
  }
}
