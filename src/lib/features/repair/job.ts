/**
 * Worker side of repair.image_repair (seed 002): build the mask (MaskPic or MaskPoly) in the
 * EXIF-oriented image's pixels, grow it by `dilate`, repaint it with the PatchMatch inpainter or
 * the user's network (`job.network`), encode once. Pixels outside the grown mask are never
 * touched (byte-identical in PNG).
 */
import { DarkroomError } from '../../api/errors';
import { decode } from '../../codecs/decode';
import { encode } from '../../codecs/encode';
import { readOrientation } from '../../codecs/exif';
import { isSrgbProfile } from '../../codecs/icc';
import { checkLimits, probe } from '../../codecs/probe';
import { MIME } from '../../codecs/types';
import { orientedSize } from '../../core/orient';
import { fillHoles, PATCHMATCH_MODEL } from '../inpaint-net/fill';
import { defaultOutputFormat } from '../../pipeline/output';
import { dilateMask, maskBox } from './dilate';
import { checkMask, maskFromImage } from './mask-image';
import { rasterizePolygons } from './rasterize';
import type { RepairJob, RepairResult } from './types';

/** The built-in inpainting engine (no network weights: exemplar fill). */
export const REPAIR_MODEL = PATCHMATCH_MODEL;

/** Errors about the mask image name the mask parameter, not `image`. */
function aboutMask(e: unknown, param: string): unknown {
	if (!DarkroomError.is(e)) return e;
	const err = e as DarkroomError;
	return new DarkroomError(err.code, `${param}: ${err.message}`, param);
}

async function buildMask(job: RepairJob, w: number, h: number): Promise<Uint8Array> {
	const m = job.mask;
	if (m.kind === 'poly') {
		const mask = rasterizePolygons(m.polygons, w, h, m.param);
		checkMask(mask, w, h, m.param, 'no polygon covers a pixel of the image');
		return mask;
	}
	let maskImg;
	try {
		maskImg = (await decode(m.bytes, { limits: job.limits })).image;
	} catch (e) {
		throw aboutMask(e, m.param);
	}
	const mask = maskFromImage(maskImg, w, h);
	checkMask(mask, w, h, m.param, maskImg.width === w && maskImg.height === h ? 'no white pixel' : `no white pixel once scaled from ${maskImg.width} x ${maskImg.height} to ${w} x ${h}`);
	return mask;
}

export async function runRepairJob(job: RepairJob): Promise<RepairResult> {
	// Header first: limits and the oriented size, so a bad mask fails before the full decode.
	const info = probe(job.bytes);
	checkLimits(info, job.bytes.length, job.limits);
	const size = orientedSize(info.width, info.height, readOrientation(job.bytes));
	const mask = await buildMask(job, size.width, size.height);
	const decoded = await decode(job.bytes, { limits: job.limits });
	const img = decoded.image;
	if (img.width !== size.width || img.height !== size.height) throw new DarkroomError('internal', `Decoded size ${img.width} x ${img.height} differs from the header's ${size.width} x ${size.height}`);
	const grown = dilateMask(mask, img.width, img.height, job.dilate);
	let n = 0;
	for (let i = 0; i < grown.length; i++) n += grown[i];
	if (n === grown.length) throw new DarkroomError('invalid_parameter', `Invalid dilate: growing the mask by ${job.dilate} px covers the whole image, leaving nothing to repair it from`, 'dilate');
	const t0 = performance.now();
	const { image: out, model, engine } = await fillHoles(img, grown, job.network);
	const ms = Math.round(performance.now() - t0);

	const output = job.output;
	const format = output.format ?? defaultOutputFormat(info.format);
	const keepIcc = decoded.icc && !isSrgbProfile(decoded.icc) ? { icc: decoded.icc } : undefined;
	const metadata = output.keepMetadata ? { exif: decoded.exif, icc: decoded.icc } : keepIcc;
	const bytes = await encode(out, { format, quality: output.quality, lossless: output.lossless, optimize: output.optimize, dpi: output.dpi, metadata });
	return {
		bytes,
		mime: MIME[format],
		width: out.width,
		height: out.height,
		info: { model, engine, mask_source: job.mask.param, mask_pixels: n, mask_box: maskBox(grown, img.width, img.height)!, ms }
	};
}
