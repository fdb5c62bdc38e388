/**
 * Bench section "ai": time per image of the worker-side functions behind the AI calls
 * (face_blur, smart_crop face / saliency, background_remove, image.tag, image.moderate),
 * cold start (session creation + first call) apart from warm runs; and the smart-crop
 * comparison: our saliency window, our face window, a window over the salient-object mask
 * (ISNet) and smartcrop.js's, on the same decoded photos, for 1:1, 4:5 and 16:9.
 * The AI enlarge is measured in superres.ts.
 */
import { decode } from '$lib/codecs/decode';
import { DEFAULT_LIMITS } from '$lib/codecs/types';
import type { Rect } from '$lib/core/geometry';
import type { RGBAImage } from '$lib/core/image';
import { applyBackgroundRemove } from '$lib/features/bgremove/apply';
import { detectFacesAnySize } from '$lib/features/blur/detect';
import { applyFaceBlur } from '$lib/features/blur/face-blur';
import { DEFAULT_MARGIN, DEFAULT_STRENGTH } from '$lib/features/blur/regions';
import { BLAZEFACE_MODELS } from '$lib/features/faces/detect';
import { ISNET_MODEL, runIsnet } from '$lib/features/matting/isnet';
import { runModerate } from '$lib/features/moderate/moderate';
import { NSFW_ID } from '$lib/features/moderate/nsfw';
import { DEFAULT_THRESHOLD } from '$lib/features/moderate/verdict';
import { applySmartCrop } from '$lib/features/smartcrop/apply';
import { cropSizeForAspect, type Aspect } from '$lib/features/smartcrop/aspect';
import { saliencyMap } from '$lib/features/smartcrop/saliency';
import { faceWindow, facesInside, saliencyWindow, type BoxLike } from '$lib/features/smartcrop/window';
import { CENTERNET_ID } from '$lib/features/tag/centernet';
import { DEFAULT_MAX_TAGS, DEFAULT_MIN_CONFIDENCE } from '$lib/features/tag/params';
import { runTag } from '$lib/features/tag/tag';
import { PPOCR_DET_ID } from '$lib/features/tag/text';
import { getRuntime, wasmThreads } from '$lib/models/session';
import type { FaceBlurOp, SmartCropOp, BackgroundRemoveOp } from '$lib/pipeline/ops';
import { round3 } from './metrics';
import type { BenchConfig, ColdStart, ModelPhoto, Stat } from './protocol';

/** The photo background_remove is timed on (ISNet at 1024² + refinement: ~10–25 s a call). */
export const BGREMOVE_PHOTO = 'sample1.jpg';
/** Slow calls (tag, background_remove): at most this many timed runs. */
const SLOW_REPS = 2;
/** Other calls: at most this many timed runs per photo (6 photos each). */
const AI_REPS = 3;
export const CROP_ASPECTS: Record<string, Aspect> = { '1:1': { w: 1, h: 1 }, '4:5': { w: 4, h: 5 }, '16:9': { w: 16, h: 9 } };
export const CROP_METHODS = ['saliency', 'face', 'mask', 'smartcrop_js'] as const;
export type CropMethod = (typeof CROP_METHODS)[number];

type Measure = <I, T>(
	cfg: BenchConfig,
	prepare: () => I,
	run: (input: I) => T | Promise<T>,
	opts?: { warmup?: number; reps?: number; budgetMs?: number }
) => Promise<{ stat: Stat; last: T }>;
type ColdStartFn = <T>(ids: string[], first: () => Promise<T>, withRuntime: boolean) => Promise<{ cold: ColdStart; value: T }>;

export interface AiDeps {
	cfg: BenchConfig;
	progress: (m: string) => void;
	notes: string[];
	errors: string[];
	measure: Measure;
	coldStart: ColdStartFn;
	/** The models section ran first in this worker: runtime and BlazeFace / ISNet sessions are already made. */
	afterModels: boolean;
}

export interface AiCallEntry extends Partial<Stat> {
	photo: string;
	width: number;
	height: number;
	/** Faces found (face_blur, smart_crop face, tag). */
	faces?: number;
	/** Call-specific facts from the last run (crop, target used, tags, verdict …). */
	info?: Record<string, unknown>;
	error?: string;
}

export interface AiCall {
	/** What is timed, in words. */
	what: string;
	cold?: ColdStart;
	photos: AiCallEntry[];
	error?: string;
}

export interface CropAspectEntry {
	/** The window size every method is asked for (the largest of the aspect that fits). */
	size: string;
	windows: Partial<Record<CropMethod, Rect>>;
	/** IoU of two methods' windows, e.g. `saliency~smartcrop_js`. */
	iou: Record<string, number>;
	/** Every detected face wholly inside the window (only when the photo has faces). */
	faces_kept?: Partial<Record<CropMethod, boolean>>;
	/** The detected faces' bounding box fits in a window of this size (so keeping them all was possible). */
	faces_fit?: boolean;
	/** Warm time of the window search alone, median ms (saliency: map + search; smartcrop_js: crop()). */
	ms: Partial<Record<CropMethod, number>>;
	ms_min: Partial<Record<CropMethod, number>>;
}

export interface CropCompareEntry {
	photo: string;
	width: number;
	height: number;
	faces: number;
	face_boxes: Rect[];
	/** Per-photo cost shared by all aspects: face detection (smart_crop face call, median) and one ISNet network run. */
	shared_ms: { face_detect_and_crop?: number; isnet_network?: number };
	aspects: Record<string, CropAspectEntry>;
	error?: string;
}

export interface CropCompareSummary {
	/** Mean IoU over photos × aspects, per method pair. */
	mean_iou: Record<string, number>;
	/** Share of (photo, aspect) with faces where every face is inside the window, per method. */
	faces_kept_rate: Partial<Record<CropMethod, number>>;
	cases_with_faces: number;
	/** The same, only over the cases where all faces fit in the window (faces_fit). */
	faces_kept_rate_where_fit: Partial<Record<CropMethod, number>>;
	cases_faces_fit: number;
	/** Mean over photos × aspects of ours_saliency_ms / smartcrop_js_ms (median, and min/min). */
	time_ratio_saliency_vs_smartcropjs: number;
	time_ratio_saliency_vs_smartcropjs_min: number;
	/** Mean per-photo time of each method for one window (face: detection included; mask: one ISNet run included). */
	mean_ms: Partial<Record<CropMethod, number>>;
}

export interface AiResult {
	backend?: string;
	wasm_threads?: number;
	calls: Record<string, AiCall>;
	smartcrop_compare?: { entries: CropCompareEntry[]; summary?: CropCompareSummary; smartcrop_js: string; error?: string };
	error?: string;
}

const msg = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
const base = (name: string) => name.split('/').pop() ?? name;

export function iou(a: Rect, b: Rect): number {
	const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
	const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
	const inter = ix * iy;
	const union = a.width * a.height + b.width * b.height - inter;
	return union > 0 ? inter / union : 0;
}

const FACE_BLUR_OP: FaceBlurOp = { op: 'face_blur', style: 'gaussian', strength: DEFAULT_STRENGTH, margin: DEFAULT_MARGIN, color: [0, 0, 0, 255], detect: true, regions: [] };
const smartCropOp = (target: SmartCropOp['target'], aspect: Aspect = CROP_ASPECTS['1:1']): SmartCropOp => ({ op: 'smart_crop', aspect, target });
const BG_OP: BackgroundRemoveOp = { op: 'background_remove', output: 'cutout' };
const TAG_PARAMS = { max_tags: DEFAULT_MAX_TAGS, min_confidence: DEFAULT_MIN_CONFIDENCE };
const MODERATE_PARAMS = { threshold: DEFAULT_THRESHOLD };

interface SmartcropLib {
	crop(image: ImageBitmap, options: Record<string, unknown>): Promise<{ topCrop: Rect }>;
}

export async function runAi(photos: ModelPhoto[], d: AiDeps): Promise<AiResult> {
	const { cfg, progress, notes, errors, measure, coldStart } = d;
	const out: AiResult = { calls: {} };
	progress(`ai: decoding ${photos.length} sample photos`);
	const images: { name: string; img: RGBAImage }[] = [];
	for (const p of photos) images.push({ name: p.name, img: (await decode(new Uint8Array(p.bytes.slice(0)))).image });
	const reps = Math.min(AI_REPS, cfg.reps);
	const slowReps = Math.min(SLOW_REPS, cfg.reps);
	if (d.afterModels) notes.push('ai: the models section ran first, so the ORT runtime and the BlazeFace / ISNet sessions already existed: their ai.*.cold figures are ~0 (see models.*.cold)');

	/** One call on every photo: 1 warm-up + `r` timed runs each; `facts` reads the last run's info. */
	const perPhoto = async <T>(key: string, call: AiCall, r: number, run: (img: RGBAImage, info: Record<string, unknown>) => Promise<T>, facts: (v: T, info: Record<string, unknown>) => Partial<AiCallEntry>) => {
		for (const { name, img } of images) {
			progress(`ai: ${key} ${base(name)} ${img.width}×${img.height} (warm-up + ${r})`);
			const info: Record<string, unknown> = {};
			try {
				const m = await measure(cfg, () => img, (i) => run(i, info), { reps: r });
				call.photos.push({ photo: name, width: img.width, height: img.height, ...m.stat, ...facts(m.last, info) });
			} catch (e) {
				call.photos.push({ photo: name, width: img.width, height: img.height, error: msg(e) });
				errors.push(`ai ${key} ${base(name)}: ${msg(e)}`);
			}
		}
	};
	const section = async (key: string, what: string, body: (call: AiCall) => Promise<void>) => {
		const call: AiCall = { what, photos: [] };
		out.calls[key] = call;
		try {
			await body(call);
		} catch (e) {
			call.error = msg(e);
			errors.push(`ai ${key}: ${msg(e)}`);
		}
	};
	const first = images[0];

	// ---- face_blur (BlazeFace, tiled, + gaussian redaction) ----
	await section('face_blur', 'applyFaceBlur(img, { style gaussian, strength 50, margin 0.2, detect: true })', async (call) => {
		progress('ai: face_blur cold (ORT runtime + BlazeFace sessions + first call)');
		call.cold = (await coldStart([BLAZEFACE_MODELS.back.id, BLAZEFACE_MODELS.front.id], () => applyFaceBlur(first.img, FACE_BLUR_OP, {}), true)).cold;
		const rt = await getRuntime();
		out.backend = rt.backend;
		const threads = rt.ort.env.wasm.numThreads;
		out.wasm_threads = typeof threads === 'number' ? threads : wasmThreads();
		await perPhoto('face_blur', call, reps, (img, info) => applyFaceBlur(img, FACE_BLUR_OP, info), (_v, info) => ({ faces: info.faces as number }));
	});

	// ---- smart_crop, 1:1: target face (BlazeFace + faceWindow) and target saliency (no model) ----
	for (const target of ['face', 'saliency'] as const) {
		await section(`smart_crop_${target}`, `applySmartCrop(img, { aspect 1:1, target: '${target}' })${target === 'face' ? ' (BlazeFace sessions already warm from face_blur)' : ' (no model)'}`, async (call) => {
			await perPhoto(`smart_crop ${target}`, call, reps, (img, info) => applySmartCrop(img, smartCropOp(target), info), (_v, info) => ({
				...(info.faces !== undefined ? { faces: info.faces as number } : {}),
				info: { target_used: info.target_used, crop: info.crop, ...(info.faces_in_crop !== undefined ? { faces_in_crop: info.faces_in_crop } : {}) }
			}));
		});
	}

	// ---- image.moderate (nsfw MobileNet v2 at 224²) ----
	await section('moderate', `runModerate(img, { threshold ${DEFAULT_THRESHOLD} }) (what the worker's moderate job runs after decoding)`, async (call) => {
		progress('ai: moderate cold (nsfw session + first call)');
		call.cold = (await coldStart([NSFW_ID], () => runModerate(first.img, MODERATE_PARAMS), false)).cold;
		await perPhoto('moderate', call, reps, (img) => runModerate(img, MODERATE_PARAMS), (v) => ({
			info: { flagged: v.flagged, adult: v.categories.adult.score, racy: v.categories.racy.score }
		}));
	});

	// ---- image.tag (CenterNet + BlazeFace + PP-OCR det + colours + nsfw style) ----
	await section('tag', `runTag(img, { max_tags ${DEFAULT_MAX_TAGS}, min_confidence ${DEFAULT_MIN_CONFIDENCE} }) (BlazeFace and nsfw sessions already warm)`, async (call) => {
		progress('ai: tag cold (CenterNet + PP-OCR det sessions + first call)');
		call.cold = (await coldStart([CENTERNET_ID, PPOCR_DET_ID], () => runTag(first.img, TAG_PARAMS), false)).cold;
		await perPhoto('tag', call, slowReps, (img) => runTag(img, TAG_PARAMS), (v) => ({
			faces: v.faces,
			info: { tags: v.tags.map((t) => `${t.label} ${t.confidence}`), stage_ms: v.ms }
		}));
	});

	// ---- background_remove (ISNet 1024² + guided refinement + decontamination), one photo ----
	await section('background_remove', "applyBackgroundRemove(img, { output: 'cutout' }) on one photo: cold (ISNet session + first call, which is the warm-up), then at most 2 timed runs", async (call) => {
		const one = images.find((i) => i.name.endsWith(BGREMOVE_PHOTO)) ?? first;
		progress(`ai: background_remove cold on ${base(one.name)} (ISNet session + first call)`);
		call.cold = (await coldStart([ISNET_MODEL], () => applyBackgroundRemove(one.img, BG_OP, {}, DEFAULT_LIMITS, {}), false)).cold;
		progress(`ai: background_remove ${base(one.name)} (${slowReps} timed runs)`);
		const info: Record<string, unknown> = {};
		const m = await measure(cfg, () => one.img, (i) => applyBackgroundRemove(i, BG_OP, {}, DEFAULT_LIMITS, info), { warmup: 0, reps: slowReps, budgetMs: cfg.budgetMs * 4 });
		call.photos.push({ photo: one.name, width: one.img.width, height: one.img.height, ...m.stat, info: { model: info.model } });
	});

	// ---- smart crop: ours (saliency, face), salient-object mask, smartcrop.js ----
	out.smartcrop_compare = await compareCrops(images, out.calls.smart_crop_face, d);
	return out;
}

async function compareCrops(images: { name: string; img: RGBAImage }[], faceCall: AiCall | undefined, d: AiDeps): Promise<NonNullable<AiResult['smartcrop_compare']>> {
	const { cfg, progress, notes, errors, measure } = d;
	const res: NonNullable<AiResult['smartcrop_compare']> = { entries: [], smartcrop_js: 'smartcrop 2.0.5, default options, OffscreenCanvas factory, input an ImageBitmap of the decoded photo' };
	let sc: SmartcropLib;
	try {
		const mod = (await import('smartcrop')) as unknown as { default?: SmartcropLib } & SmartcropLib;
		sc = mod.default ?? mod;
	} catch (e) {
		res.error = `smartcrop failed to load: ${msg(e)}`;
		errors.push(`ai smartcrop_compare: ${res.error}`);
		return res;
	}
	const canvasFactory = (w: number, h: number) => new OffscreenCanvas(Math.max(1, w), Math.max(1, h));
	const reps = Math.min(AI_REPS, cfg.reps);
	for (const { name, img } of images) {
		const { width: W, height: H } = img;
		const entry: CropCompareEntry = { photo: name, width: W, height: H, faces: 0, face_boxes: [], shared_ms: {}, aspects: {} };
		res.entries.push(entry);
		try {
			progress(`ai: smart crop compare ${base(name)}: faces, ISNet mask, windows`);
			const faces: BoxLike[] = (await detectFacesAnySize(img)).map((f) => f.box);
			entry.faces = faces.length;
			entry.face_boxes = faces.map((b) => ({ x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) }));
			const faceStat = faceCall?.photos.find((p) => p.photo === name);
			if (faceStat?.median_ms !== undefined) entry.shared_ms.face_detect_and_crop = faceStat.median_ms;
			// The salient-object mask: ISNet's 1024² alpha, stretched over the photo, searched like a saliency map.
			const t0 = performance.now();
			const alpha = await runIsnet(img);
			entry.shared_ms.isnet_network = round3(performance.now() - t0);
			const maskMap = { width: 1024, height: 1024, data: alpha };
			const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(img.data), W, H));
			try {
				for (const [label, aspect] of Object.entries(CROP_ASPECTS)) {
					const size = cropSizeForAspect(W, H, aspect);
					const a: CropAspectEntry = { size: `${size.width}x${size.height}`, windows: {}, iou: {}, ms: {}, ms_min: {} };
					entry.aspects[label] = a;
					const sal = await measure(cfg, () => img, (i) => saliencyWindow(W, H, size.width, size.height, saliencyMap(i)), { reps });
					a.windows.saliency = sal.last;
					a.ms.saliency = sal.stat.median_ms;
					a.ms_min.saliency = sal.stat.min_ms;
					if (faces.length) {
						const t = performance.now();
						a.windows.face = faceWindow(W, H, size.width, size.height, faces);
						a.ms.face = round3(performance.now() - t);
					}
					const t1 = performance.now();
					a.windows.mask = saliencyWindow(W, H, size.width, size.height, maskMap);
					a.ms.mask = round3(performance.now() - t1);
					const js = await measure(cfg, () => bitmap, (b) => sc.crop(b, { width: size.width, height: size.height, canvasFactory }), { reps });
					const c = js.last.topCrop;
					a.windows.smartcrop_js = { x: c.x, y: c.y, width: c.width, height: c.height };
					a.ms.smartcrop_js = js.stat.median_ms;
					a.ms_min.smartcrop_js = js.stat.min_ms;
					const ms = CROP_METHODS.filter((m) => a.windows[m]);
					for (let i = 0; i < ms.length; i++) for (let j = i + 1; j < ms.length; j++) a.iou[`${ms[i]}~${ms[j]}`] = round3(iou(a.windows[ms[i]]!, a.windows[ms[j]]!));
					if (faces.length) {
						const x0 = Math.min(...faces.map((f) => f.x)), x1 = Math.max(...faces.map((f) => f.x + f.width));
						const y0 = Math.min(...faces.map((f) => f.y)), y1 = Math.max(...faces.map((f) => f.y + f.height));
						a.faces_fit = x1 - x0 <= size.width && y1 - y0 <= size.height;
						a.faces_kept = {};
						for (const m of ms) a.faces_kept[m] = facesInside(a.windows[m]!, faces) === faces.length;
					}
				}
			} finally {
				bitmap.close();
			}
		} catch (e) {
			entry.error = msg(e);
			errors.push(`ai smartcrop_compare ${base(name)}: ${msg(e)}`);
		}
	}
	res.summary = summariseCrops(res.entries);
	const s = res.summary;
	const pct = (x?: number) => (x === undefined ? '—' : `${Math.round(x * 100)} %`);
	notes.push(
		`smart crop vs smartcrop.js (${res.entries.length} photos × ${Object.keys(CROP_ASPECTS).join(', ')}): mean IoU ours-saliency~smartcrop.js ${s.mean_iou['saliency~smartcrop_js'] ?? '—'}, ` +
			`saliency~mask ${s.mean_iou['saliency~mask'] ?? '—'}, mask~smartcrop.js ${s.mean_iou['mask~smartcrop_js'] ?? '—'}, face~smartcrop.js ${s.mean_iou['face~smartcrop_js'] ?? '—'}; ` +
			`all faces kept (${s.cases_with_faces} cases with faces): saliency ${pct(s.faces_kept_rate.saliency)}, face ${pct(s.faces_kept_rate.face)}, mask ${pct(s.faces_kept_rate.mask)}, smartcrop.js ${pct(s.faces_kept_rate.smartcrop_js)}; ` +
			`where all faces fit (${s.cases_faces_fit} cases): saliency ${pct(s.faces_kept_rate_where_fit.saliency)}, face ${pct(s.faces_kept_rate_where_fit.face)}, mask ${pct(s.faces_kept_rate_where_fit.mask)}, smartcrop.js ${pct(s.faces_kept_rate_where_fit.smartcrop_js)}; ` +
			`time ours-saliency/smartcrop.js ${s.time_ratio_saliency_vs_smartcropjs} (min/min ${s.time_ratio_saliency_vs_smartcropjs_min})`
	);
	return res;
}

function mean(xs: number[]): number {
	return xs.length ? round3(xs.reduce((a, b) => a + b, 0) / xs.length) : NaN;
}

export function summariseCrops(entries: CropCompareEntry[]): CropCompareSummary {
	const ious: Record<string, number[]> = {};
	const kept: Partial<Record<CropMethod, number[]>> = {};
	const keptFit: Partial<Record<CropMethod, number[]>> = {};
	let fit = 0;
	const ratios: number[] = [];
	const ratiosMin: number[] = [];
	const times: Partial<Record<CropMethod, number[]>> = {};
	let withFaces = 0;
	const push = <K extends string>(o: Partial<Record<K, number[]>>, k: K, v: number) => (o[k] ??= []).push(v);
	for (const e of entries) {
		if (e.error) continue;
		for (const a of Object.values(e.aspects)) {
			for (const [k, v] of Object.entries(a.iou)) push(ious, k, v);
			if (a.faces_kept) {
				withFaces++;
				for (const [m, ok] of Object.entries(a.faces_kept)) push(kept, m as CropMethod, ok ? 1 : 0);
				if (a.faces_fit) {
					fit++;
					for (const [m, ok] of Object.entries(a.faces_kept)) push(keptFit, m as CropMethod, ok ? 1 : 0);
				}
			}
			if (a.ms.saliency && a.ms.smartcrop_js) ratios.push(a.ms.saliency / a.ms.smartcrop_js);
			if (a.ms_min.saliency && a.ms_min.smartcrop_js) ratiosMin.push(a.ms_min.saliency / a.ms_min.smartcrop_js);
		}
		const one = e.aspects['1:1'];
		if (one) {
			if (one.ms.saliency !== undefined) push(times, 'saliency', one.ms.saliency);
			if (one.ms.smartcrop_js !== undefined) push(times, 'smartcrop_js', one.ms.smartcrop_js);
			if (e.shared_ms.isnet_network !== undefined) push(times, 'mask', e.shared_ms.isnet_network + (one.ms.mask ?? 0));
			if (e.faces && e.shared_ms.face_detect_and_crop !== undefined) push(times, 'face', e.shared_ms.face_detect_and_crop);
		}
	}
	const obj = <K extends string>(o: Partial<Record<K, number[]>>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, mean(v as number[])])) as Partial<Record<K, number>>;
	return {
		mean_iou: obj(ious) as Record<string, number>,
		faces_kept_rate: obj(kept),
		cases_with_faces: withFaces,
		faces_kept_rate_where_fit: obj(keptFit),
		cases_faces_fit: fit,
		time_ratio_saliency_vs_smartcropjs: mean(ratios),
		time_ratio_saliency_vs_smartcropjs_min: mean(ratiosMin),
		mean_ms: obj(times)
	};
}
