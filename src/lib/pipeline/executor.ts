import { DarkroomError } from '../api/errors';
import { decode } from '../codecs/decode';
import { encode } from '../codecs/encode';
import { encodeToTargetBytes } from '../codecs/target-size';
import { probe } from '../codecs/probe';
import { isSrgbProfile } from '../codecs/icc';
import { readOrientation } from '../codecs/exif';
import { MIME, type Limits, type OutputFormat } from '../codecs/types';
import type { RGBAImage } from '../core/image';
import { applyOrientation } from '../core/orient';
import { applyResize } from '../core/resize';
import { cropImage } from '../core/crop';
import { rotateImage } from '../core/rotate';
import { flipImage, flopImage } from '../core/flip';
import { applyWatermark } from './watermark-step';
import { dryRun, opError } from './plan';
import { defaultOutputFormat, foldEncodeOps, type OutputPlan } from './output';
import type { NormalizedOp } from './ops';

export interface PipelineJob {
	bytes: Uint8Array;
	ops: NormalizedOp[];
	output: OutputPlan;
	limits: Limits;
	/** `process` calls: errors name the op (`ops[1].params.width`); single-op calls use bare names. */
	nameOps?: boolean;
	/** Extra images the ops refer to (watermark images), by key. */
	assets?: Record<string, Uint8Array>;
}

export interface PipelineResult {
	bytes: Uint8Array;
	mime: string;
	format: OutputFormat;
	width: number;
	height: number;
	/** The quality the encoder used, when the format has one. */
	quality?: number;
	/** What the AI ops report (model, faces, boxes, target_used, crop), merged into the response. */
	info?: Record<string, unknown>;
}

/** Decode once, run every op on pixels, encode once. */
export async function runPipeline(job: PipelineJob): Promise<PipelineResult> {
	const info = probe(job.bytes);
	const orientation = readOrientation(job.bytes);
	// rotate { auto_orient: false } asks for the pixels as stored.
	const autoOrient = !job.ops.some((o) => o.op === 'rotate' && !o.autoOrient);
	const nameOps = job.nameOps ?? false;
	dryRun(info, orientation, autoOrient, job.ops, job.limits, nameOps);
	const output = foldEncodeOps(job.output, job.ops);

	const decoded = await decode(job.bytes, { limits: job.limits, autoOrient });
	let img = decoded.image;
	const opInfo: Record<string, unknown> = {};
	for (const [i, op] of job.ops.entries()) {
		try {
			img = await applyOp(img, op, job, orientation, autoOrient, opInfo);
		} catch (e) {
			throw nameOps && e instanceof DarkroomError ? opError(e, i, op.op) : e;
		}
	}

	// A cut-out keeps its transparency unless a format without alpha is asked for.
	const format = output.format ?? (job.ops.some((o) => o.op === 'background_remove') ? 'png' : defaultOutputFormat(info.format));
	// A non-sRGB profile the decoder could not convert stays with the pixels even when
	// metadata is stripped; without it every viewer would show the wrong colours.
	const keepIcc = decoded.icc && !isSrgbProfile(decoded.icc) ? { icc: decoded.icc } : undefined;
	const metadata = output.keepMetadata ? { exif: decoded.exif, icc: decoded.icc } : keepIcc;
	if (output.targetBytes !== undefined) {
		const r = await encodeToTargetBytes(img, { format, targetBytes: output.targetBytes, allowDownscale: output.allowDownscale });
		return withInfo({ bytes: r.bytes, mime: MIME[format], format, width: r.width, height: r.height, quality: r.quality }, opInfo);
	}
	const bytes = await encode(img, {
		format,
		quality: output.quality,
		lossless: output.lossless,
		optimize: output.optimize,
		dpi: output.dpi,
		metadata
	});
	const res: PipelineResult = { bytes, mime: MIME[format], format, width: img.width, height: img.height };
	if (output.quality !== undefined && format !== 'png') res.quality = output.quality;
	return withInfo(res, opInfo);
}

function withInfo(res: PipelineResult, info: Record<string, unknown>): PipelineResult {
	if (Object.keys(info).length) res.info = info;
	return res;
}

async function applyOp(img: RGBAImage, op: NormalizedOp, job: PipelineJob, orientation: number, autoOrient: boolean, info: Record<string, unknown>): Promise<RGBAImage> {
	switch (op.op) {
		case 'resize':
			if (op.kernel === 'ai') {
				// Super-resolution when it enlarges (the model loads only then), else lanczos3.
				const { applyAiResize } = await import('../features/superres/apply');
				return applyAiResize(img, op, info);
			}
			return applyResize(img, op);
		case 'crop':
			return cropImage(img, op);
		case 'rotate':
			return op.degrees % 360 === 0 ? img : rotateImage(img, op.degrees, op.background);
		case 'flip':
			return flipImage(img);
		case 'flop':
			return flopImage(img);
		case 'auto_orient':
			// Pixels are oriented on decode unless a rotate asked otherwise.
			return autoOrient ? img : applyOrientation(img, orientation);
		case 'watermark':
			return applyWatermark(img, op, job.assets ?? {}, job.limits);
		case 'compress':
		case 'convert':
			return img; // folded into the final encode
		// The AI ops load their models (and onnxruntime) only when a pipeline uses them.
		case 'background_remove': {
			const { applyBackgroundRemove } = await import('../features/bgremove/apply');
			return applyBackgroundRemove(img, op, job.assets ?? {}, job.limits, info);
		}
		case 'face_blur': {
			const { applyFaceBlur } = await import('../features/blur/face-blur');
			return applyFaceBlur(img, op, info);
		}
		case 'smart_crop': {
			const { applySmartCrop } = await import('../features/smartcrop/apply');
			return applySmartCrop(img, op, info);
		}
	}
}
