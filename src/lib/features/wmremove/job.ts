/**
 * Worker side of watermark_removal.remove: decode → OCR (unless rectangles were given) →
 * watermarkNames / excludeKeywords → offset → merge adjacent lines → mask → inpaint (unless
 * ocrOnly; PatchMatch, or the user's network when `job.network` names it) → green frames (show) →
 * encode in the source format.
 *
 * Only masked pixels change: the mask is the union of the line rectangles (each grown by a small
 * pad for anti-aliased glyph edges, clipped to the image), and every reported processLocation
 * contains the rectangles merged into it, so everything outside processLocation stays as it was
 * (byte-identical for lossless formats).
 */
import { DarkroomError } from '../../api/errors';
import { decode } from '../../codecs/decode';
import { encode } from '../../codecs/encode';
import type { OutputFormat } from '../../codecs/types';
import type { RGBAImage } from '../../core/image';
import { drawFrames, insideImage, mergeLines, offsetAll, padRect, quadRect, rectMask, type LineRect, type Location, type Rect } from './geometry';
import { selectLines } from './keywords';
import { PROCESS_STATUS, type ProcessStatus } from './status';
import type { WmRemoveJob, WmRemoveResult } from './types';
import type { NetworkSpec } from '../inpaint-net/types';

/** The job as the page sends it, with the user's network when the engine resolved to one (absent = PatchMatch). */
export type WmRemoveNetJob = WmRemoveJob & { network?: NetworkSpec };

/** Pad around a detected line: max(2 px, 8 % of its height). */
export const linePad = (h: number) => Math.max(2, Math.round(h * 0.08));

const OUTPUT: Record<string, OutputFormat> = { jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif', gif: 'png', bmp: 'png' };
const MIME: Record<OutputFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };

export async function runWmRemove(job: WmRemoveNetJob): Promise<WmRemoveResult> {
	const t0 = performance.now();
	const { image, info, icc } = await decode(job.bytes, { limits: job.limits });
	const { width, height } = image;
	let status: ProcessStatus = PROCESS_STATUS.OK;
	let locations: Location[];
	let holes: Rect[];
	let linesFound = 0;
	let ocrMs = 0;

	if (job.rectangles) {
		job.rectangles.forEach((r, i) => {
			if (!insideImage(r, width, height))
				throw new DarkroomError('invalid_parameter', `rectangles[${i}] (x ${r.x}, y ${r.y}, w ${r.w}, h ${r.h}) lies outside the ${width}×${height} image`, `rectangles[${i}]`);
		});
		holes = job.rectangles.map((r) => ({ ...r }));
		locations = holes.map((r) => ({ ...r, lineCount: 0, word: '' }));
	} else {
		const tOcr = performance.now();
		const { runOcr } = await import('../ocr/ocr');
		const ocr = await runOcr(image);
		ocrMs = performance.now() - tOcr;
		linesFound = ocr.lines.length;
		const chosen = selectLines(ocr.lines, job.selection);
		const rects: LineRect[] = chosen.map((l) => ({ ...quadRect(l.box, width, height), text: l.text })).filter((r) => r.w > 0 && r.h > 0);
		const moved = offsetAll(rects, job.offset, width, height);
		if (moved.ignored) status = PROCESS_STATUS.OFFSET_IGNORED;
		const padded = moved.rects.map((r) => ({ ...padRect(r, linePad(r.h), width, height), text: r.text }));
		holes = padded;
		locations = mergeLines(padded).map((g) => g.location);
	}

	const base = { width, height, linesFound };
	const ms = (inpaint: number) => ({ total: Math.round(performance.now() - t0), ocr: Math.round(ocrMs), inpaint: Math.round(inpaint) });
	if (locations.length === 0) return { ...base, status: PROCESS_STATUS.NO_TEXT, locations, ms: ms(0) };

	let out: RGBAImage = image;
	let inpaintMs = 0;
	if (job.ocrOnly) status = PROCESS_STATUS.OCR_ONLY;
	else {
		const tIn = performance.now();
		const { fillHoles } = await import('../inpaint-net/fill');
		out = (await fillHoles(image, rectMask(holes, width, height), job.network)).image;
		inpaintMs = performance.now() - tIn;
	}
	if (job.show) out = drawFrames(out, locations);
	if (job.ocrOnly && !job.show) return { ...base, status, locations, ms: ms(0) };

	const format = OUTPUT[info.format] ?? 'png';
	const bytes = await encode(out, { format, quality: format === 'jpeg' ? 92 : undefined, metadata: icc ? { icc } : undefined });
	return { ...base, status, locations, image: { bytes, mime: MIME[format], width, height }, ms: ms(inpaintMs) };
}
