/** Starts TensorFlow.js on the best backend present (the ladder of core/ml/backends.ts), for the ML workers. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { XinzhiError } from '../../shared/model/errors.js';
import { chooseBackend, type BackendAttempt, type BackendAvailability, type BackendName } from '../core/ml/backends.js';

const require = createRequire(import.meta.url);

function probe(name: string): { ok: boolean; why: string } {
  try {
    require.resolve(name);
    return { ok: true, why: 'installed' };
  } catch {
    return { ok: false, why: `${name} is not installed` };
  }
}

/** Makes `name` the active tfjs backend; throws with the reason when it cannot start. */
async function activate(name: BackendName): Promise<void> {
  if (name === 'tfjs-node-gpu' || name === 'tfjs-node') {
    // Registers the native 'tensorflow' backend (libtensorflow, with CUDA for -gpu).
    await import(`@tensorflow/${name}`);
    if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
    return;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
    return;
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
}

/**
 * Activates the best backend (or the forced one); a rung that is installed but fails to start is marked failed
 * and the next one tried. `tried` says what was looked at and why, for the model record and the doctor.
 */
export async function startBestBackend(forced?: string, onFailed?: (name: BackendName, why: string) => void): Promise<{ backend: BackendName; tried: BackendAttempt[] }> {
  const available: BackendAvailability = {
    'tfjs-node-gpu': probe('@tensorflow/tfjs-node-gpu'),
    'tfjs-node': probe('@tensorflow/tfjs-node'),
    wasm: probe('@tensorflow/tfjs-backend-wasm'),
    cpu: { ok: true, why: 'built in' },
  };
  const failed: BackendAttempt[] = [];
  for (;;) {
    const choice = chooseBackend(available, forced);
    try {
      await activate(choice.backend);
      const tried = [...failed, ...choice.tried.filter((t) => !failed.some((f) => f.name === t.name))];
      return { backend: choice.backend, tried: tried.map((t) => (t.name === choice.backend ? { ...t, why: `in use (tfjs ${tf.getBackend()})` } : t)) };
    } catch (err) {
      if (err instanceof XinzhiError) throw err;
      const why = `failed to start: ${err instanceof Error ? err.message : String(err)}`;
      onFailed?.(choice.backend, why);
      available[choice.backend] = { ok: false, why };
      failed.push({ name: choice.backend, ok: false, why });
    }
  }
}
