// Lint, and the folder boundaries: a folder says where its code may run.
import js from '@eslint/js'
import { createNodeResolver, importX } from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/promises',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'url',
  'util',
  'stream',
  'events',
  'worker_threads',
  'dgram',
  'tls',
  'zlib'
]
const builtinPatterns = NODE_BUILTINS.map((name) => ({
  group: [name],
  message: 'Node built-ins run only in the core and hosts (src/main).'
}))
const electron = {
  group: ['electron', 'electron/*'],
  message: 'Only src/main/index.ts, src/main/electron/ and src/preload/index.ts may import Electron.'
}
const mainCode = { group: ['**/main/**', '**/main'], message: 'The renderer reaches the core only through window.dym.' }
const rendererCode = { group: ['**/renderer/**'], message: 'The core never imports the renderer.' }
const electronFolder = { group: ['**/electron/**', '../electron/*'], message: 'The core and hosts never import the Electron shell.' }
const hostsFolders = {
  group: [
    '**/main/host',
    '**/main/host/**',
    '**/main/cli',
    '**/main/cli/**',
    '../host',
    '../host/*',
    '../cli',
    '../cli/*',
    '../../host/**',
    '../../cli/**'
  ],
  message: 'The core is what hosts run: it never imports a host (src/main/host, src/main/cli).'
}

// The renderer's layers import one way, app -> screens -> features. A screen never imports the
// app or another screen; features (what screens share) never import a screen or the app.
const rendererBase = [...builtinPatterns, electron, mainCode]
const intoApp = { regex: '^(\\.\\./)+app/', message: 'Only main.tsx imports the app: what screens share lives in features/.' }
const rendererLayers = [
  {
    files: ['src/renderer/screens/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...rendererBase,
            intoApp,
            { regex: '^\\.\\./(?!\\.\\./)|^(\\.\\./)+screens/', message: 'A screen never imports another screen: share through features/.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/renderer/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...rendererBase, intoApp, { regex: '^(\\.\\./)+screens/', message: 'Features never import a screen.' }] }
      ]
    }
  }
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'bench/results/**', 'recordings/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off'
    }
  },
  // No import cycles anywhere: a cycle means two modules share one idea (or one owner is missing).
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })]
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] }
  },
  // src/shared: pure. No Node, no Electron, no DOM-only code, no app layers.
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...builtinPatterns,
            electron,
            mainCode,
            rendererCode,
            { group: ['react', 'react-dom', 'ws'], message: 'src/shared runs everywhere.' }
          ]
        }
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require']
    }
  },
  // The core and the hosts run in plain Node: never Electron.
  {
    files: ['src/main/host/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, electronFolder, rendererCode] }] }
  },
  // The core serves every host, so it depends on none of them.
  {
    files: ['src/main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, electronFolder, rendererCode, hostsFolders] }] }
  },
  // The renderer: browser only, talks to the core through window.dym.
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/preload/ws-bridge.ts', 'src/preload/ws-client.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [...builtinPatterns, electron, mainCode] }]
    }
  },
  ...rendererLayers,
  // Baseline pages the benchmarks load in Chromium.
  { files: ['bench/pages/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  // The Electron preload: contextBridge and ipcRenderer, nothing of the app's Node side.
  {
    files: ['src/preload/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...builtinPatterns, mainCode, rendererCode] }] }
  }
)
