declare const __DYM_VERSION__: string | undefined

/** Set at build time (esbuild/vite `define`) from package.json; tests see the dev marker. */
export const APP_VERSION: string = typeof __DYM_VERSION__ === 'string' ? __DYM_VERSION__ : '0.0.0-dev'
export const APP_NAME = 'Digital You Meet'
