import { test, expect } from '@playwright/test';
import { b64, openApp, sample } from './helpers';

// Faces a person counts in the face-api sample photos (see tests/unit/faces-real.test.ts).
const EXPECTED: Record<number, number> = { 1: 3, 4: 4, 5: 5 };

test('face detection runs in the browser worker (models from the app origin, ORT WASM) and finds every face', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page);
	for (const [n, count] of Object.entries(EXPECTED)) {
		const r = await page.evaluate((s) => (window as any).darkroom._debug.detectFaces({ base64: s }), b64(sample(Number(n))));
		expect(r.faces.length, `sample${n}`).toBe(count);
		expect(r.backend).toBe('wasm');
		for (const f of r.faces) {
			expect(f.score).toBeGreaterThan(0.7);
			expect(f.box.x).toBeGreaterThanOrEqual(0);
			expect(f.box.x + f.box.width).toBeLessThanOrEqual(r.width + 1);
		}
	}
	// the models were fetched from this origin and kept for offline use
	const cached = await page.evaluate(async () => {
		const names = await caches.keys();
		const c = names.find((n) => n.startsWith('darkroom-models'));
		return c ? (await (await caches.open(c)).keys()).map((r) => new URL(r.url).pathname) : [];
	});
	expect(cached).toEqual(expect.arrayContaining(['/models/blazeface-back-256.onnx', '/models/ort-wasm-simd-threaded.wasm']));
});
