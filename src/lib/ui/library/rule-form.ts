/**
 * The folder-rules form on the library page: rows of { fileid, rule } as the user types
 * them, turned into the `pic_operations` that cos.put_folder_rules takes, and the API's
 * error (which names `pic_operations.rules[i].fileid` or `.rule`) placed back at its row.
 * Pure functions, so they are unit-tested.
 */
import { foldersOf } from '$lib/library/keys';
import type { FolderNode, Listed } from '$lib/library/view';

export interface RuleRow {
	fileid: string;
	rule: string;
}

/** Seed 003 allows 5 outputs per upload (cos.ts MAX_RULES). */
export const MAX_RULE_ROWS = 5;

export interface RulesRequest {
	pic_operations: { rules: RuleRow[] };
	/** sent[i] is the form row that became rules[i] (blank rows are not sent). */
	sent: number[];
}

/** Rows with both fields blank are left out; the rest are sent as typed (trimmed), so the API judges them. */
export function rulesRequest(rows: readonly RuleRow[]): RulesRequest {
	const rules: RuleRow[] = [];
	const sent: number[] = [];
	rows.forEach((r, i) => {
		const fileid = r.fileid.trim();
		const rule = r.rule.trim();
		if (!fileid && !rule) return;
		rules.push({ fileid, rule });
		sent.push(i);
	});
	return { pic_operations: { rules }, sent };
}

export interface FieldOfError {
	row: number;
	field: 'fileid' | 'rule';
}

/**
 * `pic_operations.rules[2].rule` → { row: sent[2], field: 'rule' }; anything else (the
 * whole list, the folder) → null, shown above the rows instead.
 */
export function fieldOfError(param: string | undefined, sent: readonly number[]): FieldOfError | null {
	const m = /^(?:pic_operations|PicOperations)\.rules\[(\d+)\]\.(fileid|rule)$/.exec(param ?? '');
	if (!m) return null;
	const row = sent[Number(m[1])];
	return row === undefined ? null : { row, field: m[2] as 'fileid' | 'rule' };
}

/**
 * The folder tree of the listed assets plus folders that hold no asset yet but matter to
 * the user (ones with saved rules, one just created on the page), each with its ancestors.
 */
export function folderTreeWith(assets: readonly Listed[], extra: Iterable<string>): FolderNode[] {
	const keys = assets.map((a) => a.key);
	// A made-up name inside each extra folder, so foldersOf yields the folder and its parents.
	for (const f of extra) if (f) keys.push(`${f}/_`);
	return foldersOf(keys).map((path) => ({
		path,
		name: path.slice(path.lastIndexOf('/') + 1),
		depth: path.split('/').length - 1,
		count: assets.filter((a) => a.folder === path || a.folder.startsWith(path + '/')).length
	}));
}

/** A folder path as the user typed it: slashes at the ends dropped, inner blanks trimmed; '' when unusable. */
export function cleanFolder(raw: string): string {
	const parts = raw
		.trim()
		.replace(/^\/+|\/+$/g, '')
		.split('/')
		.map((p) => p.trim());
	if (parts.some((p) => p === '' || p === '.' || p === '..')) return '';
	return parts.join('/');
}
