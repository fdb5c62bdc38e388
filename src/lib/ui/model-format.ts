/** Sizes of model downloads: always in MB (1 MB = 1024² bytes), one decimal, so rows line up. */
export function formatMB(n: number): string {
	if (!Number.isFinite(n)) return '—';
	return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** Storage quotas and usage: MB below 1 GB, else GB. */
export function formatStorage(n: number): string {
	if (!Number.isFinite(n)) return '—';
	const gb = n / 1024 ** 3;
	return gb >= 1 ? `${gb.toFixed(gb >= 100 ? 0 : 1)} GB` : formatMB(n);
}
