import { test, expect, type Page } from '@playwright/test';
import { call, openApp, sample } from './helpers';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

/** The /transformations page over the real image.transformation.* API and image.process. */

const photo = (n: number) => ({ name: `sample${n}.jpg`, mimeType: 'image/jpeg', buffer: sample(n) });
const KEY = '943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881';
const SALT = '520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5';

async function cleanup(page: Page) {
	await page.evaluate(async () => {
		const tr = (window as any).darkroom?.image.transformation;
		if (!tr) return;
		for (const r of (await tr.list({ limit: 500 })).items) if (r.name.startsWith('e2e-')) await tr.delete({ id: r.id });
	});
}

const row = (page: Page, name: string) => page.locator(`[data-testid="tr-row"][data-name="${name}"]`);

async function previewSize(page: Page): Promise<[number, number]> {
	return page.getByTestId('tr-preview-img').evaluate(async (img: HTMLImageElement) => {
		await img.decode();
		return [img.naturalWidth, img.naturalHeight] as [number, number];
	});
}

test.beforeEach(async ({ page }) => openApp(page, '/transformations'));
test.afterEach(async ({ page }) => cleanup(page));

test('create with the form, preview it, edit by typing the compact string, delete', async ({ page }) => {
	test.setTimeout(90_000);
	const name = `e2e-thumb-${Date.now().toString(36)}`;
	await page.getByTestId('tr-new').click();
	await page.getByTestId('tr-name').fill(name);
	// The form writes the compact string as it goes.
	await page.getByTestId('tr-width').fill('240');
	await page.getByTestId('tr-height').fill('160');
	await page.getByTestId('tr-fit').selectOption('cover');
	await page.getByTestId('tr-gravity').selectOption('north');
	await page.getByTestId('tr-format').selectOption('webp');
	await page.getByTestId('tr-quality').fill('70');
	await expect(page.getByTestId('tr-compact')).toHaveValue('w_240,h_160,c_cover,g_north,f_webp,q_70');
	await page.getByTestId('tr-save').click();
	await expect(row(page, name).getByTestId('tr-row-compact')).toHaveText('w_240,h_160,c_cover,g_north,f_webp,q_70');
	expect((await call(page, 'image.transformation.get', { name })).transform).toBe('w_240,h_160,c_cover,g_north,f_webp,q_70');
	await expect(page.getByTestId('tr-delivery')).toHaveText(`/cdn/<${en['trPage.delivery.assetId']}>/t_${name}`);

	// Live preview on a real photo, rendered by image.process.
	await page.getByTestId('tr-sample-input').setInputFiles(photo(2));
	await expect(page.getByTestId('tr-preview-info')).toContainText('240 × 160');
	await expect(page.getByTestId('tr-preview-info')).toContainText('WEBP');
	expect(await previewSize(page)).toEqual([240, 160]);

	// Typing the compact string refills the form, and the preview follows.
	await page.getByTestId('tr-compact').fill('w_120,h_90,c_contain,b_ff0000,f_png,fl_h');
	await expect(page.getByTestId('tr-width')).toHaveValue('120');
	await expect(page.getByTestId('tr-height')).toHaveValue('90');
	await expect(page.getByTestId('tr-fit')).toHaveValue('contain');
	await expect(page.getByTestId('tr-gravity')).toHaveValue('');
	await expect(page.getByTestId('tr-background')).toHaveValue('ff0000');
	await expect(page.getByTestId('tr-format')).toHaveValue('png');
	await expect(page.getByTestId('tr-flop')).toBeChecked();
	await expect(page.getByTestId('tr-preview-info')).toContainText('120 × 90', { timeout: 30_000 });
	await expect(page.getByTestId('tr-preview-info')).toContainText('PNG');
	expect(await previewSize(page)).toEqual([120, 90]);
	await page.getByTestId('tr-save').click();
	await expect(row(page, name).getByTestId('tr-row-compact')).toHaveText('w_120,h_90,c_contain,b_ff0000,f_png,fl_h');
	expect((await call(page, 'image.transformation.get', { name })).transform).toBe('w_120,h_90,c_contain,b_ff0000,f_png,fl_h');

	// Delete asks first.
	await row(page, name).getByTestId('tr-delete').click();
	await row(page, name).getByTestId('tr-confirm-delete').click();
	await expect(row(page, name)).toHaveCount(0);
	const left = await call(page, 'image.transformation.list', { limit: 500 });
	expect(left.items.map((r: any) => r.name)).not.toContain(name);
});

test('bad values are shown where they are, and nothing bad is saved', async ({ page }) => {
	const name = `e2e-bad-${Date.now().toString(36)}`;
	await page.getByTestId('tr-new').click();
	await page.getByTestId('tr-name').fill(name);
	await page.getByTestId('tr-compact').fill('w_400');
	await expect(page.getByTestId('tr-height')).toHaveValue('');
	await page.getByTestId('tr-compact').fill('w_400,h_0');
	await expect(page.getByTestId('tr-compact')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByTestId('tr-compact-error')).toContainText('400 invalid_parameter');
	await expect(page.getByTestId('tr-compact-error')).toContainText('transform (h_)');
	await page.getByTestId('tr-save').click();
	await expect(row(page, name)).toHaveCount(0);
	// Fixing a field rewrites the string; a wrong field keeps its message beside it.
	await page.getByTestId('tr-height').fill('300');
	await expect(page.getByTestId('tr-compact')).toHaveValue('w_400,h_300');
	await expect(page.getByTestId('tr-compact-error')).toHaveCount(0);
	await page.getByTestId('tr-quality').fill('150');
	await expect(page.locator('#tr-q ~ .field-error')).toHaveText(en['validate.range'].replace('{min}', '1').replace('{max}', '100'));
	await expect(page.getByTestId('tr-compact')).toHaveValue('w_400,h_300');
	await page.getByTestId('tr-quality').fill('');
	// A name outside the rule, then a name already taken (the API's 422).
	await page.getByTestId('tr-name').fill('bad name!');
	await page.getByTestId('tr-save').click();
	await expect(page.getByTestId('tr-name-error')).toHaveText(en['trPage.field.nameRule']);
	await call(page, 'image.transformation.create', { name, transform: 'w_10' });
	await page.getByTestId('tr-name').fill(name);
	await page.getByTestId('tr-save').click();
	await expect(page.getByTestId('tr-save-error')).toContainText('422 unprocessable');
	expect((await call(page, 'image.transformation.get', { name })).transform).toBe('w_10');
});

test('a reference to another transformation, and the imgproxy export', async ({ page }) => {
	const base = `e2e-base-${Date.now().toString(36)}`;
	await call(page, 'image.transformation.create', { name: base, transform: 'w_300,h_200,c_cover,f_webp,q_75' });
	await page.reload();
	await page.getByTestId('tr-new').click();
	await page.getByTestId('tr-name').fill(`e2e-ref-${Date.now().toString(36)}`);
	await page.getByTestId('tr-compact').fill(`t_${base},f_png`);
	await expect(page.getByTestId('tr-compact-named')).toContainText(base);
	await page.getByTestId('tr-sample-input').setInputFiles(photo(1));
	await expect(page.getByTestId('tr-preview-info')).toContainText('300 × 200');
	await expect(page.getByTestId('tr-preview-info')).toContainText('PNG');

	await row(page, base).getByTestId('tr-export').click();
	const dialog = page.getByTestId('ip-dialog');
	await expect(dialog).toBeVisible();
	await page.getByTestId('ip-host').fill('https://img.example.com');
	await page.getByTestId('ip-source').fill('s3://bucket/cat.jpg');
	await page.getByTestId('ip-key').fill('nothex');
	await page.getByTestId('ip-salt').fill(SALT);
	await page.getByTestId('ip-generate').click();
	await expect(page.getByTestId('ip-error')).toContainText('key');
	await page.getByTestId('ip-key').fill(KEY);
	await page.getByTestId('ip-generate').click();
	const url = await page.getByTestId('ip-url').inputValue();
	const expected = await call(page, 'image.transformation.imgproxy_url', { name: base, host: 'https://img.example.com', key: KEY, salt: SALT, source: 's3://bucket/cat.jpg' });
	expect(url).toBe(expected.url);
	expect(url).toMatch(/^https:\/\/img\.example\.com\/[A-Za-z0-9_-]{43}\/.*rs:fill:300:200:0.*\.webp$/);
	await page.getByTestId('ip-close').click();
	await expect(dialog).toBeHidden();
});

test('the delivery URL example is served through the transformation', async ({ page }) => {
	test.setTimeout(90_000);
	// Delivery URLs are answered by the service worker: the page must be under its control.
	await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active, undefined, { timeout: 60_000 });
	const name = `e2e-deliv-${Date.now().toString(36)}`;
	const asset = await page.evaluate(
		async ({ data, name }) => {
			const d = (window as any).darkroom;
			await d.image.transformation.create({ name, transform: 'w_200,h_100,c_cover,f_webp' });
			return d.image.upload({ file: { base64: data }, key: `${name}.jpg` });
		},
		{ data: sample(3).toString('base64'), name }
	);
	await page.reload();
	await page.waitForFunction(() => !!navigator.serviceWorker.controller && typeof (window as any).darkroom?.image?.list === 'function');
	await row(page, name).getByTestId('tr-edit').click();
	const link = page.getByTestId('tr-delivery-example');
	await expect(link).toHaveAttribute('href', new RegExp(`^/cdn/[^/]+/t_${name}$`));
	const href = (await link.getAttribute('href'))!;
	const got = await page.evaluate(async (url) => {
		const res = await fetch(url);
		const bmp = await createImageBitmap(await res.blob());
		return { status: res.status, type: res.headers.get('Content-Type'), size: [bmp.width, bmp.height] };
	}, href);
	expect(got).toEqual({ status: 200, type: 'image/webp', size: [200, 100] });
	await page.evaluate((id) => (window as any).darkroom.image.delete({ id }), asset.id);
});

test('the page in Chinese', async ({ page }) => {
	await page.evaluate(() => localStorage.setItem('darkroom.lang', 'zh'));
	await openApp(page, '/transformations');
	await expect(page.locator('h1')).toHaveText(zh['trPage.title']);
	await expect(page.getByTestId('nav-transformations')).toHaveText(zh['nav.transformations']);
	await page.getByTestId('tr-new').click();
	await expect(page.getByTestId('tr-editor').locator('h2')).toHaveText(zh['trPage.new.title']);
	await page.getByTestId('tr-width').fill('abc');
	await expect(page.locator('#tr-w ~ .field-error')).toHaveText(zh['validate.number']);
	await page.getByTestId('tr-compact').fill('w_abc');
	await expect(page.getByTestId('tr-compact-error')).toContainText(zh['error.invalid_parameter']);
	await page.evaluate(() => localStorage.removeItem('darkroom.lang'));
});
