import { test, expect, type Page } from '@playwright/test';
import { call, openApp, SAMPLES } from './helpers';

/**
 * The library page's folder rules (cos.put_folder_rules run on every upload into the
 * folder) and its links to an asset (deliver_url, signed_url), driven through the page
 * in a real Chromium with real photos, served by the real service worker.
 */

/** Fetches a URL in the page (through the service worker) and reports what came back. */
async function fetchIn(page: Page, url: string) {
	return page.evaluate(async (url) => {
		const res = await fetch(url);
		const bytes = new Uint8Array(await res.arrayBuffer());
		let size: [number, number] | null = null;
		if (res.ok && res.headers.get('Content-Type')?.startsWith('image/')) {
			const bmp = await createImageBitmap(new Blob([bytes]));
			size = [bmp.width, bmp.height];
		}
		return { status: res.status, type: res.headers.get('Content-Type'), size, text: res.headers.get('Content-Type')?.includes('json') ? new TextDecoder().decode(bytes) : '' };
	}, url);
}

/** The library page, controlled by the service worker (a first visit is not: reload once). */
async function openControlled(page: Page) {
	await openApp(page, '/library');
	await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active, undefined, { timeout: 60_000 });
	if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
		await page.reload();
		await page.waitForFunction(() => !!navigator.serviceWorker.controller && typeof (window as any).darkroom?.image?.process === 'function');
	}
}

test('rules saved on a folder through the page run on an upload there; a bad rule is shown at its field', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page, '/library');
	await expect(page.getByTestId('library-empty')).toBeVisible();

	// A new, empty folder to hold the rules.
	await page.getByTestId('library-new-folder').click();
	await page.getByTestId('library-new-folder-input').fill('inbox');
	await page.getByTestId('library-new-folder-ok').click();
	await expect(page.getByTestId('library-breadcrumb')).toHaveText(/All images\s*\/\s*inbox/);
	await expect(page.getByTestId('library-upload')).toHaveText('Add images to inbox');

	const panel = page.getByTestId('rules-panel');
	await expect(panel).toHaveAttribute('data-folder', 'inbox');
	await expect(page.getByTestId('rules-state')).toHaveText('none');
	await panel.locator('summary').click();
	await expect(panel).toContainText('${InputName}');

	// The first row comes filled with an example; the second gets a rule that cannot parse.
	await page.getByTestId('rules-add').click();
	const rows = page.getByTestId('rules-row');
	await expect(rows.nth(0).getByTestId('rules-fileid')).toHaveValue('${InputName}-400.webp');
	await expect(rows.nth(0).getByTestId('rules-rule')).toHaveValue('imageMogr2/thumbnail/400x/format/webp');
	await page.getByTestId('rules-add').click();
	await rows.nth(1).getByTestId('rules-fileid').fill('square.jpg');
	await rows.nth(1).getByTestId('rules-rule').fill('imageMogr2/explode/3');
	await page.getByTestId('rules-save').click();
	const fieldError = rows.nth(1).getByTestId('rules-field-error');
	await expect(fieldError).toContainText('400 invalid_parameter');
	await expect(fieldError).toContainText('explode');
	await expect(fieldError).toHaveAttribute('data-field', 'rule');
	await expect(rows.nth(1).getByTestId('rules-rule')).toHaveAttribute('aria-invalid', 'true');
	await expect(rows.nth(0).getByTestId('rules-field-error')).toHaveCount(0);
	expect((await call(page, 'cos.list_folder_rules', undefined)).items).toEqual([]); // nothing stored

	// Without the bad row, it saves.
	await rows.nth(1).getByTestId('rules-remove').click();
	await expect(rows).toHaveCount(1);
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('rules-message')).toHaveText('Rules saved: 1.');
	await expect(page.getByTestId('rules-state')).toHaveText('1 saved');
	await expect(page.locator('[data-testid=library-folder][data-path="inbox"] [data-testid=library-folder-rules]')).toBeVisible();
	const stored = await call(page, 'cos.get_folder_rules', { folder: 'inbox' });
	expect(stored.pic_operations.rules).toEqual([{ fileid: '${InputName}-400.webp', rule: 'imageMogr2/thumbnail/400x/format/webp' }]);

	// A real photo added through the page: the rule writes a 400 px WebP beside it.
	await page.getByTestId('library-picker').setInputFiles(`${SAMPLES}/sample1.jpg`);
	await expect(page.getByTestId('library-message')).toHaveText('Images added: 1.', { timeout: 90_000 });
	const output = page.getByTestId('library-rule-output');
	await expect(output).toHaveAttribute('data-key', 'inbox/sample1-400.webp');
	await expect(output).toContainText('400×267'); // sample1 is 1920×1280
	await expect(page.getByTestId('library-name')).toHaveText(['sample1-400.webp', 'sample1.jpg']);
	await expect(page.getByTestId('library-card').first()).toContainText('400×267 · ');
	const out = await call(page, 'image.get', { key: 'inbox/sample1-400.webp' });
	expect(out).toMatchObject({ width: 400, height: 267, format: 'webp', mime: 'image/webp' });
	const decoded = await page.evaluate(async (u) => {
		const bmp = await createImageBitmap(await (await fetch(u)).blob());
		return [bmp.width, bmp.height];
	}, out.url);
	expect(decoded).toEqual([400, 267]);

	// Delete the rules through the page; the folder loses its mark.
	await page.getByTestId('rules-delete').click();
	await expect(page.getByTestId('rules-message')).toHaveText('The rules of this folder are deleted.');
	await expect(page.getByTestId('rules-state')).toHaveText('none');
	await expect(page.getByTestId('library-folder-rules')).toHaveCount(0);
	expect((await call(page, 'cos.list_folder_rules', undefined)).items).toEqual([]);

	// Clean up what this test stored.
	for (const key of ['inbox/sample1.jpg', 'inbox/sample1-400.webp']) await call(page, 'image.delete', { key });
	expect((await call(page, 'image.list', {})).items).toEqual([]);
});

test('a rule that fails while rendering is shown after the upload, and the original is kept', async ({ page }) => {
	test.setTimeout(120_000);
	await openApp(page, '/library');
	// Valid syntax, but it names a transformation that does not exist: it fails on the upload.
	await call(page, 'cos.put_folder_rules', { folder: 'styled', pic_operations: { rules: [{ fileid: '${InputName}.webp', rule: 'style/h6-missing' }] } });
	await page.reload();
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
	await page.locator('[data-testid=library-folder][data-path="styled"]').click();
	await expect(page.getByTestId('rules-state')).toHaveText('1 saved');
	await page.getByTestId('library-picker').setInputFiles(`${SAMPLES}/sample3.jpg`);
	const err = page.getByTestId('library-rule-error');
	await expect(err).toContainText('styled', { timeout: 90_000 });
	await expect(err).toContainText('404 not_found');
	await expect(err).toContainText('h6-missing');
	await expect(page.getByTestId('library-name')).toHaveText(['sample3.jpg']);

	await call(page, 'cos.delete_folder_rules', { folder: 'styled' });
	await call(page, 'image.delete', { key: 'styled/sample3.jpg' });
});

test('links to an asset: the original, a size and a signed link, fetched through the service worker', async ({ page }) => {
	test.setTimeout(180_000);
	await openControlled(page);
	await call(page, 'image.transformation.delete', { name: 'h6thumb' }).catch(() => {});
	await call(page, 'image.transformation.create', { name: 'h6thumb', transform: 'w_120,h_90,c_cover,f_webp' });
	await page.getByTestId('library-picker').setInputFiles(`${SAMPLES}/sample2.jpg`);
	await expect(page.getByTestId('library-message')).toHaveText('Images added: 1.', { timeout: 90_000 });
	await page.getByTestId('library-links').click();
	const panel = page.getByTestId('links-panel');
	await expect(panel).toBeVisible();
	await expect(page.getByTestId('links-sw-note')).toHaveCount(0);
	const id = await panel.getAttribute('data-id');

	// The original, by the URL the page shows (sample2 is 1920×1367).
	const original = await page.getByTestId('links-original').inputValue();
	expect(original).toMatch(new RegExp(`/cdn/${id}$`));
	expect(await fetchIn(page, original)).toMatchObject({ status: 200, type: 'image/jpeg', size: [1920, 1367] });

	// A named transformation, chosen from the list.
	await page.getByTestId('links-named').selectOption('h6thumb');
	await expect(page.getByTestId('links-transform')).toHaveValue('t_h6thumb');
	await expect(page.getByTestId('links-size')).toHaveValue(new RegExp(`/cdn/${id}/t_h6thumb$`));
	expect(await fetchIn(page, await page.getByTestId('links-size').inputValue())).toMatchObject({ status: 200, type: 'image/webp', size: [120, 90] });
	await expect(page.getByTestId('links-preview-size')).toHaveText('120×90', { timeout: 60_000 });

	// A typed transform: a bad one is an error at the field, a good one a link.
	await page.getByTestId('links-transform').fill('w_0');
	await expect(page.getByTestId('links-transform-error')).toContainText('400 invalid_parameter');
	await expect(page.getByTestId('links-transform')).toHaveAttribute('aria-invalid', 'true');
	await page.getByTestId('links-transform').fill('w_400,h_300,c_cover,f_webp,q_80');
	await expect(page.getByTestId('links-size')).toHaveValue(new RegExp(`/cdn/${id}/w_400,h_300,c_cover,f_webp,q_80$`));
	expect(await fetchIn(page, await page.getByTestId('links-size').inputValue())).toMatchObject({ status: 200, type: 'image/webp', size: [400, 300] });
	await expect(page.getByTestId('links-preview-size')).toHaveText('400×300', { timeout: 60_000 });

	// A signed link of that size for a custom expiry: a bad number is refused at the field.
	await page.getByTestId('links-expiry').selectOption('custom');
	await page.getByTestId('links-custom-s').fill('0');
	await page.getByTestId('links-sign').click();
	await expect(page.getByTestId('links-sign-error')).toContainText('expires_in_s');
	await page.getByTestId('links-expiry').selectOption('3600');
	await expect(page.getByTestId('links-sign')).toHaveText('Sign this size');
	const before = Date.now();
	await page.getByTestId('links-sign').click();
	const signed = await page.getByTestId('links-signed').inputValue();
	expect(signed).toMatch(new RegExp(`/cdn/${id}/w_400,h_300,c_cover,f_webp,q_80\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`));
	const expires = Date.parse((await page.getByTestId('links-expires').getAttribute('data-expires'))!);
	expect(expires - before).toBeGreaterThan(3590_000);
	expect(expires - before).toBeLessThan(3610_000);
	await expect(page.getByTestId('links-expires')).toContainText('Expires ');
	expect(await fetchIn(page, signed)).toMatchObject({ status: 200, size: [400, 300] });
	const tampered = await fetchIn(page, signed.replace('w_400', 'w_401'));
	expect(tampered.status).toBe(403);
	expect(JSON.parse(tampered.text).error.code).toBe('forbidden');

	// Closing the links; a single selected image opens them from the selection bar too.
	await page.getByTestId('links-close').click();
	await expect(panel).toHaveCount(0);
	await page.getByTestId('library-card').first().locator('[role=checkbox]').click();
	await page.getByTestId('library-links-selected').click();
	await expect(page.getByTestId('links-panel')).toHaveAttribute('data-id', id!);

	// Clean up.
	await call(page, 'image.delete', { id });
	await call(page, 'image.transformation.delete', { name: 'h6thumb' });
});
