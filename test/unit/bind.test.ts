// bind(contract, services): input and output validation, errors as data, unknown names; and the typed client over
// the in-process transport.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { bind } from '../../src/main/transport/bind.js';
import { createInProcessTransport } from '../../src/main/transport/in-process.js';
import { EventBus } from '../../src/main/transport/event-bus.js';
import { event, procedure, type ServicesFor } from '../../src/shared/contract/procedure.js';
import { createClient } from '../../src/shared/contract/client.js';
import { XinzhiError, type ErrorInfo, type Result } from '../../src/shared/model/errors.js';

const tiny = {
  math: {
    add: procedure(z.object({ a: z.number(), b: z.number().int() }), z.object({ sum: z.number() })),
    total: procedure(z.object({ items: z.array(z.object({ n: z.number().nonnegative() })).min(1) }), z.number()),
    ping: procedure(z.object({ label: z.string().default('pong') }), z.string()),
    failWith: procedure(z.object({ kind: z.enum(['xinzhi', 'plain', 'string', 'coded', 'badOutput']) }), z.object({ ok: z.literal(true) })),
    onDidTick: event(z.object({ n: z.number() })),
  },
  text: {
    upper: procedure(z.object({ s: z.string().max(5) }), z.object({ s: z.string() })),
  },
} as const;

function services(): ServicesFor<typeof tiny> {
  return {
    math: {
      add: ({ a, b }) => ({ sum: a + b }),
      total: async ({ items }) => items.reduce((s, i) => s + i.n, 0),
      ping: ({ label }) => label,
      failWith: ({ kind }) => {
        if (kind === 'xinzhi') throw new XinzhiError('E_NOT_FOUND', 'Dataset ds_9 not found', { what: 'dataset', id: 'ds_9' }, { hint: 1 });
        if (kind === 'plain') throw new Error('boom at /secret/path');
        if (kind === 'string') throw 'a thrown string';
        if (kind === 'coded') throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
        return { ok: false } as unknown as { ok: true };
      },
    },
    text: {
      upper: async ({ s }) => ({ s: s.toUpperCase() }),
    },
  };
}

function expectError(result: Result<unknown>): ErrorInfo {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('bind', () => {
  const bound = bind(tiny, services());

  it('lists procedure and event names', () => {
    expect([...bound.procedureNames].sort()).toEqual(['math.add', 'math.failWith', 'math.ping', 'math.total', 'text.upper']);
    expect(bound.eventNames).toEqual(['math.onDidTick']);
  });

  it('calls the service with the parsed input and returns the parsed output', async () => {
    expect(await bound.invoke('math.add', { a: 1.5, b: 2 })).toEqual({ ok: true, value: { sum: 3.5 } });
    expect(await bound.invoke('math.total', { items: [{ n: 1 }, { n: 2 }] })).toEqual({ ok: true, value: 3 });
    expect(await bound.invoke('text.upper', { s: 'abc' })).toEqual({ ok: true, value: { s: 'ABC' } });
    // Defaults from the schema apply, and a missing payload is an empty object.
    expect(await bound.invoke('math.ping', undefined)).toEqual({ ok: true, value: 'pong' });
    expect(await bound.invoke('math.ping', { label: 'x' })).toEqual({ ok: true, value: 'x' });
  });

  it('strips unknown input keys before the service sees them', async () => {
    const seen = vi.fn((input: { a: number; b: number }) => ({ sum: input.a + input.b }));
    const spied = bind(tiny, { ...services(), math: { ...services().math, add: seen } });
    await spied.invoke('math.add', { a: 1, b: 2, extra: 'drop me' });
    expect(seen).toHaveBeenCalledWith({ a: 1, b: 2 });
  });

  it('answers invalid input with E_INVALID_INPUT and the zod path, without calling the service', async () => {
    const add = vi.fn(() => ({ sum: 0 }));
    const guarded = bind(tiny, { ...services(), math: { ...services().math, add } });
    const wrongType = expectError(await guarded.invoke('math.add', { a: 'one', b: 2 }));
    expect(wrongType.code).toBe('E_INVALID_INPUT');
    expect(wrongType.params?.path).toBe('a');
    expect(typeof wrongType.params?.issue).toBe('string');
    const notInt = expectError(await guarded.invoke('math.add', { a: 1, b: 2.5 }));
    expect(notInt.params?.path).toBe('b');
    expect(add).not.toHaveBeenCalled();

    const nested = expectError(await bound.invoke('math.total', { items: [{ n: 1 }, { n: -1 }] }));
    expect(nested.code).toBe('E_INVALID_INPUT');
    expect(nested.params?.path).toBe('items.1.n');
    expect(nested.message).toContain('items.1.n');

    const root = expectError(await bound.invoke('math.add', 'not an object'));
    expect(root.code).toBe('E_INVALID_INPUT');
    expect(root.params?.path).toBe('(root)');

    const tooLong = expectError(await bound.invoke('text.upper', { s: 'too long' }));
    expect(tooLong.params?.path).toBe('s');
  });

  it('lists every issue in details', async () => {
    const err = expectError(await bound.invoke('math.add', { a: 'x', b: 'y' }));
    expect((err.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['a', 'b']);
  });

  it('answers unknown names with E_UNKNOWN_PROCEDURE', async () => {
    for (const name of ['math.nope', 'nope.add', 'math', '', 'math.onDidTick', 'math.add.x', '__proto__.toString', 'math.constructor', 'math.hasOwnProperty']) {
      const err = expectError(await bound.invoke(name, {}));
      expect(err.code, name).toBe('E_UNKNOWN_PROCEDURE');
      expect(err.params?.name).toBe(name);
    }
    const notString = expectError(await bound.invoke(42 as unknown as string, {}));
    expect(notString.code).toBe('E_UNKNOWN_PROCEDURE');
  });

  it('keeps the code, params and details of a XinzhiError thrown by a service', async () => {
    const err = expectError(await bound.invoke('math.failWith', { kind: 'xinzhi' }));
    expect(err).toEqual({ code: 'E_NOT_FOUND', message: 'Dataset ds_9 not found', params: { what: 'dataset', id: 'ds_9' }, details: { hint: 1 } });
  });

  it('turns any other error into E_INTERNAL without a stack', async () => {
    for (const kind of ['plain', 'string', 'coded'] as const) {
      const err = expectError(await bound.invoke('math.failWith', { kind }));
      expect(err.code, kind).toBe('E_INTERNAL');
      expect(JSON.stringify(err), kind).not.toMatch(/\n\s+at |bind\.test|stack/);
      expect(Object.keys(err).sort()).toEqual(['code', 'message']);
    }
  });

  it('answers an output that does not match the schema with E_INTERNAL', async () => {
    const err = expectError(await bound.invoke('math.failWith', { kind: 'badOutput' }));
    expect(err.code).toBe('E_INTERNAL');
    expect(err.message).toContain('math.failWith');
    const wrong = bind(tiny, { ...services(), text: { upper: () => ({ s: 42 }) as unknown as { s: string } } });
    expect(expectError(await wrong.invoke('text.upper', { s: 'a' })).code).toBe('E_INTERNAL');
  });

  it('throws when a service method is missing', () => {
    const partial = { math: { ...services().math }, text: {} } as unknown as ServicesFor<typeof tiny>;
    expect(() => bind(tiny, partial)).toThrow(/text\.upper/);
    const noDomain = { math: services().math } as unknown as ServicesFor<typeof tiny>;
    expect(() => bind(tiny, noDomain)).toThrow(/text\.upper/);
    const notFunction = { ...services(), math: { ...services().math, add: 'nope' } } as unknown as ServicesFor<typeof tiny>;
    expect(() => bind(tiny, notFunction)).toThrow(/math\.add/);
  });
});

describe('createClient over the in-process transport', () => {
  function client() {
    const events = new EventBus();
    const api = createClient(tiny, createInProcessTransport(bind(tiny, services()), events));
    const emit = (name: string, payload: unknown) => (events as unknown as { emit(d: string, n: string, p: unknown): void }).emit('math', name, payload);
    return { api, emit };
  }

  it('resolves to the output', async () => {
    const { api } = client();
    expect(await api.math.add({ a: 2, b: 3 })).toEqual({ sum: 5 });
    expect(await api.text.upper({ s: 'zh' })).toEqual({ s: 'ZH' });
    expect(await api.math.ping({})).toBe('pong');
  });

  it('throws XinzhiError with the code and params of the failure', async () => {
    const { api } = client();
    const notFound = await api.math.failWith({ kind: 'xinzhi' }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(XinzhiError);
    expect(notFound).toMatchObject({ code: 'E_NOT_FOUND', params: { what: 'dataset', id: 'ds_9' }, details: { hint: 1 } });
    const invalid = await api.math.add({ a: 'x' as unknown as number, b: 1 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(XinzhiError);
    expect(invalid).toMatchObject({ code: 'E_INVALID_INPUT', params: { path: 'a' } });
    await expect(api.math.failWith({ kind: 'plain' })).rejects.toMatchObject({ code: 'E_INTERNAL' });
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const { api, emit } = client();
    const seen: unknown[] = [];
    const off = api.math.onDidTick((p) => seen.push(p));
    emit('onDidTick', { n: 1 });
    emit('other', { n: 99 });
    off();
    emit('onDidTick', { n: 2 });
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('copies event payloads across the transport, as a real wire would', () => {
    const { api, emit } = client();
    const payload = { n: 7 };
    let received: unknown;
    api.math.onDidTick((p) => {
      received = p;
    });
    emit('onDidTick', payload);
    expect(received).toEqual(payload);
    expect(received).not.toBe(payload);
  });
});
