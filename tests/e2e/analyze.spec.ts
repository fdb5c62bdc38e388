import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { b64, call, callError, openApp, sample } from './helpers';

// Faces a person counts in the face-api sample photos (see tests/unit/faces-real.test.ts).
const FACES: Record<number, number> = { 1: 3, 4: 4, 5: 5 };

test('image.tag finds people, counts faces and describes colours and style on real group photos', async ({ page }) => {
	test.setTimeout(300_000);
	await openApp(page);
	for (const n of [1, 4, 5, 6]) {
		const t0 = Date.now();
		const r = await call(page, 'image.tag', { image: { base64: b64(sample(n)) } });
		console.log(`tag sample${n}: ${Date.now() - t0} ms wall, stages ${JSON.stringify(r.ms)}, ${r.tags.map((t: any) => `${t.label}:${t.confidence}`).join(' ')}`);
		const person = r.tags.find((t: any) => t.label === 'person');
		expect(person, `sample${n} person`).toBeTruthy();
		expect(person).toMatchObject({ label_zh: '人', source: 'objects' });
		expect(person.confidence, `sample${n}`).toBeGreaterThanOrEqual(0.4);
		expect(person.boxes.length).toBe(person.count);
		for (const b of person.boxes) {
			expect(b.x).toBeGreaterThanOrEqual(0);
			expect(b.x + b.width).toBeLessThanOrEqual(r.width);
		}
		if (FACES[n]) {
			expect(r.faces, `sample${n} faces`).toBe(FACES[n]);
			expect(r.tags.find((t: any) => t.source === 'faces')).toMatchObject({ label: 'face', label_zh: '人脸', count: FACES[n] });
		}
		expect(r.style.kind).toBe('photo');
		expect(r.colours.length).toBeGreaterThan(1);
		expect(r.colours[0].hex).toMatch(/^#[0-9a-f]{6}$/);
		for (const t of r.tags) {
			expect(t.confidence).toBeGreaterThanOrEqual(0.4);
			expect(['objects', 'faces', 'text', 'colour', 'style']).toContain(t.source);
			expect(typeof t.label_zh).toBe('string');
		}
		expect(r.tags.length).toBeLessThanOrEqual(20);
	}
	const few = await call(page, 'image.tag', { image: { base64: b64(sample(1)) }, max_tags: 2, min_confidence: 0.1 });
	expect(few.tags).toHaveLength(2);
});

test('image.tag sees text in a rendered document and calls it a graphic', async ({ page }) => {
	test.setTimeout(120_000);
	await openApp(page);
	const r = await page.evaluate(async () => {
		const c = new OffscreenCanvas(800, 500);
		const g = c.getContext('2d')!;
		g.fillStyle = '#ffffff';
		g.fillRect(0, 0, 800, 500);
		g.fillStyle = '#111111';
		g.font = '28px sans-serif';
		for (let i = 0; i < 8; i++) g.fillText('The quick brown fox jumps over the lazy dog 0123', 30, 60 + i * 52);
		const blob = await c.convertToBlob({ type: 'image/png' });
		return (window as any).darkroom.image.tag({ image: blob });
	});
	expect(r.text.present).toBe(true);
	expect(r.tags.find((t: any) => t.source === 'text')).toMatchObject({ label: 'text', label_zh: '文字' });
	expect(r.style.kind).toBe('drawing');
	expect(r.colours[0]).toMatchObject({ name: 'white', name_zh: '白色' });
});

test('image.moderate does not flag ordinary photos at the default threshold and lists what it cannot judge', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page);
	for (const n of [1, 2, 3, 4, 5, 6]) {
		const t0 = Date.now();
		const r = await call(page, 'image.moderate', { image: { base64: b64(sample(n)) } });
		console.log(`moderate sample${n}: ${Date.now() - t0} ms wall, model ${r.ms} ms, adult ${r.categories.adult.score} racy ${r.categories.racy.score}`);
		expect(r.flagged, `sample${n}`).toBe(false);
		expect(r.threshold).toBe(0.9);
		expect(r.flagged_categories).toEqual([]);
		expect(Object.keys(r.categories).sort()).toEqual(['adult', 'racy']);
		expect(r.not_assessed).toEqual(expect.arrayContaining(['violence', 'gore', 'weapons', 'drugs', 'hate']));
		expect(r.categories).not.toHaveProperty('violence');
		const sum = Object.values(r.classes as Record<string, number>).reduce((s, v) => s + v, 0);
		expect(sum).toBeCloseTo(1, 2);
		expect(r.model).toBe('nsfw-mobilenet-v2');
	}
	// threshold 0 flags everything: the verdict follows the parameter
	const all = await call(page, 'image.moderate', { image: { base64: b64(sample(1)) }, threshold: 0 });
	expect(all.flagged).toBe(true);
	expect(all.threshold).toBe(0);
});

test('image.tag and image.moderate reject bad parameters with 400 naming them', async ({ page }) => {
	await openApp(page);
	const img = { base64: b64(sample(1)) };
	for (const [path, req, param] of [
		['image.tag', { image: img, max_tags: 0 }, 'max_tags'],
		['image.tag', { image: img, max_tags: 'ten' }, 'max_tags'],
		['image.tag', { image: img, min_confidence: 1.5 }, 'min_confidence'],
		['image.tag', { image: img, min_conf: 0.5 }, 'min_conf'],
		['image.tag', {}, 'image'],
		['image.moderate', { image: img, threshold: -0.1 }, 'threshold'],
		['image.moderate', { image: img, threshold: '0.5' }, 'threshold'],
		['image.moderate', { threshold: 0.5 }, 'image']
	] as const) {
		const e = await callError(page, path, req);
		expect(e, `${path} ${param}`).toMatchObject({ name: 'DarkroomError', status: 400, param });
		expect(e.message).toContain(param);
	}
	const e = await callError(page, 'image.moderate', { image: { base64: 'bm90IGFuIGltYWdl' } });
	expect([400, 415]).toContain(e.status);
	const caps = await page.evaluate(() => (window as any).darkroom.capabilities());
	expect(caps).toEqual(expect.arrayContaining([{ method: 'image.tag', available: true }, { method: 'image.moderate', available: true }]));
});

test('the Analyze page shows tags, boxes, moderation and metadata, in English and Chinese', async ({ page }) => {
	test.setTimeout(240_000);
	await openApp(page, '/analyze');
	await page.getByTestId('analyze-file-input').setInputFiles({ name: 'group.jpg', mimeType: 'image/jpeg', buffer: sample(1) });
	const tags = page.getByTestId('analyze-tag-list');
	await expect(tags).toContainText('person', { timeout: 180_000 });
	await expect(page.getByTestId('analyze-faces')).toHaveText('3 faces');
	await expect(page.getByTestId('analyze-style')).toContainText('Photo');
	await expect(page.getByTestId('analyze-boxes').locator('rect.obj').first()).toBeVisible();
	await expect(page.getByTestId('analyze-verdict')).toContainText('Not flagged');
	await expect(page.getByTestId('analyze-verdict')).toContainText('0.90');
	await expect(page.getByTestId('analyze-cat-adult')).toBeVisible();
	await expect(page.getByTestId('analyze-not-assessed')).toContainText('Violence');
	await expect(page.getByTestId('analyze-colours').locator('li').first()).toBeVisible();
	await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');

	await page.getByTestId('lang-switch').selectOption('zh');
	await expect(tags).toContainText('人');
	await expect(tags).not.toContainText('person');
	await expect(page.getByTestId('analyze-faces')).toHaveText('3 张人脸');
	await expect(page.getByTestId('analyze-verdict')).toContainText('未标记');
	await expect(page.getByTestId('analyze-not-assessed')).toContainText('暴力');
	await expect(page.getByRole('heading', { name: '图像分析' })).toBeVisible();
	await page.getByTestId('lang-switch').selectOption('en');
});

test('the Analyze page reads the text on demand and draws its line boxes, in English and Chinese', async ({ page }) => {
	test.setTimeout(240_000);
	await openApp(page, '/analyze');
	await page.getByTestId('analyze-file-input').setInputFiles({ name: 'mixed.png', mimeType: 'image/png', buffer: readFileSync('tests/fixtures/ocr/mixed.png') });
	await expect(page.getByTestId('analyze-text')).toHaveText('Text present', { timeout: 180_000 });
	const button = page.getByTestId('analyze-read-text');
	await expect(button).toHaveText('Read the text');
	await button.click();
	const lines = page.getByTestId('analyze-ocr-lines').locator('li');
	await expect(lines).toHaveCount(3, { timeout: 120_000 });
	await expect(lines.nth(0)).toContainText('Darkroom');
	await expect(lines.nth(2)).toContainText('价格');
	await expect(page.getByTestId('analyze-boxes').locator('polygon.ocr')).toHaveCount(3);
	await expect(page.getByTestId('analyze-ocr-timing')).toContainText('3 lines');
	await expect(page.getByRole('heading', { name: 'Text read' })).toBeVisible();

	await page.getByTestId('lang-switch').selectOption('zh');
	await expect(button).toHaveText('识别文字');
	await expect(page.getByRole('heading', { name: '识别出的文字' })).toBeVisible();
	await expect(page.getByTestId('analyze-ocr-timing')).toContainText('3 行');
	await page.getByTestId('lang-switch').selectOption('en');

	// A new photo clears what was read.
	await page.getByTestId('analyze-file-input').setInputFiles({ name: 'group.jpg', mimeType: 'image/jpeg', buffer: sample(1) });
	await expect(page.getByTestId('analyze-ocr')).toHaveCount(0);
	await expect(page.getByTestId('analyze-text')).toHaveText('No text found', { timeout: 180_000 });
	await page.getByTestId('analyze-read-text').click();
	await expect(page.getByTestId('analyze-ocr-none')).toBeVisible({ timeout: 120_000 });
	await expect(page.getByTestId('analyze-boxes').locator('polygon.ocr')).toHaveCount(0);
});

test('the Analyze page shows an API error inside an alert for a file that is not an image', async ({ page }) => {
	await openApp(page, '/analyze');
	await page.getByTestId('analyze-file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image at all') });
	const alert = page.getByTestId('analyze-error');
	await expect(alert).toBeVisible({ timeout: 120_000 });
	await expect(alert).toHaveClass(/alert/);
	await expect(alert).toContainText(/4\d\d/);
});
