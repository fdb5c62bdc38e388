/**
 * darkroom.models: the model files of the manifest — which are kept for offline use,
 * downloading them ahead of need with byte progress, deleting them. Runs on the page:
 * Cache Storage is shared with the workers, which find downloaded files there. Also the user's
 * own inpainting network (add_inpainter, inpainter, use_inpainter, remove_inpainter; inpainter.ts).
 */
import { DarkroomError } from './errors';
import { deleteModels, downloadModels, listModels, validateStallMs, type DownloadProgress, type ModelStatus } from '../models/loader';
import { modelPurpose } from '../models/uses';
import type { ModelInfo, ModelsApi, ModelsDownloadOptions, ModelsList } from './types';
import type { WorkerPool } from '../worker/pool';
import { createInpainterApi } from './inpainter';

export function toModelInfo(s: ModelStatus): ModelInfo {
	const info: ModelInfo = {
		id: s.id,
		kind: s.kind,
		file: s.file,
		bytes: s.bytes,
		sha256: s.sha256,
		licence: s.licence,
		source_package: s.source.package,
		source_path: s.source.path,
		purpose: modelPurpose(s.id),
		cached: s.cached,
		cached_bytes: s.cachedBytes
	};
	if (s.verified !== undefined) info.verified = s.verified;
	return info;
}

export function toModelsList(statuses: readonly ModelStatus[]): ModelsList {
	const models = statuses.map(toModelInfo);
	return {
		models,
		total_bytes: models.reduce((n, m) => n + m.bytes, 0),
		cached_bytes: models.reduce((n, m) => n + m.cached_bytes, 0)
	};
}

function options(o: unknown): ModelsDownloadOptions {
	if (o === undefined || o === null) return {};
	if (typeof o !== 'object' || Array.isArray(o)) throw new DarkroomError('invalid_parameter', `Expected object for options but received ${JSON.stringify(o)} of type ${typeof o}`, 'options');
	const opts = o as ModelsDownloadOptions;
	if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function')
		throw new DarkroomError('invalid_parameter', `Expected function for onProgress but received ${String(opts.onProgress)} of type ${typeof opts.onProgress}`, 'onProgress');
	if (opts.stallMs !== undefined) validateStallMs(opts.stallMs);
	return opts;
}

/**
 * `pending()` resolves once a stall-timeout change from configure() is visible to the workers;
 * `pool` test-runs a user's inpainting network.
 */
export function createModelsApi(pending: () => Promise<void>, pool: WorkerPool): ModelsApi {
	return {
		async list(ids?: string[] | string, opts?: { verify?: boolean }) {
			await pending();
			return toModelsList(await listModels(ids, { verify: opts?.verify === true }));
		},
		async download(ids?: string[] | string, opts?: ModelsDownloadOptions) {
			const o = options(opts);
			await pending();
			const before = await listModels(ids);
			const onProgress = o.onProgress ? (p: DownloadProgress) => o.onProgress!({ ...p }) : undefined;
			const after = await downloadModels(ids, { onProgress, signal: o.signal, stallMs: o.stallMs, verify: o.verify === true });
			const was = new Set(before.filter((s) => s.cached).map((s) => s.id));
			const fetched = after.filter((s) => !was.has(s.id));
			return { ...toModelsList(after), downloaded: fetched.map((s) => s.id), downloaded_bytes: fetched.reduce((n, s) => n + s.bytes, 0) };
		},
		async delete(ids?: string[] | string) {
			await pending();
			return { deleted: await deleteModels(ids) };
		},
		...createInpainterApi(pool)
	};
}
