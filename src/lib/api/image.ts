import { DarkroomError, invalidParam } from './errors';
import { resolveImageRef } from './refs';
import type { ApiContext } from './context';
import type { Darkroom, ImageApi, ProcessedImage } from './types';
import type { ImageMetadata, Limits } from '../codecs/types';
import { BACKGROUND_REMOVE_KEYS, FACE_BLUR_KEYS, SMART_CROP_KEYS, validateDirectOp, validateOps, type NormalizedOp } from '../pipeline/ops';
import { validateOutput, type OutputPlan } from '../pipeline/output';
import { isPlainObject } from '../pipeline/validate';
import type { PipelineResult } from '../pipeline/executor';
import { createAnalysisApi } from './analysis';
import { createFacesApi } from './faces';
import { createOcrApi } from './ocr';
import { createTransformationApi } from './transformations';
import { createDeliveryApi } from './delivery';
import { createBatchApi } from './batch';
import { resolveTransform } from '../library/transformations';

const RESIZE_KEYS = ['width', 'height', 'fit', 'enlarge', 'position', 'gravity', 'background', 'kernel'];
const WATERMARK_KEYS = ['text', 'watermark_image', 'position', 'opacity', 'size', 'color', 'margin', 'tiled', 'angle', 'space', 'font_size'];

type Req = Record<string, unknown>;

function pick(req: Req, keys: readonly string[]): Req {
	const o: Req = {};
	for (const k of keys) if (req[k] !== undefined) o[k] = req[k];
	return o;
}

function asRequest(req: unknown, method: string): Req {
	if (!isPlainObject(req)) throw invalidParam('request', `an object of parameters for image.${method}`, req);
	return req;
}

/**
 * Seed 000's image namespace. Every transform is one op of the same pipeline that
 * `process` runs, so validation, decoding and encoding are shared.
 */
/** `api` is the whole Darkroom (batches run `image.process` through it). */
export function createImageApi(ctx: ApiContext, api: () => Darkroom): Omit<ImageApi, 'upload' | 'get' | 'list' | 'delete'> {
	async function execute(req: Req, ops: NormalizedOp[], output: OutputPlan, refs: Map<string, unknown>, nameOps: boolean): Promise<ProcessedImage> {
		const limits = ctx.limits();
		const input = req.image ?? req.input;
		const { bytes } = await resolveImageRef(input, req.image !== undefined ? 'image' : 'input', limits);
		const assets: Record<string, Uint8Array> = {};
		for (const [key, ref] of refs) assets[key] = (await resolveImageRef(ref, key, limits)).bytes;
		const transfer = [bytes.buffer, ...Object.values(assets).map((a) => a.buffer)] as Transferable[];
		const result = await ctx.pool.run<PipelineResult>('process', [{ bytes, ops, output, limits, assets, nameOps }], transfer);
		// AI ops add what they found (model, faces, boxes, target_used, crop) to the seed's shape.
		return { ...ctx.results.toProcessed(result), ...result.info };
	}

	/** Validates synchronously (so bad parameters fail before any bytes are read), then runs once per idempotency key. */
	function transform(method: string, raw: unknown, build: (req: Req, keyForImage: (ref: unknown, param: string) => string) => NormalizedOp[], tweak?: (out: OutputPlan, req: Req) => void): Promise<ProcessedImage> {
		try {
			const req = asRequest(raw, method);
			return ctx.idempotency.run(method, req.idempotency_key, req, () => {
				const refs = new Map<string, unknown>();
				const keyForImage = (ref: unknown, param: string) => {
					refs.set(param, ref);
					return param;
				};
				const ops = build(req, keyForImage);
				const output = validateOutput(req);
				tweak?.(output, req);
				if (req.image === undefined && req.input === undefined)
					throw new DarkroomError('invalid_parameter', `Missing required parameter image for image.${method}`, 'image');
				return execute(req, ops, output, refs, method === 'process');
			});
		} catch (e) {
			return Promise.reject(e);
		}
	}

	const direct = (name: string, keys: readonly string[]) => (raw: unknown) =>
		transform(name, raw, (req, keyForImage) => [validateDirectOp(name, pick(req, keys), keyForImage)]);

	const process = (raw: unknown) =>
		transform('process', raw, (req, keyForImage) => {
			const ops = validateOps(req.ops, keyForImage);
			// Seed 000 lists width/height on process itself: a final fit-inside resize.
			if (req.width !== undefined || req.height !== undefined) ops.push(validateDirectOp('resize', pick(req, ['width', 'height']), keyForImage));
			return ops;
		});

	return {
		process: (raw) => {
			// A named transformation (or transform string) runs first, then `ops`; its format and
			// quality apply unless the request gives its own. Names are read from the store, so this
			// path is asynchronous; everything else is validated as before.
			if (isPlainObject(raw) && raw.transformation !== undefined && (raw.ops === undefined || Array.isArray(raw.ops))) {
				const { transformation, ...rest } = raw;
				return resolveTransform(transformation).then((part) =>
					process({
						...rest,
						ops: [...part.ops, ...(Array.isArray(rest.ops) ? rest.ops : [])],
						...(rest.format === undefined && part.format ? { format: part.format } : {}),
						...(rest.quality === undefined && part.quality !== undefined ? { quality: part.quality } : {})
					})
				);
			}
			return process(raw);
		},

		metadata: (raw) => {
			try {
				const req = asRequest(raw, 'metadata');
				const limits: Limits = ctx.limits();
				const input = req.image ?? req.input;
				return resolveImageRef(input, req.image !== undefined ? 'image' : 'input', limits).then(({ bytes }) =>
					ctx.pool.run<ImageMetadata>('metadata', [bytes, limits], [bytes.buffer])
				);
			} catch (e) {
				return Promise.reject(e);
			}
		},
		resize: direct('resize', RESIZE_KEYS),
		crop: direct('crop', ['x', 'y', 'width', 'height']),
		rotate: (raw) =>
			transform('rotate', raw, (req) => {
				if (req.degrees === undefined && req.angle === undefined && req.auto_orient === undefined)
					throw new DarkroomError('invalid_parameter', 'Missing required parameter degrees', 'degrees');
				return [validateDirectOp('rotate', pick(req, ['degrees', 'angle', 'auto_orient', 'background']))];
			}),
		flip: (raw) => transform('flip', raw, () => [{ op: 'flip' }]),
		flop: (raw) => transform('flop', raw, () => [{ op: 'flop' }]),
		watermark: direct('watermark', WATERMARK_KEYS),
		compress: (raw) =>
			transform(
				'compress',
				raw,
				(req) => {
					const p = pick(req, ['quality', 'target_bytes', 'allow_downscale']);
					// The seed's own example sends no quality: compress at a sensible default.
					if (p.quality === undefined && p.target_bytes === undefined) p.quality = 75;
					return [validateDirectOp('compress', p)];
				},
				(out) => {
					delete out.targetBytes; // handled by the op
					if (out.format === 'png') out.optimize = true;
				}
			),
		convert: (raw) =>
			transform('convert', raw, (req) => {
				if (req.format === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter format (jpeg, png, webp or avif)', 'format');
				return [validateDirectOp('convert', pick(req, ['format', 'quality']))];
			}),
		smart_crop: direct('smart_crop', SMART_CROP_KEYS) as ImageApi['smart_crop'],
		background_remove: direct('background_remove', BACKGROUND_REMOVE_KEYS) as ImageApi['background_remove'],
		face_blur: direct('face_blur', FACE_BLUR_KEYS) as ImageApi['face_blur'],
		...createDeliveryApi(), // deliver_url, signed_url
		...createAnalysisApi(ctx), // tag, moderate
		...createFacesApi(ctx), // detect_faces
		...createOcrApi(ctx), // ocr
		transformation: createTransformationApi(ctx),
		batch: createBatchApi(ctx, api)
	};
}
