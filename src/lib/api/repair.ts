/**
 * repair.image_repair (seed 002, Cloud Infinite ImageRepair): remove a logo or watermark
 * given as a mask image (MaskPic: white = remove) or as polygons (MaskPoly), and repaint
 * the area from the rest of the photo. MaskPic wins when both are given. Everything about
 * the request is checked here, before any bytes are read; the mask's fit to the image is
 * checked in the worker from the image header, before the full decode. `engine` (Darkroom's
 * addition) picks the fill: the user's ONNX network or the built-in PatchMatch.
 */
import { DarkroomError, invalidParam } from './errors';
import { resolveImageRef } from './refs';
import type { ApiContext } from './context';
import type { RepairApi, RepairResponse } from './types';
import { isPlainObject, optionalInteger } from '../pipeline/validate';
import { validateOutput } from '../pipeline/output';
import { decodeBase64Text, parsePolygons } from '../features/repair/polygons';
import { DEFAULT_DILATE, MAX_DILATE, type RepairJob, type RepairMaskSource, type RepairResult } from '../features/repair/types';
import { parseEngine, resolveEngine } from './inpainter';

const KNOWN = ['image', 'input', 'MaskPic', 'mask_pic', 'MaskPoly', 'mask_poly', 'dilate', 'engine', 'format', 'quality', 'keep_metadata', 'dpi', 'optimize', 'lossless', 'idempotency_key'];

const given = (v: unknown) => v !== undefined && v !== null;

/** The seed passes MaskPic as URL-safe base64 of the mask's URL: such a string is that URL. */
function maskPicRef(ref: unknown): unknown {
	if (typeof ref !== 'string') return ref;
	const t = ref.trim();
	if (/^(data:|https?:|blob:|\/|\.\/)/i.test(t) || t.length > 8192) return ref;
	const text = decodeBase64Text(t);
	if (text !== undefined && /^(https?:\/\/|blob:|\/)\S+$/i.test(text.trim())) return { url: text.trim() };
	return ref;
}

export function createRepairApi(ctx: ApiContext): RepairApi {
	return {
		image_repair(raw: unknown): Promise<RepairResponse> {
			try {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object of parameters for repair.image_repair', raw);
				const req = raw;
				for (const k of Object.keys(req))
					if (!KNOWN.includes(k))
						throw new DarkroomError('invalid_parameter', `Unknown parameter ${k} for repair.image_repair (known: image, MaskPic, MaskPoly, dilate, engine, format, quality, keep_metadata, dpi, optimize, lossless, idempotency_key)`, k);
				if (!given(req.image) && !given(req.input)) throw new DarkroomError('invalid_parameter', 'Missing required parameter image for repair.image_repair', 'image');
				const picParam = given(req.MaskPic) ? 'MaskPic' : given(req.mask_pic) ? 'mask_pic' : undefined;
				const polyParam = given(req.MaskPoly) ? 'MaskPoly' : given(req.mask_poly) ? 'mask_poly' : undefined;
				if (!picParam && !polyParam)
					throw new DarkroomError('invalid_parameter', 'Missing mask: pass MaskPic (an image, white = remove) or MaskPoly (polygons of [x, y] points)', 'MaskPoly');
				// MaskPic takes precedence (seed 002): MaskPoly is then not read at all.
				const polygons = picParam ? undefined : parsePolygons(req[polyParam!], polyParam);
				const dilate = optionalInteger(req.dilate, 'dilate', 0, MAX_DILATE, `integer number of pixels from 0 to ${MAX_DILATE}`) ?? DEFAULT_DILATE;
				const output = validateOutput(req);
				const engine = parseEngine(req.engine);
				return ctx.idempotency.run('image_repair', req.idempotency_key, req, async () => {
					const limits = ctx.limits();
					const imageParam = given(req.image) ? 'image' : 'input';
					const { bytes } = await resolveImageRef(req[imageParam], imageParam, limits);
					let mask: RepairMaskSource;
					const transfer: Transferable[] = [bytes.buffer as ArrayBuffer];
					if (picParam) {
						const pic = (await resolveImageRef(maskPicRef(req[picParam]), picParam, limits)).bytes;
						mask = { kind: 'pic', bytes: pic, param: picParam };
						transfer.push(pic.buffer as ArrayBuffer);
					} else mask = { kind: 'poly', polygons: polygons!, param: polyParam! };
					// 'auto' / 'network' become the installed network (or PatchMatch) here, where OPFS is read.
					const network = await resolveEngine(engine);
					const job: RepairJob = { bytes, mask, dilate, output, limits, ...(network ? { network } : {}) };
					const r = await ctx.pool.run<RepairResult>('repair', [job], transfer);
					return { ...ctx.results.toProcessed(r), ...r.info };
				});
			} catch (e) {
				return Promise.reject(e);
			}
		}
	};
}
