/** Building blocks of the typed contract: a procedure (input → output) or an event (payload). */
import { z } from 'zod';

export interface ProcedureDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'procedure';
  readonly input: I;
  readonly output: O;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

export function procedure<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ProcedureDef<I, O> {
  return { kind: 'procedure', input, output };
}

export function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { kind: 'event', payload };
}

export type DomainDef = Readonly<Record<string, ProcedureDef | EventDef>>;
export type ContractDef = Readonly<Record<string, DomainDef>>;

type ProcedureKeys<D extends DomainDef> = { [K in keyof D]: D[K] extends ProcedureDef ? K : never }[keyof D];
type EventKeys<D extends DomainDef> = { [K in keyof D]: D[K] extends EventDef ? K : never }[keyof D];

/** What a service must implement for one domain: every procedure, typed from its schemas. */
export type Implements<D extends DomainDef> = {
  [K in ProcedureKeys<D>]: D[K] extends ProcedureDef<infer I, infer O>
    ? (input: z.output<I>) => Promise<z.input<O>> | z.input<O>
    : never;
};

/** The services object the binder needs: one implementation per domain of the contract. */
export type ServicesFor<C extends ContractDef> = { [D in keyof C]: Implements<C[D]> };

/** The client's view of one domain: async procedures and `onDidX(cb) → unsubscribe` events. */
export type ClientDomain<D extends DomainDef> = {
  [K in ProcedureKeys<D>]: D[K] extends ProcedureDef<infer I, infer O>
    ? (input: z.input<I>) => Promise<z.output<O>>
    : never;
} & {
  [K in EventKeys<D>]: D[K] extends EventDef<infer P> ? (listener: (payload: z.output<P>) => void) => () => void : never;
};

export type ClientFor<C extends ContractDef> = { [D in keyof C]: ClientDomain<C[D]> };

/** Payload type of the event `domain.name`. */
export type EventPayload<C extends ContractDef, D extends keyof C, K extends keyof C[D]> =
  C[D][K] extends EventDef<infer P> ? z.output<P> : never;

/** Lists every procedure and event as `domain.name`; channel names are derived here, never typed by hand. */
export function listNames(contract: ContractDef): { procedures: string[]; events: string[] } {
  const procedures: string[] = [];
  const events: string[] = [];
  for (const [domain, defs] of Object.entries(contract)) {
    for (const [name, def] of Object.entries(defs)) {
      (def.kind === 'procedure' ? procedures : events).push(`${domain}.${name}`);
    }
  }
  return { procedures, events };
}

export function lookup(contract: ContractDef, qualifiedName: string): ProcedureDef | EventDef | undefined {
  const dot = qualifiedName.indexOf('.');
  if (dot < 0) return undefined;
  const domain = contract[qualifiedName.slice(0, dot)];
  if (!domain || !Object.hasOwn(domain, qualifiedName.slice(dot + 1))) return undefined;
  return domain[qualifiedName.slice(dot + 1)];
}
