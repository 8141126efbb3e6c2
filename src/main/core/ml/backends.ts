/**
 * The training backend ladder (DESIGN.md §7): @tensorflow/tfjs-node-gpu (CUDA) → @tensorflow/tfjs-node → wasm →
 * cpu. Pure: the caller probes what is present and passes it in, so the choice is testable with injected
 * availability.
 */
import { XinzhiError } from '../../../shared/model/errors.js';

export const BACKEND_LADDER = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_LADDER)[number];

export type BackendAvailability = Record<BackendName, boolean | { ok: boolean; why?: string }>;

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  why: string;
}

export interface BackendChoice {
  backend: BackendName;
  /** The ladder's rungs looked at, in order, up to and including the chosen one (or just the forced one). */
  tried: BackendAttempt[];
}

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_LADDER as readonly string[]).includes(value);
}

function attempt(name: BackendName, entry: boolean | { ok: boolean; why?: string } | undefined): BackendAttempt {
  if (entry === undefined) return { name, ok: false, why: 'not probed' };
  if (typeof entry === 'boolean') return { name, ok: entry, why: entry ? 'available' : 'not available' };
  return { name, ok: entry.ok, why: entry.why ?? (entry.ok ? 'available' : 'not available') };
}

/**
 * The first available backend of the ladder, or the forced one. A forced backend that is unknown or unavailable
 * is E_INVALID_INPUT naming why; no backend available at all (cpu reported missing) is E_INVALID_INPUT too.
 */
export function chooseBackend(available: Partial<BackendAvailability>, forced?: string): BackendChoice {
  if (forced !== undefined && forced !== '') {
    if (!isBackendName(forced)) {
      throw new XinzhiError('E_INVALID_INPUT', `Unknown backend "${forced}"; choose one of ${BACKEND_LADDER.join(', ')}`, { backend: forced });
    }
    const a = attempt(forced, available[forced]);
    if (!a.ok) throw new XinzhiError('E_INVALID_INPUT', `Backend "${forced}" is not available: ${a.why}`, { backend: forced, why: a.why });
    return { backend: forced, tried: [a] };
  }
  const tried: BackendAttempt[] = [];
  for (const name of BACKEND_LADDER) {
    const a = attempt(name, available[name]);
    tried.push(a);
    if (a.ok) return { backend: name, tried };
  }
  throw new XinzhiError('E_INVALID_INPUT', `No training backend is available (${tried.map((t) => `${t.name}: ${t.why}`).join('; ')})`);
}
