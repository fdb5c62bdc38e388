/**
 * OCR end to end (PP-OCRv4 det + cls + rec in onnxruntime-web WASM in Node, 1 thread) on
 * the rendered fixtures of tests/fixtures/ocr/ (make.sh renders them; expected.json holds
 * their text). Character accuracy = 1 − CER: 1 − (edit distance between the expected lines
 * and the recognised lines, each joined with '\n') / expected length. Thresholds are the
 * measured accuracies with headroom (see MIN_ACCURACY). OCR_LOG=1 prints what was read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { resizeImage } from '../../src/lib/core/resample';
import { parseDictionary } from '../../src/lib/features/ocr/lines';
import { runOcr, type OcrResult } from '../../src/lib/features/ocr/ocr';
import { getSession, useRuntime } from '../../src/lib/models/session';
import { levenshtein } from '../../src/lib/features/wmremove/keywords';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'tests', 'fixtures', 'ocr');
const modelBytes = (f: string) => new Uint8Array(readFileSync(join(root, 'static', 'models', f)));
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, string[]>;
const fixture = async (file: string) => (await decode(new Uint8Array(readFileSync(join(fixtures, file))))).image;
const dictionary = parseDictionary(readFileSync(join(root, 'static', 'models', 'ppocr-keys.txt'), 'utf8'));

/** Minimum character accuracy per fixture (measured values in the comments). */
const MIN_ACCURACY: Record<string, number> = {
	'en.png': 0.95,
	'zh.png': 0.95,
	'mixed.png': 0.9,
	'rotated15.png': 0.9,
	'upside-down.png': 0.85,
	'photo.jpg': 0.8
};


/**
 * 1 − CER of `got` against `want`; by default spaces are ignored (the Chinese PP-OCRv4
 * recogniser often drops the spaces between words: "InvoiceNo.2024-0815,total").
 */
export function charAccuracy(want: string, got: string, ignoreSpaces = true): number {
	const norm = (s: string) => (ignoreSpaces ? s.replace(/[ \t]+/g, '') : s);
	const w = norm(want);
	return Math.max(0, 1 - levenshtein(w, norm(got)) / [...w].length);
}

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	await getSession('ppocr-det', { bytes: modelBytes('ppocr-det.onnx') });
	await getSession('ppocr-cls', { bytes: modelBytes('ppocr-cls.onnx') });
	await getSession('ppocr-rec', { bytes: modelBytes('ppocr-rec.onnx') });
	// Warm-up (ORT's first runs allocate and plan), so the logged timings are steady-state ones.
	await runOcr(await fixture('upside-down.png'), { dictionary });
}, 60_000);

const results: Record<string, OcrResult> = {};

it('the dictionary gives the recogniser its 6625 classes (blank + 6623 keys + space)', async () => {
	expect(dictionary).toHaveLength(6625);
	expect(dictionary[0]).toBe('');
	expect(dictionary[6624]).toBe(' ');
	const rec = await getSession('ppocr-rec');
	const out = await rec.run({ x: new ort.Tensor('float32', new Float32Array(3 * 48 * 320), [1, 3, 48, 320]) });
	expect(out[rec.outputNames[0]].dims).toEqual([1, 40, 6625]); // one step per 8 input columns
});

describe('runOcr on rendered text', () => {
	for (const [file, lines] of Object.entries(expected)) {
		it(`${file}: reads the text (character accuracy ≥ ${MIN_ACCURACY[file]})`, async () => {
			const image = await fixture(file);
			const r = await runOcr(image, { dictionary });
			results[file] = r;
			const acc = charAccuracy(lines.join('\n'), r.text);
			const strict = charAccuracy(lines.join('\n'), r.text, false);
			const t = r.timings;
			console.log(
				`ocr ${file} ${image.width}×${image.height}: accuracy ${acc.toFixed(3)} (with spaces ${strict.toFixed(3)}), ${r.lines.length} lines, ${r.ms.toFixed(0)} ms (det ${t.detMs.toFixed(0)}, cls ${t.clsMs.toFixed(0)}, rec ${t.recMs.toFixed(0)})` +
					(process.env.OCR_LOG ? `\n${r.lines.map((l) => `  ${l.confidence.toFixed(3)} ${l.flipped ? '↻ ' : ''}${JSON.stringify(l.box)} ${l.text}`).join('\n')}` : '')
			);
			expect(acc).toBeGreaterThanOrEqual(MIN_ACCURACY[file]);
			expect(r.lines.length).toBe(lines.length);
			for (const l of r.lines) {
				expect(l.confidence).toBeGreaterThan(0.5);
				expect(l.confidence).toBeLessThanOrEqual(1);
				for (const [x, y] of l.box) {
					expect(x).toBeGreaterThanOrEqual(0);
					expect(x).toBeLessThanOrEqual(image.width);
					expect(y).toBeGreaterThanOrEqual(0);
					expect(y).toBeLessThanOrEqual(image.height);
				}
			}
		}, 60_000);
	}

	it('rotated15.png: the box follows the line (tilted about 15°)', () => {
		const r = results['rotated15.png'];
		expect(r?.lines.length).toBe(1);
		const [tl, tr] = r.lines[0].box;
		const deg = (Math.atan2(tl[1] - tr[1], tr[0] - tl[0]) * 180) / Math.PI;
		expect(deg).toBeGreaterThan(10);
		expect(deg).toBeLessThan(20);
	});

	it('upside-down.png: the direction classifier flipped the line', () => {
		expect(results['upside-down.png']?.lines[0]?.flipped).toBe(true);
		expect(results['en.png']?.lines.some((l) => l.flipped)).toBe(false);
	});

	it('photo.jpg enlarged to 1920 px: detector input limited to 960, still read', async () => {
		const image = resizeImage(await fixture('photo.jpg'), 1920, 1080, 'linear');
		const r = await runOcr(image, { dictionary });
		const t = r.timings;
		console.log(`ocr photo.jpg at 1920×1080: accuracy ${charAccuracy(expected['photo.jpg'].join('\n'), r.text).toFixed(3)}, ${r.lines.length} lines, ${r.ms.toFixed(0)} ms (det ${t.detMs.toFixed(0)}, cls ${t.clsMs.toFixed(0)}, rec ${t.recMs.toFixed(0)})`);
		expect(charAccuracy(expected['photo.jpg'].join('\n'), r.text)).toBeGreaterThanOrEqual(MIN_ACCURACY['photo.jpg']);
	}, 60_000);

	it.skipIf(!existsSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg')))('a 1920-px photo without text: timing, few or no lines', async () => {
		const { image } = await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg'))));
		const r = await runOcr(image, { dictionary });
		const t = r.timings;
		console.log(`ocr sample1.jpg ${image.width}×${image.height}: ${r.lines.length} lines, ${r.ms.toFixed(0)} ms (det ${t.detMs.toFixed(0)}, cls ${t.clsMs.toFixed(0)}, rec ${t.recMs.toFixed(0)})${process.env.OCR_LOG ? '\n' + r.text : ''}`);
		expect(r.lines.length).toBeLessThanOrEqual(5);
	}, 60_000);
});
