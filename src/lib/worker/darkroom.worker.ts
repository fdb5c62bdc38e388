/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { DarkroomError } from '../api/errors';
import { runPipeline } from '../pipeline/executor';
import { readMetadata } from '../codecs/metadata';
import { decode } from '../codecs/decode';
import { setKb } from '../codecs/set-kb';
import { encode } from '../codecs/encode';
import { parseColor } from '../core/color';
import { renderTextMark } from '../features/watermark/text';
import { tileComposite } from '../features/watermark/tile';
import type { EncodedImage, FacesResult, IdPhotoJob, ProcessJob, Reply, SetKbJob, TiledTextJob, WorkerApi } from './protocol';

function toError(e: unknown): DarkroomError {
	if (e instanceof DarkroomError) return e;
	if (e instanceof RangeError && /memory|allocation|Array buffer/i.test(e.message))
		return new DarkroomError('too_large', `Not enough memory to process this image (${e.message}); try a smaller image or raise no limits`);
	const msg = e instanceof Error ? e.message : String(e);
	return new DarkroomError('internal', `Unexpected error in the image worker: ${msg}`);
}

/** Runs a job, turns any failure into plain error data, and moves result buffers instead of copying them. */
async function reply<T>(work: () => Promise<T>, buffers: (v: T) => ArrayBufferLike[] = () => []): Promise<Reply<T>> {
	try {
		const value = await work();
		return Comlink.transfer({ ok: true as const, value }, buffers(value) as Transferable[]);
	} catch (e) {
		return { ok: false, error: toError(e).toJSON() };
	}
}

const api: WorkerApi = {
	init(lockName) {
		// Held until this worker dies: the pool learns of a crash when the lock is freed.
		return new Promise<void>((resolve) => {
			void navigator.locks.request(lockName, () => {
				resolve();
				return new Promise<never>(() => {});
			});
		});
	},
	process: (job: ProcessJob) => reply(() => runPipeline(job), (r) => [r.bytes.buffer]),
	metadata: (bytes, limits) => reply(() => readMetadata(bytes, limits)),
	setKb: (job: SetKbJob) =>
		reply(async (): Promise<EncodedImage> => {
			const { image } = await decode(job.bytes, { limits: job.limits });
			const bytes = await setKb(image, job.kb, { dpi: job.dpi });
			return { bytes, mime: 'image/jpeg', width: image.width, height: image.height };
		}, (r) => [r.bytes.buffer]),
	tiledText: (job: TiledTextJob) =>
		reply(async (): Promise<EncodedImage> => {
			parseColor(job.color, 'color');
			const { image, info } = await decode(job.bytes, { limits: job.limits });
			const mark = await renderTextMark(job.text, { size: job.size, color: job.color });
			const out = tileComposite(image, mark, { angle: job.angle, space: job.space, opacity: job.opacity });
			// HivisionIDPhotos answers PNG for images with alpha and JPEG otherwise.
			const format = info.hasAlpha ? 'png' : 'jpeg';
			const bytes = await encode(out, { format, quality: 95, dpi: job.dpi });
			return { bytes, mime: format === 'png' ? 'image/png' : 'image/jpeg', width: out.width, height: out.height };
		}, (r) => [r.bytes.buffer]),
	idphoto: (job: IdPhotoJob) =>
		reply(
			async () => {
				const { runIdPhotoJob } = await import('../features/idphoto/job');
				return runIdPhotoJob(job);
			},
			// Two names may share one image (idphoto_crop's image_base64 and _standard): transfer each buffer once.
			(r) => [...new Set(Object.values(r.images).map((i) => i.bytes.buffer))]
		),
	detectFaces: (bytes, limits) =>
		reply(async (): Promise<FacesResult> => {
			const { image } = await decode(bytes, { limits });
			const t0 = performance.now();
			// Models load lazily from the app's own origin on first use.
			// The same detection face_blur runs (any size, via a ≤ 2048-px copy), on the oriented image.
			const { detectFacesAnySize } = await import('../features/blur/detect');
			const { getRuntime } = await import('../models/session');
			const faces = await detectFacesAnySize(image);
			return { width: image.width, height: image.height, faces, backend: (await getRuntime()).backend, ms: Math.round(performance.now() - t0) };
		}),
	tag: (job) =>
		reply(async () => {
			const { image } = await decode(job.bytes, { limits: job.limits });
			const { runTag } = await import('../features/tag/tag');
			const { getRuntime } = await import('../models/session');
			return { ...(await runTag(image, job.params)), backend: (await getRuntime()).backend };
		}),
	moderate: (job) =>
		reply(async () => {
			const { image } = await decode(job.bytes, { limits: job.limits });
			const { runModerate } = await import('../features/moderate/moderate');
			const { getRuntime } = await import('../models/session');
			return { ...(await runModerate(image, job.params)), backend: (await getRuntime()).backend };
		}),
	repair: (job) =>
		reply(async () => {
			const { runRepairJob } = await import('../features/repair/job');
			return runRepairJob(job);
		}, (r) => [r.bytes.buffer]),
	inpainterProbe: (job) => reply(async () => (await import('../features/inpaint-net/probe-job')).runProbeJob(job)),
	ocr: (job) =>
		reply(async () => {
			const { image } = await decode(job.bytes, { limits: job.limits });
			const { runOcr } = await import('../features/ocr/ocr');
			const { getRuntime } = await import('../models/session');
			const { min_confidence, limit_side, detect_direction } = job.params;
			const r = await runOcr(image, { minConfidence: min_confidence, limitSide: limit_side, classify: detect_direction });
			return { ...r, width: image.width, height: image.height, backend: (await getRuntime()).backend };
		}),
	wmremove: (job) =>
		reply(
			async () => (await import('../features/wmremove/job')).runWmRemove(job),
			(r) => (r.image ? [r.image.bytes.buffer] : [])
		),
	crash(kind) {
		if (kind === 'close') self.close();
		else setTimeout(() => {
			throw new Error('deliberate crash for testing');
		});
	}
};

Comlink.expose(api);
