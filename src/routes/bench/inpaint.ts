/**
 * Bench section "inpaint": what a user waits for, through the public API on this page.
 *  - repair.image_repair (seed 002) on real photos with a rectangular hole of 0.01, 0.05 and
 *    0.2 MP (watermark-shaped, 10:3, centred): the call's wall time (resolve, decode, mask,
 *    fill, encode, transfers) and the fill alone (the response's `ms`), each also per hole
 *    megapixel; the diffusion baseline (diffuseFill, the same hole) timed here for a ratio.
 *  - image.ocr on real photos and on a photo with a rendered two-line caption (English and
 *    Chinese): the first call (model download + sessions + reading) apart from warm calls.
 * Runs on the page, after the worker's sections, because the API lives here (its work runs in
 * the app's own worker pool). The diffusion baseline runs on this page's thread.
 */
import { decode } from '$lib/codecs/decode';
import type { RGBAImage } from '$lib/core/image';
import { diffuseFill } from '$lib/core/inpaint';
import { darkroom } from '$lib/ui/darkroom';
import { round3, summarise } from './metrics';
import type { BenchConfig, ModelPhoto, Stat } from './protocol';

/** Hole areas in megapixels. */
export const HOLE_MP = [0.01, 0.05, 0.2];
/** Photos the repair is timed on (of the six sample photos). */
const REPAIR_PHOTOS = ['sample1.jpg', 'sample2.jpg'];
/** Photos OCR reads as they are (besides the captioned one). */
const OCR_PHOTOS = ['sample1.jpg', 'sample3.jpg'];
const REPAIR_REPS = 3;
const OCR_REPS = 3;

export interface RepairEntry {
	photo: string;
	width: number;
	height: number;
	/** The hole: a w × h rectangle at x, y (dilate 0, so exactly these pixels). */
	hole: { x: number; y: number; w: number; h: number; mp: number };
	/** repair.image_repair wall time on the page. */
	api?: Stat;
	/** The fill alone (the response's `ms`, measured in the worker). */
	fill?: Stat;
	api_ms_per_hole_mp?: number;
	fill_ms_per_hole_mp?: number;
	/** diffuseFill on the same decoded photo and hole, on the page's thread. */
	diffusion?: Stat;
	diffusion_ms_per_hole_mp?: number;
	/** fill median / diffusion median. */
	fill_vs_diffusion?: number;
	model?: string;
	error?: string;
}

export interface OcrEntry extends Partial<Stat> {
	image: string;
	width?: number;
	height?: number;
	lines?: number;
	text?: string;
	/** The worker's own time (decode excluded) and per stage, from the last warm call. */
	worker_ms?: number;
	timings?: { det: number; cls: number; rec: number };
	error?: string;
}

export interface InpaintResult {
	repair: { cold_first_call_ms?: number; entries: RepairEntry[]; error?: string };
	ocr: { cold?: { image: string; ms: number; worker_ms?: number }; entries: OcrEntry[]; backend?: string; error?: string };
}

const msg = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
const base = (name: string) => name.split('/').pop() ?? name;

/** A watermark-shaped (10:3) rectangle of about `mp` megapixels, centred. */
export function holeRect(W: number, H: number, mp: number): { x: number; y: number; w: number; h: number } {
	const area = mp * 1e6;
	let w = Math.round(Math.sqrt((area * 10) / 3));
	let h = Math.round(area / w);
	w = Math.min(w, W - 2);
	h = Math.min(h, H - 2);
	return { x: Math.round((W - w) / 2), y: Math.round((H - h) / 2), w, h };
}

/** The photo with a two-line caption drawn by the browser (anti-aliased, with a shadow), as PNG bytes. */
async function captioned(img: RGBAImage): Promise<Blob> {
	const c = new OffscreenCanvas(img.width, img.height);
	const g = c.getContext('2d')!;
	g.putImageData(new ImageData(new Uint8ClampedArray(img.data), img.width, img.height), 0, 0);
	g.font = 'bold 64px sans-serif';
	g.fillStyle = '#fff';
	g.shadowColor = 'rgba(0,0,0,0.7)';
	g.shadowBlur = 4;
	g.shadowOffsetX = 2;
	g.shadowOffsetY = 2;
	g.fillText('Darkroom runs on your device', 80, img.height - 200);
	g.fillText('暗房在你的设备上运行', 80, img.height - 110);
	return c.convertToBlob({ type: 'image/png' });
}

export async function runInpaint(photos: ModelPhoto[], cfg: BenchConfig, progress: (m: string) => void, notes: string[], errors: string[]): Promise<InpaintResult> {
	const api = darkroom();
	const out: InpaintResult = { repair: { entries: [] }, ocr: { entries: [] } };
	const now = () => performance.now();

	// ---- repair.image_repair ----
	try {
		let first = true;
		for (const name of REPAIR_PHOTOS) {
			const p = photos.find((x) => base(x.name) === name);
			if (!p) continue;
			const img = (await decode(new Uint8Array(p.bytes.slice(0)))).image;
			for (const mp of HOLE_MP) {
				const r = holeRect(img.width, img.height, mp);
				const holeMp = (r.w * r.h) / 1e6;
				const e: RepairEntry = { photo: p.name, width: img.width, height: img.height, hole: { ...r, mp: round3(holeMp) } };
				out.repair.entries.push(e);
				try {
					const poly: [number, number][][] = [[[r.x, r.y], [r.x + r.w, r.y], [r.x + r.w, r.y + r.h], [r.x, r.y + r.h]]];
					const call = () => api.repair.image_repair({ image: new Blob([p.bytes.slice(0)], { type: 'image/jpeg' }), MaskPoly: poly, dilate: 0, engine: 'patchmatch' });
					if (first) {
						progress(`inpaint: repair cold (worker start, codecs, first fill) on ${name}, ${r.w}×${r.h}`);
						const t = now();
						await call();
						out.repair.cold_first_call_ms = round3(now() - t);
						first = false;
					}
					const apiMs: number[] = [];
					const fillMs: number[] = [];
					const reps = Math.max(1, Math.min(REPAIR_REPS, cfg.reps));
					for (let i = 0; i < reps; i++) {
						progress(`inpaint: repair ${name} hole ${r.w}×${r.h} (${holeMp.toFixed(3)} MP) run ${i + 1}/${reps}`);
						const t = now();
						const res = await call();
						apiMs.push(now() - t);
						fillMs.push(res.ms);
						e.model = res.model;
						if (res.image_url?.startsWith('blob:')) URL.revokeObjectURL(res.image_url);
					}
					e.api = summarise(apiMs, 0);
					e.fill = summarise(fillMs, 0);
					e.api_ms_per_hole_mp = round3(e.api.median_ms / holeMp);
					e.fill_ms_per_hole_mp = round3(e.fill.median_ms / holeMp);
					const mask = new Uint8Array(img.width * img.height);
					for (let y = r.y; y < r.y + r.h; y++) mask.fill(1, y * img.width + r.x, y * img.width + r.x + r.w);
					const dMs: number[] = [];
					for (let i = 0; i < reps; i++) {
						const t = now();
						diffuseFill(img, mask);
						dMs.push(now() - t);
					}
					e.diffusion = summarise(dMs, 0);
					e.diffusion_ms_per_hole_mp = round3(e.diffusion.median_ms / holeMp);
					e.fill_vs_diffusion = round3(e.fill.median_ms / e.diffusion.median_ms);
				} catch (err) {
					e.error = msg(err);
					errors.push(`inpaint repair ${name} ${mp} MP: ${msg(err)}`);
				}
			}
		}
	} catch (err) {
		out.repair.error = msg(err);
		errors.push(`inpaint repair: ${msg(err)}`);
	}

	// ---- image.ocr ----
	try {
		const inputs: { image: string; blob: () => Blob }[] = [];
		const cap = photos.find((x) => base(x.name) === OCR_PHOTOS[0]);
		if (cap) {
			const png = await captioned((await decode(new Uint8Array(cap.bytes.slice(0)))).image);
			inputs.push({ image: `${base(cap.name)} + caption (en, zh), PNG`, blob: () => png });
		}
		for (const name of OCR_PHOTOS) {
			const p = photos.find((x) => base(x.name) === name);
			if (p) inputs.push({ image: base(p.name), blob: () => new Blob([p.bytes.slice(0)], { type: 'image/jpeg' }) });
		}
		let cold = true;
		for (const input of inputs) {
			const e: OcrEntry = { image: input.image };
			out.ocr.entries.push(e);
			try {
				if (cold) {
					progress(`inpaint: ocr cold (model download + sessions + first read) on ${input.image}`);
					const t = now();
					const r = await api.image.ocr({ image: input.blob() });
					out.ocr.cold = { image: input.image, ms: round3(now() - t), worker_ms: r.ms };
					cold = false;
				}
				const ms: number[] = [];
				const reps = Math.max(1, Math.min(OCR_REPS, cfg.reps));
				let last!: Awaited<ReturnType<typeof api.image.ocr>>;
				for (let i = 0; i < reps; i++) {
					progress(`inpaint: ocr ${input.image} run ${i + 1}/${reps}`);
					const t = now();
					last = await api.image.ocr({ image: input.blob() });
					ms.push(now() - t);
				}
				Object.assign(e, summarise(ms, 0), { width: last.width, height: last.height, lines: last.count, text: last.text, worker_ms: last.ms, timings: last.timings });
				out.ocr.backend = last.backend;
			} catch (err) {
				e.error = msg(err);
				errors.push(`inpaint ocr ${input.image}: ${msg(err)}`);
			}
		}
	} catch (err) {
		out.ocr.error = msg(err);
		errors.push(`inpaint ocr: ${msg(err)}`);
	}
	const big = out.repair.entries.filter((e) => e.fill_ms_per_hole_mp !== undefined);
	if (big.length) notes.push(`inpaint: fill ${big.map((e) => `${base(e.photo)} ${e.hole.mp} MP ${Math.round(e.fill!.median_ms)} ms`).join(', ')}; diffusion runs on the page's thread, the fill in a pool worker`);
	return out;
}
