import { DarkroomError } from './errors';
import { decodeBase64, encodeBase64, resolveImageRef } from './refs';
import type { ApiContext } from './context';
import type { HivisionImageResponse, IdPhotoApi } from './types';
import type { EncodedImage, IdPhotoKind, IdPhotoOutput, SetKbJob, TiledTextJob } from '../worker/protocol';
import { addBackgroundParams, adjustOnlyParams, idPhotoCropParams, idPhotoParams, layoutParams, mattingMode } from '../pipeline/idphoto-params';
import { isPlainObject, optionalInteger, optionalNumber, optionalString, requiredInteger } from '../pipeline/validate';

type Req = Record<string, unknown>;

/** HivisionIDPhotos takes `input_image` (a file) or `input_image_base64`. */
async function inputBytes(req: Req, ctx: ApiContext): Promise<Uint8Array> {
	const limits = ctx.limits();
	if (req.input_image !== undefined && req.input_image !== null) return (await resolveImageRef(req.input_image, 'input_image', limits)).bytes;
	if (typeof req.input_image_base64 === 'string') return decodeBase64(req.input_image_base64, 'input_image_base64', limits);
	if (req.input_image_base64 !== undefined) throw new DarkroomError('invalid_parameter', 'Expected string for input_image_base64', 'input_image_base64');
	throw new DarkroomError('invalid_parameter', 'Missing input: pass input_image or input_image_base64', 'input_image');
}

/** The data URL carries the real MIME type (the original labels every JPEG as PNG). */
function answer(r: EncodedImage): HivisionImageResponse {
	return { status: true, image_base64: `data:${r.mime};base64,${encodeBase64(r.bytes)}` };
}

function request(raw: unknown, method: string): Req {
	if (!isPlainObject(raw)) throw new DarkroomError('invalid_parameter', `Expected an object of parameters for idphoto.${method}`, 'request');
	return raw;
}

export function createIdPhotoApi(ctx: ApiContext): IdPhotoApi {
	/** Validates first, then runs the call in a worker and answers HivisionIDPhotos' shape. */
	async function run(kind: IdPhotoKind, raw: unknown, validate: (r: unknown) => object): Promise<Record<string, unknown>> {
		const params = validate(raw);
		const bytes = await inputBytes(request(raw, kind), ctx);
		const out = await ctx.pool.run<IdPhotoOutput>('idphoto', [{ kind, bytes, params, limits: ctx.limits() }], [bytes.buffer]);
		const res: Record<string, unknown> = { status: true };
		for (const [k, img] of Object.entries(out.images)) res[k] = `data:${img.mime};base64,${encodeBase64(img.bytes)}`;
		return Object.assign(res, out.fields);
	}
	return {
		async set_kb(raw) {
			const req = request(raw, 'set_kb');
			const kb = requiredInteger(req.kb, 'kb', 1, 65536, 'positive integer number of kilobytes');
			const dpi = optionalInteger(req.dpi, 'dpi', 1, 10_000) ?? 300;
			const bytes = await inputBytes(req, ctx);
			const job: SetKbJob = { bytes, kb, dpi, limits: ctx.limits() };
			return answer(await ctx.pool.run<EncodedImage>('setKb', [job], [bytes.buffer]));
		},
		async watermark(raw) {
			const req = request(raw, 'watermark');
			const text = optionalString(req.text, 'text', 500);
			if (!text) throw new DarkroomError('invalid_parameter', 'Missing required parameter text', 'text');
			const job: TiledTextJob = {
				bytes: new Uint8Array(),
				text,
				size: optionalInteger(req.size, 'size', 1, 1000, 'integer font size between 1 and 1000') ?? 20,
				opacity: optionalNumber(req.opacity, 'opacity', 0, 1) ?? 0.5,
				angle: optionalNumber(req.angle, 'angle', -360, 360) ?? 30,
				color: optionalString(req.color, 'color', 32) ?? '#000000',
				space: optionalInteger(req.space, 'space', 0, 10_000, 'integer spacing in pixels between 0 and 10000') ?? 25,
				dpi: optionalInteger(req.dpi, 'dpi', 1, 10_000) ?? 300,
				limits: ctx.limits()
			};
			job.bytes = await inputBytes(req, ctx);
			return answer(await ctx.pool.run<EncodedImage>('tiledText', [job], [job.bytes.buffer]));
		},
		idphoto: (raw) => run('idphoto', raw, idPhotoParams),
		idphoto_crop: (raw) => run('idphoto_crop', raw, idPhotoCropParams),
		adjust: (raw) => run('adjust', raw, adjustOnlyParams),
		add_background: (raw) => run('add_background', raw, addBackgroundParams),
		generate_layout_photos: (raw) => run('generate_layout_photos', raw, layoutParams),
		human_matting: (raw) =>
			run('human_matting', raw, (r) => {
				const req = request(r, 'human_matting');
				return { dpi: optionalInteger(typeof req.dpi === 'string' ? Number(req.dpi) : req.dpi, 'dpi', 1, 10_000) ?? 300, matting: mattingMode(req) };
			})
	};
}
