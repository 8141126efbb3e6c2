/**
 * bind(contract, services): the one gate every transport calls. It validates the input with the procedure's
 * zod schema, calls the service, validates the output, and returns a Result — errors travel as data.
 */
import type { z } from 'zod';
import { lookup, type ContractDef, type ServicesFor } from '../../shared/contract/procedure.js';
import { toErrorInfo, type Result } from '../../shared/model/errors.js';

export interface BoundContract {
  invoke(qualifiedName: string, payload: unknown): Promise<Result<unknown>>;
  readonly procedureNames: readonly string[];
  readonly eventNames: readonly string[];
}

function describeIssues(error: z.ZodError): { path: string; issue: string; issues: { path: string; message: string }[] } {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  return { path: issues[0]?.path ?? '(root)', issue: issues[0]?.message ?? 'invalid', issues };
}

export function bind<C extends ContractDef>(contract: C, services: ServicesFor<C>): BoundContract {
  const procedureNames: string[] = [];
  const eventNames: string[] = [];
  for (const [domain, defs] of Object.entries(contract)) {
    for (const [name, def] of Object.entries(defs)) {
      if (def.kind === 'procedure') {
        procedureNames.push(`${domain}.${name}`);
        const impl = (services as Record<string, Record<string, unknown>>)[domain]?.[name];
        if (typeof impl !== 'function') throw new Error(`bind: service for ${domain}.${name} is missing`);
      } else eventNames.push(`${domain}.${name}`);
    }
  }

  async function invoke(qualifiedName: string, payload: unknown): Promise<Result<unknown>> {
    const def = typeof qualifiedName === 'string' ? lookup(contract, qualifiedName) : undefined;
    if (!def || def.kind !== 'procedure') {
      return { ok: false, error: { code: 'E_UNKNOWN_PROCEDURE', message: `Unknown procedure ${String(qualifiedName)}`, params: { name: String(qualifiedName) } } };
    }
    const input = def.input.safeParse(payload ?? {});
    if (!input.success) {
      const { path, issue, issues } = describeIssues(input.error);
      return { ok: false, error: { code: 'E_INVALID_INPUT', message: `Invalid input at ${path}: ${issue}`, params: { path, issue }, details: { issues } } };
    }
    const [domain, name] = qualifiedName.split('.') as [string, string];
    const service = (services as Record<string, Record<string, (input: unknown) => unknown>>)[domain]!;
    try {
      const raw = await service[name]!.call(service, input.data);
      const output = def.output.safeParse(raw);
      if (!output.success) {
        const { path, issue } = describeIssues(output.error);
        return { ok: false, error: { code: 'E_INTERNAL', message: `Service returned an invalid ${qualifiedName} result at ${path}: ${issue}`, params: { message: `${qualifiedName}: ${path}: ${issue}` } } };
      }
      return { ok: true, value: output.data };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  return { invoke, procedureNames, eventNames };
}
