// A static site: every page is prerendered; pixel work happens only in the browser.
export const prerender = true;
export const trailingSlash = 'never';
