/// <reference lib="webworker" />
/**
 * The benchmark itself: every method runs in this one worker, one after another, so the
 * ratios compare like with like (same thread, same machine state, same inputs).
 * pica and @jsquash/resize are baselines only: they are imported dynamically here and
 * never reach the app's own bundles.
 */
import { decode } from '$lib/codecs/decode';
import { encode } from '$lib/codecs/encode';
import type { RGBAImage } from '$lib/core/image';
import { resizeImage } from '$lib/core/resample';
import { cropImage } from '$lib/core/crop';
import { BLAZEFACE_MODELS, detectFaces } from '$lib/features/faces/detect';
import { matteSubject, MODE_DEFAULTS, type MatteMode, type MatteResult } from '$lib/features/matting/matting';
import { ISNET_MODEL } from '$lib/features/matting/isnet';
import { makeIdPhoto } from '$lib/features/idphoto/idphoto';
import { runSuperres } from './superres';
import { runAi } from './ai';
import { getRuntime, getSession, wasmThreads } from '$lib/models/session';
import {
	areaAverageRGB,
	psnrRGB,
	psnrVsFloat,
	round3,
	sharpness,
	sharpnessOfFloatRGB,
	summarise,
	zonePlate,
	zonePlateScores
} from './metrics';
import type {
	BenchConfig,
	BenchResult,
	BenchSection,
	ColdStart,
	EncodeEntry,
	FaceEntry,
	FromWorker,
	MattingEntry,
	ModelPhoto,
	ModelsResult,
	ResizeEntry,
	Stat,
	ToWorker,
	ZonePlateEntry
} from './protocol';

const SRC_W = 4000;
const SRC_H = 3000;
const RESIZE_TARGETS: [number, number][] = [
	[1600, 1200],
	[400, 300]
];
const ZONE_SRC = 2000;
const ZONE_OUT = 500;
const ZONE_FMAX = 0.5;

const post = (m: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);
const progress = (message: string) => post({ type: 'progress', message });
const now = () => performance.now();
const msg = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Warm-up runs, then timed runs. When one run is slow, fewer timed runs are made so a
 * measurement stays within `budgetMs` (at least one timed run always happens).
 * `prepare` builds fresh inputs outside the timed region.
 */
async function measure<I, T>(
	cfg: BenchConfig,
	prepare: () => I,
	run: (input: I) => T | Promise<T>,
	opts: { warmup?: number; reps?: number; budgetMs?: number } = {}
): Promise<{ stat: Stat; last: T }> {
	const warmup = opts.warmup ?? cfg.warmup;
	let reps = opts.reps ?? cfg.reps;
	const budget = opts.budgetMs ?? cfg.budgetMs;
	let last!: T;
	let slowest = 0;
	for (let i = 0; i < warmup; i++) {
		const input = prepare();
		const t0 = now();
		last = await run(input);
		slowest = Math.max(slowest, now() - t0);
	}
	const samples: number[] = [];
	const started = now();
	for (let i = 0; i < reps; i++) {
		const input = prepare();
		const t0 = now();
		last = await run(input);
		const dt = now() - t0;
		samples.push(dt);
		if (i === 0 && warmup === 0) slowest = dt;
		// Stop early when another run would blow the budget.
		const spent = now() - started;
		if (spent + Math.max(dt, slowest * 0.5) > budget) reps = i + 1;
	}
	return { stat: summarise(samples, warmup), last };
}

/** Wraps the pixels without copying (RGBAImage data is never on a SharedArrayBuffer here). */
function wrapImageData(img: RGBAImage): ImageData {
	return new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height);
}

/**
 * Several methods measured in alternation (A B C, B C A, C A B, …) rather than one after
 * another, so a change in machine load during the run shifts all of them alike and the
 * ratios between them stay fair. Each gets `warmup` untimed runs first.
 */
async function measureInterleaved<T>(
	cfg: BenchConfig,
	cases: Record<string, () => T | Promise<T>>,
	onProgress?: (name: string) => void
): Promise<Record<string, { stat?: Stat; last?: T; error?: string }>> {
	const names = Object.keys(cases);
	const out: Record<string, { stat?: Stat; last?: T; error?: string; samples: number[] }> = {};
	for (const n of names) out[n] = { samples: [] };
	for (const n of names) {
		onProgress?.(n);
		try {
			for (let i = 0; i < cfg.warmup; i++) out[n].last = await cases[n]();
		} catch (e) {
			out[n].error = msg(e);
		}
	}
	const live = names.filter((n) => !out[n].error);
	const started = now();
	// Stop early when one more round would take the whole past the per-method budget.
	for (let rep = 0; rep < cfg.reps && live.length; rep++) {
		for (let k = 0; k < live.length; k++) {
			const n = live[(rep + k) % live.length];
			if (out[n].error) continue;
			try {
				const t0 = now();
				out[n].last = await cases[n]();
				out[n].samples.push(now() - t0);
			} catch (e) {
				out[n].error = msg(e);
			}
		}
		const spent = now() - started;
		const round = spent / (rep + 1);
		if (spent + round > cfg.budgetMs * live.length) break;
	}
	const result: Record<string, { stat?: Stat; last?: T; error?: string }> = {};
	for (const n of names) {
		const o = out[n];
		result[n] = o.error ? { error: o.error } : { stat: summarise(o.samples, cfg.warmup), last: o.last };
	}
	return result;
}

function toImageData(img: RGBAImage): ImageData {
	// A tight copy: some baselines read `.data.buffer` as a whole.
	return new ImageData(new Uint8ClampedArray(img.data), img.width, img.height);
}

function fromBytes(data: Uint8Array | Uint8ClampedArray, width: number, height: number): RGBAImage {
	return { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, width * height * 4) };
}

/** The browser's decoder: createImageBitmap, then pixels back through a 2D canvas. */
async function nativeDecode(bytes: Uint8Array, mime: string): Promise<RGBAImage> {
	const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: mime }), {
		premultiplyAlpha: 'none',
		colorSpaceConversion: 'none'
	});
	const c = new OffscreenCanvas(bitmap.width, bitmap.height);
	const ctx = c.getContext('2d', { willReadFrequently: true })!;
	ctx.drawImage(bitmap, 0, 0);
	bitmap.close();
	const id = ctx.getImageData(0, 0, c.width, c.height);
	return { width: id.width, height: id.height, data: id.data };
}

/** Canvas resize, pixels in → pixels out: upload, drawImage with high smoothing, read back. */
function canvasResize(src: RGBAImage, width: number, height: number): RGBAImage {
	const a = new OffscreenCanvas(src.width, src.height);
	a.getContext('2d')!.putImageData(wrapImageData(src), 0, 0);
	return drawScaled(a, width, height);
}

function drawScaled(source: CanvasImageSource, width: number, height: number): RGBAImage {
	const b = new OffscreenCanvas(width, height);
	const ctx = b.getContext('2d')!;
	ctx.imageSmoothingEnabled = true;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(source, 0, 0, width, height);
	const id = ctx.getImageData(0, 0, width, height);
	return { width, height, data: id.data };
}

type Resizer = (src: RGBAImage, width: number, height: number) => Promise<RGBAImage> | RGBAImage;

async function loadBaselines(notes: string[]): Promise<Record<string, Resizer>> {
	const methods: Record<string, Resizer> = {
		darkroom: (src, w, h) => resizeImage(src, w, h, 'lanczos3'),
		canvas: canvasResize
	};
	try {
		const { default: picaFactory } = await import('pica');
		const p = picaFactory({ features: ['js', 'wasm'] });
		await p.init();
		const feats = (p as unknown as { __mathlib?: { features?: Record<string, boolean> } }).__mathlib?.features;
		notes.push(`pica: resizeBuffer, filter lanczos3, no unsharp; math features ${JSON.stringify(feats ?? {})}`);
		methods.pica = async (src, w, h) => {
			const out = await p.resizeBuffer({ src: src.data, width: src.width, height: src.height, toWidth: w, toHeight: h, filter: 'lanczos3' });
			return fromBytes(out, w, h);
		};
	} catch (e) {
		notes.push(`pica failed to load: ${msg(e)}`);
	}
	try {
		const { default: jsquashResize } = await import('@jsquash/resize');
		// premultiply + sRGB (no linear light) matches what Darkroom, pica and canvas do.
		methods.jsquash = async (src, w, h) => {
			const out = await jsquashResize(toImageData(src), { width: w, height: h, method: 'lanczos3', premultiply: true, linearRGB: false });
			return { width: out.width, height: out.height, data: out.data };
		};
		// jSquash's defaults resize in linear light: a different (gamma-correct) result, reported apart.
		methods.jsquash_linear = async (src, w, h) => {
			const out = await jsquashResize(toImageData(src), { width: w, height: h, method: 'lanczos3' });
			return { width: out.width, height: out.height, data: out.data };
		};
		notes.push('jsquash: lanczos3, premultiply, linearRGB:false; jsquash_linear: its defaults (premultiply, linearRGB:true) — times include the ImageData copy each needs');
	} catch (e) {
		notes.push(`@jsquash/resize failed to load: ${msg(e)}`);
	}
	return methods;
}

function checkSize(img: RGBAImage, w: number, h: number, what: string): void {
	if (img.width !== w || img.height !== h || img.data.length !== w * h * 4) {
		throw new Error(`${what} returned ${img.width}×${img.height} (${img.data.length} bytes), expected ${w}×${h}`);
	}
}

const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
	jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
	png: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
	webp: (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
	avif: (b) => String.fromCharCode(...b.subarray(4, 8)) === 'ftyp'
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.byteLength !== b.byteLength) return false;
	for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
	return true;
}

interface Codec {
	key: string;
	format: 'jpeg' | 'png' | 'webp' | 'avif';
	quality?: number;
	optimize?: boolean;
}

const CODECS: Codec[] = [
	{ key: 'jpeg_q82', format: 'jpeg', quality: 82 },
	{ key: 'png', format: 'png' },
	{ key: 'png_optimize', format: 'png', optimize: true },
	{ key: 'webp_q82', format: 'webp', quality: 82 },
	{ key: 'avif_q60', format: 'avif', quality: 60 }
];

/** The single-person crop of sample6.jpg used for matting and the ID photo. */
const MATTE_PHOTO = 'sample6.jpg';
const MATTE_CROP = { x: 0, y: 260, width: 590, height: 1200 };
/** Matting and ID photo runs take seconds each: at most this many timed runs. */
const MODEL_SLOW_REPS = 3;
/** The 1-inch ID photo with HivisionIDPhotos' default ratios. */
const IDPHOTO_PARAMS = {
	width: 295,
	height: 413,
	face_alignment: true,
	matting: { mode: 'quality' as MatteMode },
	head_measure_ratio: 0.2,
	head_height_ratio: 0.45,
	top_distance_max: 0.12,
	top_distance_min: 0.1,
	hd: true,
	dpi: 300,
	face_detect_model: 'mtcnn'
};

/** Session creation timed on its own (runtime first, then each model), then the first call. */
async function coldStart<T>(ids: string[], first: () => Promise<T>, withRuntime: boolean): Promise<{ cold: ColdStart; value: T }> {
	const cold: ColdStart = { sessions_ms: {}, first_call_ms: 0, total_ms: 0 };
	if (withRuntime) {
		const t0 = now();
		await getRuntime();
		cold.runtime_ms = round3(now() - t0);
	}
	for (const id of ids) {
		const t0 = now();
		await getSession(id);
		cold.sessions_ms[id] = round3(now() - t0);
	}
	const t0 = now();
	const value = await first();
	cold.first_call_ms = round3(now() - t0);
	cold.total_ms = round3((cold.runtime_ms ?? 0) + Object.values(cold.sessions_ms).reduce((a, b) => a + b, 0) + cold.first_call_ms);
	return { cold, value };
}

async function runModels(photos: ModelPhoto[], cfg: BenchConfig, notes: string[], errors: string[]): Promise<ModelsResult> {
	const out: ModelsResult = {};
	progress(`models: decoding ${photos.length} sample photos`);
	const images: { name: string; img: RGBAImage }[] = [];
	for (const p of photos) images.push({ name: p.name, img: (await decode(new Uint8Array(p.bytes))).image });

	// ---- Face detection: cold on the first photo, then per photo warm-up + reps ----
	let runtimeStarted = false;
	try {
		progress('models: starting ORT and the BlazeFace sessions (cold)');
		const faces: { cold?: ColdStart; photos: FaceEntry[] } = { photos: [] };
		out.faces = faces;
		const { cold } = await coldStart(
			[BLAZEFACE_MODELS.back.id, BLAZEFACE_MODELS.front.id],
			() => detectFaces(images[0].img),
			true
		);
		runtimeStarted = true;
		faces.cold = cold;
		const rt = await getRuntime();
		out.backend = rt.backend;
		const threads = rt.ort.env.wasm.numThreads;
		out.wasm_threads = typeof threads === 'number' ? threads : wasmThreads();
		for (const { name, img } of images) {
			progress(`models: detectFaces ${name} ${img.width}×${img.height}`);
			try {
				const m = await measure(cfg, () => img, (i) => detectFaces(i));
				faces.photos.push({
					photo: name,
					width: img.width,
					height: img.height,
					...m.stat,
					faces: m.last.length,
					scores: m.last.map((f) => round3(f.score))
				});
			} catch (e) {
				faces.photos.push({ photo: name, width: img.width, height: img.height, faces: 0, error: msg(e) });
				errors.push(`models faces ${name}: ${msg(e)}`);
			}
		}
	} catch (e) {
		out.faces = { photos: [], error: msg(e) };
		errors.push(`models faces: ${msg(e)}`);
	}

	// ---- Matting: cold (ISNet session + first quality run), then quality/fast interleaved ----
	const six = images.find((i) => i.name.endsWith(MATTE_PHOTO));
	if (!six) {
		errors.push(`models: ${MATTE_PHOTO} was not among the photos; matting and ID photo not measured`);
		return out;
	}
	const crop = cropImage(six.img, MATTE_CROP);
	const matting: NonNullable<ModelsResult['matting']> = { input: { photo: six.name, crop: MATTE_CROP } };
	out.matting = matting;
	try {
		progress(`models: ISNet session + first matteSubject quality on ${crop.width}×${crop.height} (cold)`);
		const { cold } = await coldStart([ISNET_MODEL], () => matteSubject(crop, { mode: 'quality' }), !runtimeStarted);
		matting.cold = cold;
		// The fast path (selfie-seg session + refinement) has not run yet: its cold start,
		// which is also its warm-up, goes to the notes (the result type has one cold slot).
		progress('models: selfie-seg session + first matteSubject fast (cold)');
		const fastCold = await coldStart([MODE_DEFAULTS.fast.segModel ?? 'selfie-seg'], () => matteSubject(crop, { mode: 'fast' }), false);
		notes.push(
			`matting fast cold (${fastCold.value.model}): session ${Object.values(fastCold.cold.sessions_ms).map((x) => x.toFixed(0)).join('+')} ms, first call ${fastCold.cold.first_call_ms.toFixed(0)} ms`
		);
		const modes: MatteMode[] = ['quality', 'fast'];
		const runs: Record<MatteMode, MatteResult[]> = { quality: [], fast: [] };
		const reps = Math.min(MODEL_SLOW_REPS, cfg.reps);
		for (let rep = 0; rep < reps; rep++) {
			for (let k = 0; k < modes.length; k++) {
				const mode = modes[(rep + k) % modes.length];
				progress(`models: matteSubject ${mode} run ${rep + 1}/${reps}`);
				runs[mode].push(await matteSubject(crop, { mode }));
			}
		}
		for (const mode of modes) {
			const r = runs[mode];
			const entry: MattingEntry = {
				...summarise(r.map((x) => x.ms), 1),
				model: r[0]?.model,
				network: summarise(r.map((x) => x.modelMs), 1),
				refine: summarise(r.map((x) => x.ms - x.modelMs), 1)
			};
			matting[mode] = entry;
		}
		notes.push('matting: times are MatteResult.ms (network + refinement) / modelMs (network); quality and fast interleaved, 1 warm-up each (the cold run is quality\'s)');
	} catch (e) {
		matting.error = msg(e);
		errors.push(`models matting: ${msg(e)}`);
	}

	// ---- ID photo end to end (models are warm by now) ----
	try {
		const reps = Math.min(MODEL_SLOW_REPS, cfg.reps);
		progress(`models: makeIdPhoto 1-inch (warm-up + ${reps})`);
		const m = await measure(cfg, () => crop, (i) => makeIdPhoto(i, IDPHOTO_PARAMS), { warmup: 1, reps, budgetMs: cfg.budgetMs * 2 });
		out.idphoto = {
			...m.stat,
			params: IDPHOTO_PARAMS,
			standard: `${m.last.standard.width}x${m.last.standard.height}`,
			hd: m.last.hd ? `${m.last.hd.width}x${m.last.hd.height}` : undefined,
			roll_degrees: round3(m.last.rollDegrees),
			model: m.last.model
		};
	} catch (e) {
		out.idphoto = { error: msg(e) };
		errors.push(`models idphoto: ${msg(e)}`);
	}
	return out;
}

async function runBench(photo: ArrayBuffer | null, photoName: string, cfg: BenchConfig, modelPhotos: ModelPhoto[] = []): Promise<BenchResult> {
	const t00 = now();
	const started_at = new Date().toISOString();
	const notes: string[] = [];
	const errors: string[] = [];
	const ratios: Record<string, number> = {};
	const ratiosMin: Record<string, number> = {};
	/** config.sections absent: every section (the ones needing model photos only when those are given). */
	const want = (section: BenchSection) => !cfg.sections || cfg.sections.includes(section);
	const ok = (x?: number): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
	/** median/median (the headline) and min/min (the least disturbed runs, steadier on a busy machine). */
	const ratio = (key: string, a?: Partial<Stat>, b?: Partial<Stat>) => {
		if (ok(a?.median_ms) && ok(b?.median_ms)) ratios[key] = round3(a.median_ms / b.median_ms);
		if (ok(a?.min_ms) && ok(b?.min_ms)) ratiosMin[key] = round3(a.min_ms / b.min_ms);
	};

	// ---- 1. The 12 MP source photo -------------------------------------------------
	if (!photo) throw new Error('No photo given: call window.__benchStart(base64Jpeg) (bench/run.mjs does this)');
	progress(`decoding the ${photo.byteLength} B photo`);
	let t = now();
	const decodedPhoto = await decode(new Uint8Array(photo.slice(0)));
	const decodePhotoMs = now() - t;
	const photoImg = decodedPhoto.image;
	// Without the core sections the 12 MP source is not built (source then describes the photo, build times 0).
	const core = want('core');
	if (core) progress(`photo ${photoImg.width}×${photoImg.height}; upscaling (cubic) to ${SRC_W}×${SRC_H}`);
	t = now();
	const source = core ? resizeImage(photoImg, SRC_W, SRC_H, 'cubic') : photoImg;
	const upscaleMs = now() - t;
	if (core) checkSize(source, SRC_W, SRC_H, 'resizeImage(cubic)');
	if (core) progress('encoding the 12 MP source as JPEG q90');
	t = now();
	const jpeg12 = core ? await encode(source, { format: 'jpeg', quality: 90 }) : new Uint8Array(0);
	const encodeSrcMs = now() - t;
	if (core && !MAGIC.jpeg(jpeg12)) throw new Error('encode(jpeg) did not produce a JPEG (no FFD8FF)');
	const jpegCopy = new Uint8Array(jpeg12); // kept pristine in case a decoder detaches its input

	const result: BenchResult = {
		version: 1,
		started_at,
		finished_at: '',
		total_ms: 0,
		machine: {
			hardwareConcurrency: navigator.hardwareConcurrency,
			crossOriginIsolated: self.crossOriginIsolated,
			userAgent: navigator.userAgent
		},
		config: cfg,
		source: {
			photo: photoName,
			photo_bytes: photo.byteLength,
			photo_width: photoImg.width,
			photo_height: photoImg.height,
			width: source.width,
			height: source.height,
			jpeg_bytes: jpeg12.byteLength,
			build_ms: { decode_photo: round3(decodePhotoMs), upscale_cubic: round3(upscaleMs), encode_jpeg_q90: round3(encodeSrcMs) }
		},
		decode: {},
		resize: {},
		zone_plate: { size: `${ZONE_SRC}x${ZONE_SRC}->${ZONE_OUT}x${ZONE_OUT}`, rings_fmax: ZONE_FMAX, methods: {} },
		encode: {},
		ratios,
		ratios_min: ratiosMin,
		notes,
		errors
	};

	// Sections 2–5 ("core"): left out when config.sections names others only (run.mjs --only).
	if (core) {
		// ---- 2. Decode 12 MP JPEG ----------------------------------------------------------
		try {
			progress('decode 12 MP JPEG: darkroom vs native createImageBitmap + getImageData, interleaved');
			// Diagnostic: the WASM codec Darkroom wraps, alone, to split its time into codec and wrapper.
			let jpegDecode: ((b: ArrayBuffer, o: { preserveOrientation: boolean }) => Promise<ImageData>) | null = null;
			try {
				jpegDecode = (await import('@jsquash/jpeg/decode.js')).default;
			} catch (e) {
				notes.push(`decode diagnostic: @jsquash/jpeg did not load (${msg(e)})`);
			}
			const cases: Record<string, () => Promise<RGBAImage>> = {
				darkroom: async () => (await decode(jpegCopy.slice())).image,
				native: () => nativeDecode(jpegCopy.slice(), 'image/jpeg')
			};
			if (jpegDecode) {
				const dec = jpegDecode;
				cases.jsquash_codec_only = async () => {
					const d = await dec(jpegCopy.slice().buffer, { preserveOrientation: false });
					return { width: d.width, height: d.height, data: d.data };
				};
			}
			const r = await measureInterleaved<RGBAImage>(cfg, cases);
			if (r.darkroom.error) throw new Error(`darkroom: ${r.darkroom.error}`);
			if (r.native.error) throw new Error(`native: ${r.native.error}`);
			const dr = { stat: r.darkroom.stat!, last: r.darkroom.last! };
			const nat = { stat: r.native.stat!, last: r.native.last! };
			checkSize(dr.last, SRC_W, SRC_H, 'decode');
			result.decode = {
				darkroom: dr.stat,
				native: nat.stat,
				agreement_psnr_db: psnrRGB(dr.last, nat.last)
			};
			ratio('decode.darkroom_vs_native', dr.stat, nat.stat);
			const raw = r.jsquash_codec_only;
			if (raw?.stat) {
				result.decode.jsquash_codec_only = raw.stat;
				ratio('decode.darkroom_vs_codec_only', dr.stat, raw.stat);
			} else if (raw?.error) notes.push(`decode diagnostic (@jsquash/jpeg alone) failed: ${raw.error}`);
		} catch (e) {
			result.decode.error = msg(e);
			errors.push(`decode: ${msg(e)}`);
		}

		// ---- 3. Resize ---------------------------------------------------------------------
		const methods = await loadBaselines(notes);
		let twoMP: RGBAImage | null = null;
		for (const [w, h] of RESIZE_TARGETS) {
			const key = `${w}x${h}`;
			const entries: Record<string, ResizeEntry> = {};
			result.resize[key] = entries;
			progress(`area-average reference ${SRC_W}×${SRC_H} → ${key}`);
			const ref = areaAverageRGB(source, w, h);
			entries.area_reference = { sharpness: round3(sharpnessOfFloatRGB(ref, w, h)), note: 'exact area average (box, fractional weights); not timed' };
			const cases: Record<string, () => Promise<RGBAImage>> = {};
			for (const [name, fn] of Object.entries(methods)) cases[name] = async () => fn(source, w, h);
			const r = await measureInterleaved(cfg, cases, (name) => progress(`resize ${SRC_W}×${SRC_H} → ${key}: ${name} (warm-up)`));
			progress(`resize ${SRC_W}×${SRC_H} → ${key}: timed, interleaved`);
			for (const name of Object.keys(methods)) {
				const m = r[name];
				try {
					if (m.error) throw new Error(m.error);
					checkSize(m.last!, w, h, name);
					const drOut = r.darkroom?.last;
					entries[name] = {
						...m.stat!,
						sharpness: round3(sharpness(m.last!)),
						psnr_vs_area_db: psnrVsFloat(m.last!, ref),
						...(name !== 'darkroom' && drOut ? { psnr_vs_darkroom_db: psnrRGB(m.last!, drOut) } : {})
					};
					if (name === 'darkroom' && w === 1600) twoMP = m.last!;
				} catch (e) {
					entries[name] = { error: msg(e) };
					errors.push(`resize ${key} ${name}: ${msg(e)}`);
				}
			}
			// Canvas without the upload: what a page holding an ImageBitmap would pay.
			try {
				const bmp = await createImageBitmap(wrapImageData(source));
				const m = await measure(cfg, () => bmp, (b) => drawScaled(b, w, h));
				bmp.close();
				if (entries.canvas) entries.canvas.draw_only = m.stat;
			} catch (e) {
				notes.push(`canvas draw-only ${key}: ${msg(e)}`);
			}
			for (const base of ['canvas', 'pica', 'jsquash', 'jsquash_linear']) {
				ratio(`resize.${key}.darkroom_vs_${base}`, entries.darkroom, entries[base]);
			}
		}

		// ---- 4. Aliasing on a zone plate -------------------------------------------------------
		progress(`zone plate ${ZONE_SRC}² → ${ZONE_OUT}²`);
		const zp = zonePlate(ZONE_SRC, ZONE_FMAX);
		for (const [name, fn] of Object.entries(methods)) {
			try {
				const out = await fn(zp, ZONE_OUT, ZONE_OUT);
				checkSize(out, ZONE_OUT, ZONE_OUT, name);
				result.zone_plate.methods[name] = zonePlateScores(out, ZONE_SRC, ZONE_FMAX);
			} catch (e) {
				result.zone_plate.methods[name] = { error: msg(e) } as ZonePlateEntry;
				errors.push(`zone plate ${name}: ${msg(e)}`);
			}
		}
		// The area average as a method too: the textbook example of a filter that aliases.
		{
			const ref = areaAverageRGB(zp, ZONE_OUT, ZONE_OUT);
			const data = new Uint8ClampedArray(ZONE_OUT * ZONE_OUT * 4);
			for (let i = 0; i < ZONE_OUT * ZONE_OUT; i++) {
				data[i * 4] = ref[i * 3];
				data[i * 4 + 1] = ref[i * 3 + 1];
				data[i * 4 + 2] = ref[i * 3 + 2];
				data[i * 4 + 3] = 255;
			}
			result.zone_plate.methods.area_reference = zonePlateScores({ width: ZONE_OUT, height: ZONE_OUT, data }, ZONE_SRC, ZONE_FMAX);
		}

		// ---- 5. Encode -------------------------------------------------------------------------
		const encodeInputs: [string, RGBAImage][] = [];
		if (twoMP) encodeInputs.push(['2MP', twoMP]);
		else errors.push('encode 2MP: no Darkroom 1600×1200 resize output to encode');
		encodeInputs.push(['12MP', source]);
		let avif2Ms: number | undefined;
		for (const [label, img] of encodeInputs) {
			const entries: Record<string, EncodeEntry> = {};
			result.encode[label] = entries;
			const pixels = img.width * img.height;
			for (const c of CODECS) {
				if (label === '12MP' && c.optimize) {
					entries[c.key] = { skipped: 'png+optimize is measured at 2 MP only' };
					continue;
				}
				if (label === '12MP' && c.format === 'avif') {
					const predicted = avif2Ms !== undefined && twoMP ? (avif2Ms * pixels) / (twoMP.width * twoMP.height) : undefined;
					if (predicted === undefined || predicted > cfg.avif12MaxMs) {
						entries[c.key] = {
							skipped: predicted === undefined ? 'no 2 MP AVIF time to predict from' : `predicted ${Math.round(predicted)} ms from the 2 MP run > avif12MaxMs ${cfg.avif12MaxMs}`
						};
						continue;
					}
				}
				progress(`encode ${label} ${img.width}×${img.height}: ${c.key}`);
				try {
					// 12 MP: the codecs are already warm from the 2 MP pass, and one run is long enough.
					const big = label === '12MP';
					const outputs: Uint8Array[] = [];
					const m = await measure(
						cfg,
						() => img,
						async (i) => {
							const b = await encode(i, { format: c.format, quality: c.quality, optimize: c.optimize });
							outputs.push(b);
							return b;
						},
						{ warmup: big ? 0 : cfg.warmup, reps: big ? Math.min(3, cfg.reps) : cfg.reps, budgetMs: big ? cfg.budgetMs * 2 : cfg.budgetMs }
					);
					const bytes = m.last;
					if (!MAGIC[c.format](bytes)) throw new Error(`output does not start like a ${c.format} file`);
					let psnr: number | null = null;
					try {
						const back = await nativeDecode(bytes, `image/${c.format}`);
						psnr = psnrRGB(back, img);
					} catch (e) {
						notes.push(`encode ${label} ${c.key}: the browser could not decode the output (${msg(e)})`);
					}
					const deterministic = outputs.every((o) => sameBytes(o, outputs[0]));
					if (!deterministic) notes.push(`encode ${label} ${c.key}: repeated runs gave different bytes (sizes ${outputs.map((o) => o.byteLength).join(', ')})`);
					entries[c.key] = {
						...m.stat,
						bytes: bytes.byteLength,
						bits_per_pixel: round3((bytes.byteLength * 8) / pixels),
						psnr_db: psnr,
						deterministic
					};
					if (c.format === 'avif' && label === '2MP') avif2Ms = m.stat.min_ms;
				} catch (e) {
					entries[c.key] = { error: msg(e) };
					errors.push(`encode ${label} ${c.key}: ${msg(e)}`);
				}
			}
		}
	}

	// ---- 6. Models (ONNX: face detection, matting, ID photo) ------------------------------
	if (modelPhotos.length && want('models')) {
		try {
			result.models = await runModels(modelPhotos, cfg, notes, errors);
			ratio('models.matting_fast_vs_quality', result.models.matting?.fast, result.models.matting?.quality);
		} catch (e) {
			result.models = { error: msg(e) } as ModelsResult;
			errors.push(`models: ${msg(e)}`);
		}
	} else result.models = { skipped: modelPhotos.length ? `not in config.sections (${cfg.sections?.join(', ')})` : 'no model photos given (--skip-models, or the page run by hand)' };

	// ---- 7. AI enlarge (super-resolution) vs Lanczos on downscaled-then-restored photos ----
	if (modelPhotos.length && want('superres')) {
		try {
			result.superres = await runSuperres(modelPhotos, progress);
			for (const e of result.superres.entries ?? []) if (e.error) errors.push(`superres ${e.photo} ÷${e.factor}: ${e.error}`);
		} catch (e) {
			result.superres = { error: msg(e) };
			errors.push(`superres: ${msg(e)}`);
		}
	}

	// ---- 8. AI calls (face_blur, smart_crop, background_remove, tag, moderate) + smart crop vs smartcrop.js ----
	if (modelPhotos.length && want('ai')) {
		try {
			const afterModels = !!result.models && !result.models.skipped && !result.models.error;
			result.ai = await runAi(modelPhotos, { cfg, progress, notes, errors, measure, coldStart, afterModels });
			const s = result.ai.smartcrop_compare?.summary;
			if (s && Number.isFinite(s.time_ratio_saliency_vs_smartcropjs)) ratios['ai.smartcrop.saliency_vs_smartcropjs'] = s.time_ratio_saliency_vs_smartcropjs;
			if (s && Number.isFinite(s.time_ratio_saliency_vs_smartcropjs_min)) ratiosMin['ai.smartcrop.saliency_vs_smartcropjs'] = s.time_ratio_saliency_vs_smartcropjs_min;
		} catch (e) {
			result.ai = { calls: {}, error: msg(e) };
			errors.push(`ai: ${msg(e)}`);
		}
	}

	result.finished_at = new Date().toISOString();
	result.total_ms = Math.round(now() - t00);
	return result;
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
	if (e.data?.type !== 'start') return;
	try {
		const result = await runBench(e.data.photo, e.data.photoName, e.data.config, e.data.modelPhotos);
		post({ type: 'done', result });
	} catch (err) {
		post({ type: 'error', message: msg(err), stack: err instanceof Error ? err.stack : undefined });
	}
};
