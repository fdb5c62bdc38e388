import { describe, expect, it } from 'vitest';
import { breadcrumb, clickSelect, filterAssets, folderTree } from '../../src/lib/library/view';

const asset = (key: string, tags: string[] = []) => {
	const i = key.lastIndexOf('/');
	return { id: key, key, name: key.slice(i + 1), folder: i < 0 ? '' : key.slice(0, i), tags };
};
const assets = [asset('people/2024/cat.jpg', ['pet']), asset('people/2024/dog.jpg'), asset('people/me.jpg', ['Portrait']), asset('trip/sea.png'), asset('loose.webp')];

describe('library page views', () => {
	it('builds the folder tree with counts of everything below', () => {
		expect(folderTree(assets)).toEqual([
			{ path: 'people', name: 'people', depth: 0, count: 3 },
			{ path: 'people/2024', name: '2024', depth: 1, count: 2 },
			{ path: 'trip', name: 'trip', depth: 0, count: 1 }
		]);
	});
	it('makes a breadcrumb', () => {
		expect(breadcrumb('')).toEqual([]);
		expect(breadcrumb('a/b')).toEqual([
			{ path: 'a', name: 'a' },
			{ path: 'a/b', name: 'b' }
		]);
	});
	it('filters by folder (with sub-folders) and by every search word in key or tags', () => {
		const keys = (xs: { key: string }[]) => xs.map((x) => x.key);
		expect(keys(filterAssets(assets, null, ''))).toHaveLength(5);
		expect(keys(filterAssets(assets, 'people', ''))).toEqual(['people/2024/cat.jpg', 'people/2024/dog.jpg', 'people/me.jpg']);
		expect(keys(filterAssets(assets, 'peop', ''))).toEqual([]); // a folder is not a prefix match
		expect(keys(filterAssets(assets, null, 'portrait'))).toEqual(['people/me.jpg']);
		expect(keys(filterAssets(assets, null, '2024 PET'))).toEqual(['people/2024/cat.jpg']);
		expect(keys(filterAssets(assets, 'trip', 'cat'))).toEqual([]);
	});
	it('selects with click and shift-click ranges in the order shown', () => {
		const shown = ['a', 'b', 'c', 'd', 'e'];
		let s = clickSelect(new Set(), shown, 'b', false, null);
		expect([...s.selected]).toEqual(['b']);
		s = clickSelect(s.selected, shown, 'd', true, s.anchor);
		expect([...s.selected].sort()).toEqual(['b', 'c', 'd']);
		s = clickSelect(s.selected, shown, 'c', false, s.anchor);
		expect([...s.selected].sort()).toEqual(['b', 'd']);
		expect(s.anchor).toBe('c');
		s = clickSelect(s.selected, shown, 'a', true, s.anchor);
		expect([...s.selected].sort()).toEqual(['a', 'b', 'c', 'd']);
		// shift with no anchor acts as a plain click
		expect([...clickSelect(new Set(), shown, 'e', true, null).selected]).toEqual(['e']);
	});
});
