// Constants shared by the page modules and the calculators' module Web Worker (worker.mjs imports
// this file too). Where the site's root is: this file is javascripts/calculator/site.mjs, so the
// root is two levels up. Links and files named in the bundle and the manifest are relative to it.
export const SITE_ROOT = new URL("../../", import.meta.url);
