import type { InputFormat, OutputFormat } from '../codecs/types';
import { isPlainObject, optionalBoolean, optionalFormat, optionalInteger, optionalNumber } from './validate';
import type { NormalizedOp } from './ops';

/** How the result is encoded, after every op has had its say. */
export interface OutputPlan {
	format?: OutputFormat; // undefined → chosen from the source format
	quality?: number;
	targetBytes?: number;
	allowDownscale: boolean;
	keepMetadata: boolean;
	dpi?: number;
	optimize: boolean;
	lossless: boolean;
}

export function validateOutput(req: Record<string, unknown>): OutputPlan {
	const plan: OutputPlan = {
		allowDownscale: optionalBoolean(req.allow_downscale, 'allow_downscale') ?? false,
		keepMetadata: optionalBoolean(req.keep_metadata, 'keep_metadata') ?? false,
		optimize: optionalBoolean(req.optimize, 'optimize') ?? false,
		lossless: optionalBoolean(req.lossless, 'lossless') ?? false
	};
	const format = optionalFormat(req.format);
	if (format) plan.format = format;
	const quality = optionalNumber(req.quality, 'quality', 0, 100);
	if (quality !== undefined) plan.quality = quality;
	const dpi = optionalInteger(req.dpi, 'dpi', 1, 10_000, 'integer dpi between 1 and 10000');
	if (dpi !== undefined) plan.dpi = dpi;
	const target = optionalInteger(req.target_bytes, 'target_bytes', 64, 1024 * 1024 * 1024, 'integer number of bytes ≥ 64');
	if (target !== undefined) plan.targetBytes = target;
	return plan;
}

/** compress and convert ops only change how the single final encode is done. */
export function foldEncodeOps(plan: OutputPlan, ops: NormalizedOp[]): OutputPlan {
	const out = { ...plan };
	for (const op of ops) {
		if (op.op === 'convert') {
			out.format = op.format;
			if (op.quality !== undefined) out.quality = op.quality;
		} else if (op.op === 'compress') {
			if (op.quality !== undefined) {
				out.quality = op.quality;
				delete out.targetBytes;
			}
			if (op.targetBytes !== undefined) out.targetBytes = op.targetBytes;
			if (op.allowDownscale) out.allowDownscale = true;
		}
	}
	return out;
}

/** Same format as the source where Darkroom can write it; GIF and BMP become PNG (lossless, keeps alpha). */
export function defaultOutputFormat(source: InputFormat): OutputFormat {
	return source === 'gif' || source === 'bmp' ? 'png' : source;
}

export { isPlainObject };
