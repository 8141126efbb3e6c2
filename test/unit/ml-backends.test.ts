// The training backend ladder with injected availability (DESIGN.md §7).
import { describe, expect, it } from 'vitest';
import { BACKEND_LADDER, chooseBackend, type BackendAvailability } from '../../src/main/core/ml/backends.js';
import { XinzhiError } from '../../src/shared/model/errors.js';

const none: BackendAvailability = { 'tfjs-node-gpu': false, 'tfjs-node': false, wasm: false, cpu: false };

function thrown(f: () => unknown): XinzhiError {
  try {
    f();
  } catch (err) {
    if (err instanceof XinzhiError) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

describe('chooseBackend', () => {
  it('keeps the ladder order tfjs-node-gpu → tfjs-node → wasm → cpu', () => {
    expect(BACKEND_LADDER).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('takes the first available rung and reports every rung tried, with reasons', () => {
    expect(chooseBackend({ ...none, 'tfjs-node-gpu': true, 'tfjs-node': true, wasm: true, cpu: true })).toEqual({
      backend: 'tfjs-node-gpu',
      tried: [{ name: 'tfjs-node-gpu', ok: true, why: 'available' }],
    });
    expect(chooseBackend({ ...none, 'tfjs-node-gpu': { ok: false, why: 'no CUDA device' }, 'tfjs-node': true, wasm: true, cpu: true })).toEqual({
      backend: 'tfjs-node',
      tried: [
        { name: 'tfjs-node-gpu', ok: false, why: 'no CUDA device' },
        { name: 'tfjs-node', ok: true, why: 'available' },
      ],
    });
    const wasm = chooseBackend({ ...none, 'tfjs-node-gpu': { ok: false, why: 'not installed' }, 'tfjs-node': { ok: false }, wasm: { ok: true, why: 'SIMD' }, cpu: true });
    expect(wasm.backend).toBe('wasm');
    expect(wasm.tried).toEqual([
      { name: 'tfjs-node-gpu', ok: false, why: 'not installed' },
      { name: 'tfjs-node', ok: false, why: 'not available' },
      { name: 'wasm', ok: true, why: 'SIMD' },
    ]);
    const cpu = chooseBackend({ ...none, cpu: true });
    expect(cpu.backend).toBe('cpu');
    expect(cpu.tried.map((t) => t.name)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('treats a rung left out of the availability as not probed', () => {
    expect(chooseBackend({ cpu: true }).tried[0]).toEqual({ name: 'tfjs-node-gpu', ok: false, why: 'not probed' });
  });

  it('honours a forced backend that is available, even below a better one', () => {
    expect(chooseBackend({ ...none, 'tfjs-node-gpu': true, wasm: true, cpu: true }, 'cpu')).toEqual({ backend: 'cpu', tried: [{ name: 'cpu', ok: true, why: 'available' }] });
    expect(chooseBackend({ ...none, wasm: true, cpu: true }, 'wasm').backend).toBe('wasm');
    expect(chooseBackend({ ...none, wasm: true, cpu: true }, '').backend).toBe('wasm');
  });

  it('rejects a forced backend that is unavailable or unknown with E_INVALID_INPUT naming why', () => {
    const gpu = thrown(() => chooseBackend({ ...none, 'tfjs-node-gpu': { ok: false, why: '@tensorflow/tfjs-node-gpu is not installed' }, cpu: true }, 'tfjs-node-gpu'));
    expect(gpu.code).toBe('E_INVALID_INPUT');
    expect(gpu.message).toBe('Backend "tfjs-node-gpu" is not available: @tensorflow/tfjs-node-gpu is not installed');
    const unknown = thrown(() => chooseBackend({ ...none, cpu: true }, 'webgl'));
    expect(unknown.code).toBe('E_INVALID_INPUT');
    expect(unknown.message).toContain('Unknown backend "webgl"');
  });

  it('fails with E_INVALID_INPUT when no rung is available', () => {
    const err = thrown(() => chooseBackend(none));
    expect(err.code).toBe('E_INVALID_INPUT');
    expect(err.message).toContain('cpu: not available');
  });
});
