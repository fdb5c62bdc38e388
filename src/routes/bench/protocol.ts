/** Messages between the bench page and bench.worker.ts, and the shape of one run's results. */

export interface BenchConfig {
	/** Timed repetitions per measurement (after warm-up), capped by `budgetMs`. */
	reps: number;
	/** Untimed warm-up runs before the timed ones (JIT, WASM instantiation, allocator). */
	warmup: number;
	/** Soft time budget per measurement: fewer reps are run when one run is slow. */
	budgetMs: number;
	/** Run AVIF at 12 MP only if the fastest 2 MP time, scaled by the pixel count, predicts at most this. */
	avif12MaxMs: number;
	/** Only these sections (bench/run.mjs --only); absent: all. The model sections also need model photos. */
	sections?: BenchSection[];
}

/** core: decode, resize, zone plate, encode; models: face detection, matting, ID photo; superres: AI enlarge; ai: the AI calls + smart crop vs smartcrop.js; inpaint: repair.image_repair per hole MP and image.ocr per image, through the API on the page (inpaint.ts); library: upload, delivery render vs cache, batch vs sequential (library.ts). */
export const BENCH_SECTIONS = ['core', 'models', 'superres', 'ai', 'inpaint', 'library'] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

export const DEFAULT_CONFIG: BenchConfig = { reps: 5, warmup: 1, budgetMs: 15_000, avif12MaxMs: 60_000 };

/** A photo for the models section (face detection on each; matting / ID photo on a crop of one). */
export interface ModelPhoto {
	name: string;
	bytes: ArrayBuffer;
}

export type ToWorker = {
	type: 'start';
	photo: ArrayBuffer | null;
	photoName: string;
	config: BenchConfig;
	/** Absent or empty: the models section is skipped (`--skip-models`). */
	modelPhotos?: ModelPhoto[];
};

export type FromWorker =
	| { type: 'progress'; message: string }
	| { type: 'done'; result: BenchResult }
	| { type: 'error'; message: string; stack?: string };

/** Timing of one measurement, in milliseconds. */
export interface Stat {
	median_ms: number;
	min_ms: number;
	max_ms: number;
	runs: number;
	warmup: number;
	samples_ms: number[];
}

export interface ResizeEntry extends Partial<Stat> {
	/** Mean |Laplacian| of the output's luma: higher = crisper (or noisier / ringing). */
	sharpness?: number;
	/** PSNR (dB) against exact area averaging of the same source to the same size. */
	psnr_vs_area_db?: number;
	/** PSNR (dB) against Darkroom's own output: how alike two implementations are (100 = identical). */
	psnr_vs_darkroom_db?: number;
	/** Canvas only: drawImage + getImageData with the source already an ImageBitmap. */
	draw_only?: Stat;
	error?: string;
	note?: string;
}

export interface ZonePlateEntry {
	/** RMS deviation from mid-grey where ring frequency > output Nyquist (lower = less aliasing). */
	alias_rms: number;
	/** The same where ring frequency > 2 × output Nyquist (only real aliasing survives there). */
	alias_far_rms: number;
	/** Amplitude kept for rings below half the output Nyquist (1 = all, < 1 blur, > 1 sharpening). */
	passband_gain: number;
	/** Mean grey minus 127.5 where alias_rms is measured: a brightness shift (linear-light filters), not moiré. */
	alias_band_mean_offset: number;
	error?: string;
}

export interface EncodeEntry extends Partial<Stat> {
	bytes?: number;
	bits_per_pixel?: number;
	/** PSNR (dB) of the encoded file, decoded by the browser, against the encoder's input; 100 = bit-identical. */
	psnr_db?: number | null;
	/** Every run (warm-up included) gave the same bytes. */
	deterministic?: boolean;
	skipped?: string;
	error?: string;
}

/** First use of a model-backed feature: ORT runtime start, session creation (model fetch + verify + compile), first call. */
export interface ColdStart {
	/** ORT runtime start (import + .wasm fetch); only the first model user pays it. */
	runtime_ms?: number;
	/** getSession(id) per model: fetch (Cache Storage is empty in the bench's fresh context), SHA-256, session creation. */
	sessions_ms: Record<string, number>;
	/** The first call itself, sessions ready (first inference: kernel set-up, allocations). */
	first_call_ms: number;
	/** runtime + sessions + first call: what the first use costs a user. */
	total_ms: number;
}

export interface FaceEntry extends Partial<Stat> {
	photo: string;
	width: number;
	height: number;
	faces: number;
	scores?: number[];
	error?: string;
}

export interface MattingEntry extends Partial<Stat> {
	model?: string;
	/** Network (runIsnet) time per timed run, from MatteResult.modelMs. */
	network?: Stat;
	/** Refinement + decontamination (ms − modelMs) per timed run. */
	refine?: Stat;
	error?: string;
}

export interface ModelsResult {
	backend?: string;
	wasm_threads?: number;
	faces?: { cold?: ColdStart; photos: FaceEntry[]; error?: string };
	matting?: {
		input: { photo: string; crop: { x: number; y: number; width: number; height: number } };
		cold?: ColdStart;
		quality?: MattingEntry;
		fast?: MattingEntry;
		error?: string;
	};
	idphoto?: Partial<Stat> & {
		params?: Record<string, unknown>;
		standard?: string;
		hd?: string;
		roll_degrees?: number;
		model?: string;
		error?: string;
	};
	skipped?: string;
	error?: string;
}

export interface BenchResult {
	version: 1;
	started_at: string;
	finished_at: string;
	total_ms: number;
	machine: {
		hardwareConcurrency: number;
		crossOriginIsolated: boolean;
		userAgent: string;
		/** The page's values (the worker's are above); they should agree. */
		page?: { hardwareConcurrency: number; crossOriginIsolated: boolean; userAgent: string };
	};
	config: BenchConfig;
	source: {
		photo: string;
		photo_bytes: number;
		photo_width: number;
		photo_height: number;
		width: number;
		height: number;
		/** The 12 MP source, JPEG q90 by Darkroom's encoder: the input of the decode test. */
		jpeg_bytes: number;
		build_ms: { decode_photo: number; upscale_cubic: number; encode_jpeg_q90: number };
	};
	decode: {
		darkroom?: Stat;
		native?: Stat;
		/** Diagnostic: the @jsquash/jpeg decoder Darkroom wraps, called directly. */
		jsquash_codec_only?: Stat;
		/** PSNR between Darkroom's and the browser's decode of the same file (IDCT / upsampling differences); 100 = bit-identical. */
		agreement_psnr_db?: number;
		error?: string;
	};
	resize: Record<string, Record<string, ResizeEntry>>;
	zone_plate: { size: string; rings_fmax: number; methods: Record<string, ZonePlateEntry> };
	encode: Record<string, Record<string, EncodeEntry>>;
	/** ONNX model features (face detection, matting, ID photo), run last in the same worker. */
	models?: ModelsResult;
	/** AI enlarge (kernel 'ai') vs Lanczos on downscaled-then-restored photos (superres.ts). */
	superres?: import('./superres').SuperresResult;
	/** Time per image of the AI calls' worker functions, and smart crop against smartcrop.js (ai.ts). */
	ai?: import('./ai').AiResult;
	/** repair.image_repair per hole megapixel and image.ocr per image, through window.darkroom on the page (inpaint.ts). */
	inpaint?: import('./inpaint').InpaintResult;
	/** image.upload, delivery render vs cache hit, batch vs sequential process (library.ts). */
	library?: import('./library').LibraryResult;
	/** darkroom_ms / baseline_ms etc.: < 1 means Darkroom is faster. */
	ratios: Record<string, number>;
	/** The same ratios from the fastest run of each: less sensitive to other load on the machine. */
	ratios_min: Record<string, number>;
	notes: string[];
	errors: string[];
}

declare global {
	interface Window {
		__benchStart?: (
			photoBase64?: string,
			config?: Partial<BenchConfig>,
			photoName?: string,
			modelPhotos?: { name: string; b64: string }[]
		) => Promise<BenchResult>;
		__benchResult?: BenchResult;
		__benchError?: string;
	}
}
