import { foldersOf } from './keys';

/** What the library page shows: pure functions over the listed assets, so they are unit-tested. */

export interface Listed {
	id: string;
	key: string;
	name: string;
	folder: string;
	tags: string[];
}

export interface FolderNode {
	/** '' for the top level. */
	path: string;
	name: string;
	depth: number;
	/** Assets in this folder and below. */
	count: number;
}

/** Every folder with its ancestors, in tree order (parents before children, siblings by name). */
export function folderTree(assets: readonly Listed[]): FolderNode[] {
	return foldersOf(assets.map((a) => a.key)).map((path) => ({
		path,
		name: path.slice(path.lastIndexOf('/') + 1),
		depth: path.split('/').length - 1,
		count: assets.filter((a) => a.folder === path || a.folder.startsWith(path + '/')).length
	}));
}

/** `a/b/c` → [{ a }, { a/b }, { a/b/c }]: the breadcrumb of a folder. */
export function breadcrumb(folder: string): { path: string; name: string }[] {
	if (!folder) return [];
	const parts = folder.split('/');
	return parts.map((name, i) => ({ path: parts.slice(0, i + 1).join('/'), name }));
}

/**
 * The assets in `folder` and below (null: all), matching every word of `search` in the
 * key or a tag, case-insensitively.
 */
export function filterAssets<T extends Listed>(assets: readonly T[], folder: string | null, search: string): T[] {
	const words = search.toLowerCase().split(/\s+/).filter(Boolean);
	return assets.filter((a) => {
		if (folder !== null && folder !== '' && a.folder !== folder && !a.folder.startsWith(folder + '/')) return false;
		const hay = [a.key, ...a.tags].join('\n').toLowerCase();
		return words.every((w) => hay.includes(w));
	});
}

/**
 * Selection by click: a plain click toggles one asset and moves the anchor; a
 * shift-click selects everything between the anchor and the clicked asset, in the
 * order shown (as file managers do).
 */
export function clickSelect(selected: ReadonlySet<string>, shown: readonly string[], id: string, shift: boolean, anchor: string | null): { selected: Set<string>; anchor: string } {
	const next = new Set(selected);
	const from = anchor === null ? -1 : shown.indexOf(anchor);
	const to = shown.indexOf(id);
	if (shift && from >= 0 && to >= 0) {
		const [lo, hi] = from < to ? [from, to] : [to, from];
		for (let i = lo; i <= hi; i++) next.add(shown[i]);
		return { selected: next, anchor: anchor! };
	}
	if (next.has(id)) next.delete(id);
	else next.add(id);
	return { selected: next, anchor: id };
}
