/**
 * watermark_removal.remove's worker job end to end in Node (PP-OCRv4 in onnxruntime-web WASM,
 * PatchMatch inpainting, PNG codec) on the rendered OCR fixtures. WMREMOVE_LOOK=1 writes the
 * results to /tmp/wmremove-check.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { parseDictionary } from '../../src/lib/features/ocr/lines';
import { getSession, useRuntime } from '../../src/lib/models/session';
import type { WmRemoveJob, WmRemoveResult } from '../../src/lib/features/wmremove/types';
import type { Rect } from '../../src/lib/features/wmremove/geometry';
import { DEFAULT_LIMITS } from '../../src/lib/codecs/types';

const root = join(__dirname, '..', '..');
const dictionary = parseDictionary(readFileSync(join(root, 'static', 'models', 'ppocr-keys.txt'), 'utf8'));

// In Node the dictionary comes from the file, not from the model loader.
vi.mock('../../src/lib/features/ocr/ocr', async (importOriginal) => {
	const mod = await importOriginal<typeof import('../../src/lib/features/ocr/ocr')>();
	return { ...mod, runOcr: (img: Parameters<typeof mod.runOcr>[0], o: Parameters<typeof mod.runOcr>[1] = {}) => mod.runOcr(img, { dictionary, ...o }) };
});

const { runWmRemove } = await import('../../src/lib/features/wmremove/job');
const { runOcr } = await import('../../src/lib/features/ocr/ocr');

const modelBytes = (f: string) => new Uint8Array(readFileSync(join(root, 'static', 'models', f)));
const fixtureBytes = (f: string) => new Uint8Array(readFileSync(join(root, 'tests', 'fixtures', 'ocr', f)));

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	await getSession('ppocr-det', { bytes: modelBytes('ppocr-det.onnx') });
	await getSession('ppocr-cls', { bytes: modelBytes('ppocr-cls.onnx') });
	await getSession('ppocr-rec', { bytes: modelBytes('ppocr-rec.onnx') });
}, 60_000);

const job = (file: string, o: Partial<WmRemoveJob> = {}): WmRemoveJob => ({ bytes: fixtureBytes(file), limits: DEFAULT_LIMITS, selection: { mode: 'all' }, ocrOnly: false, show: false, ...o });

async function pixels(bytes: Uint8Array) {
	return (await decode(bytes)).image;
}

/** Pixels that differ between a and b, split into inside / outside the rectangles. */
function diff(a: { width: number; height: number; data: Uint8ClampedArray }, b: typeof a, rects: Rect[]) {
	let inside = 0;
	let outside = 0;
	for (let y = 0; y < a.height; y++)
		for (let x = 0; x < a.width; x++) {
			const i = (y * a.width + x) * 4;
			if (a.data[i] === b.data[i] && a.data[i + 1] === b.data[i + 1] && a.data[i + 2] === b.data[i + 2] && a.data[i + 3] === b.data[i + 3]) continue;
			if (rects.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)) inside++;
			else outside++;
		}
	return { inside, outside };
}

function look(name: string, r: WmRemoveResult) {
	if (!process.env.WMREMOVE_LOOK || !r.image) return;
	mkdirSync('/tmp/wmremove-check', { recursive: true });
	writeFileSync(`/tmp/wmremove-check/unit-${name}.png`, r.image.bytes);
}

describe('runWmRemove on the OCR fixtures', () => {
	it('en.png: every line removed, only inside processLocation, and OCR then reads nothing', async () => {
		const src = await pixels(fixtureBytes('en.png'));
		const r = await runWmRemove(job('en.png'));
		look('en-all', r);
		console.log(`wmremove en.png ${r.width}×${r.height}: ${r.locations.length} locations, ${r.ms.total} ms (ocr ${r.ms.ocr}, inpaint ${r.ms.inpaint})`, JSON.stringify(r.locations));
		expect(r.status).toBe(0);
		expect(r.linesFound).toBe(3);
		expect(r.locations.reduce((n, l) => n + l.lineCount, 0)).toBe(3);
		expect(r.locations.map((l) => l.word).join(' ')).toMatch(/quick.*Invoice.*Monday/s);
		expect(r.image?.mime).toBe('image/png');
		const out = await pixels(r.image!.bytes);
		const d = diff(src, out, r.locations);
		expect(d.outside).toBe(0);
		expect(d.inside).toBeGreaterThan(1000);
		const again = await runOcr(out);
		expect(again.lines.length).toBe(0);
	}, 120_000);

	it('en.png: watermarkNames removes only the named line; excludeKeywords keeps it byte-identical', async () => {
		const src = await pixels(fixtureBytes('en.png'));
		const named = await runWmRemove(job('en.png', { selection: { mode: 'names', keywords: [{ value: 'Invoice No. 2024-0815', rule: 'similar' }] } }));
		look('en-names', named);
		expect(named.locations).toHaveLength(1);
		expect(named.locations[0].word).toMatch(/Invoice/);
		const after = await runOcr(await pixels(named.image!.bytes));
		expect(after.text).toMatch(/quick/);
		expect(after.text).toMatch(/Monday/);
		expect(after.text).not.toMatch(/Invoice/);

		const kept = await runWmRemove(job('en.png', { selection: { mode: 'exclude', keywords: [{ value: 'Invoice No. 2024-0815', rule: 'similar' }] } }));
		look('en-exclude', kept);
		expect(kept.locations.map((l) => l.word).join(' ')).not.toMatch(/Invoice/);
		const out = await pixels(kept.image!.bytes);
		expect(diff(src, out, kept.locations).outside).toBe(0);
		const again = await runOcr(out);
		expect(again.lines.map((l) => l.text)).toHaveLength(1);
		expect(again.text).toMatch(/Invoice/);
		// absolute needs the exact text: a paraphrase removes nothing
		const none = await runWmRemove(job('en.png', { selection: { mode: 'names', keywords: [{ value: 'invoice no 2024-0815', rule: 'absolute' }] } }));
		expect(none.status).toBe(52002);
		expect(none.image).toBeUndefined();
	}, 120_000);

	it('offset: applied inside the image, ignored with 52005 when it would leave it; ocrOnly answers 52006 without an image', async () => {
		const base = await runWmRemove(job('mixed.png', { ocrOnly: true }));
		expect(base.status).toBe(52006);
		expect(base.image).toBeUndefined();
		expect(base.locations.length).toBeGreaterThan(0);
		const grown = await runWmRemove(job('mixed.png', { ocrOnly: true, offset: { x: -3, y: 0, w: 6, h: 0 } }));
		expect(grown.status).toBe(52006);
		const x0 = Math.min(...base.locations.map((l) => l.x));
		expect(Math.min(...grown.locations.map((l) => l.x))).toBe(x0 - 3);
		const far = await runWmRemove(job('mixed.png', { offset: { x: 0, y: 0, w: 100000, h: 0 } }));
		expect(far.status).toBe(52005);
		expect(far.locations).toEqual(base.locations);
		expect(far.image).toBeDefined();
	}, 120_000);

	it('rectangles: no OCR, exactly those pixels change; outside the image is a 400', async () => {
		const src = await pixels(fixtureBytes('en.png'));
		const rect = { x: 10, y: 10, w: 40, h: 20 };
		const r = await runWmRemove(job('en.png', { rectangles: [rect] }));
		expect(r.linesFound).toBe(0);
		expect(r.ms.ocr).toBe(0);
		expect(r.locations).toEqual([{ ...rect, lineCount: 0, word: '' }]);
		expect(diff(src, await pixels(r.image!.bytes), [rect]).outside).toBe(0);
		await expect(runWmRemove(job('en.png', { rectangles: [{ x: 0, y: 0, w: 100000, h: 5 }] }))).rejects.toMatchObject({ status: 400, param: 'rectangles[0]' });
	}, 120_000);
});
