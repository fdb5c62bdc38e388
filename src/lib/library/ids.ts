/** Crockford's base32 alphabet, lower-cased: no i, l, o, u, so ids survive being read aloud or retyped. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new asset id: 128 random bits as 26 base32 characters. Random rather than a
 * counter so ids stay unique across devices and survive export/import into another
 * library without renumbering.
 */
export function newAssetId(random: (b: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
	const bytes = random(new Uint8Array(17));
	bytes[16] = 0; // 130 bits of output: the two spare low bits are zero
	let out = '';
	let acc = 0;
	let bits = 0;
	for (let i = 0; i < 17 && out.length < 26; i++) {
		acc = (acc << 8) | bytes[i];
		bits += 8;
		while (bits >= 5 && out.length < 26) {
			bits -= 5;
			out += ALPHABET[(acc >> bits) & 31];
		}
		acc &= (1 << bits) - 1;
	}
	return out;
}

/** Shape check only: a string that cannot be an id is a 400, an unknown well-formed one a 404. */
export function isAssetId(s: string): boolean {
	return /^[0-9a-hjkmnp-tv-z]{26}$/.test(s);
}

/** Lower-case hex SHA-256: the asset's etag, and the integrity check on import. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
	return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
