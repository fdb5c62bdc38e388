/**
 * Fetch a feature's models on the page, with byte progress, before the first worker call
 * that needs them. Cache Storage is shared with the workers, so the worker's own
 * loadModel() then finds them cached (it still verifies the hash) and starts at once.
 * Already cached files cost one Cache Storage lookup each; nothing is fetched again.
 *
 *   let progress = $state<DownloadProgress | null>(null);
 *   await ensureModels(FEATURE_MODELS.idphoto, (p) => (progress = p));
 *   progress = null;
 *   const r = await darkroom().idphoto.idphoto({ ... });
 *   // <ModelProgress {progress} />
 */
import { downloadModels, type DownloadOptions, type DownloadProgress } from './loader';
import { detectBackend } from './session';

export type { DownloadProgress } from './loader';

/** The ONNX Runtime binary the workers will load on this device. */
export async function runtimeModelId(): Promise<'ort-wasm' | 'ort-wasm-webgpu'> {
	return (await detectBackend()) === 'webgpu' ? 'ort-wasm-webgpu' : 'ort-wasm';
}

export interface EnsureOptions extends Omit<DownloadOptions, 'onProgress'> {
	/** Also fetch the ONNX Runtime binary for this device (default true). */
	runtime?: boolean;
}

/**
 * Makes sure `ids` (and the ONNX Runtime binary) are in Cache Storage, downloading the
 * missing ones one after another. `onProgress` is called only when something is fetched.
 * Rejects with a DarkroomError naming the model on a 404, a hash mismatch or a stall.
 */
export async function ensureModels(ids: readonly string[], onProgress?: (p: DownloadProgress) => void, o: EnsureOptions = {}): Promise<void> {
	const all = [...ids];
	if (o.runtime !== false) all.push(await runtimeModelId());
	await downloadModels(all, { ...o, onProgress });
}
