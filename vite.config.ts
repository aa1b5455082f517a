import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressDirectory } from './src/server/compression.ts';

/**
 * Writes `<file>.br` and `<file>.gz` beside every text file of dist/ once the build is complete,
 * the service worker included (issue 19): the server then only picks a file by Accept-Encoding
 * and never compresses per request. Last and sequential, so it runs after vite-plugin-pwa has
 * written sw.js in its own closeBundle.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'perpetua:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        const started = performance.now();
        const summary = await precompressDirectory(outDir);
        const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
        this.info(
          `precompressed ${summary.files} files in ${Math.round(performance.now() - started)} ms: ` +
            `${kb(summary.rawBytes)} raw, ${kb(summary.gzipBytes)} gzip, ${kb(summary.brotliBytes)} brotli`,
        );
      },
    },
  };
}

/**
 * Puts the stylesheet before the module scripts in the built index.html. Vite writes the entry's
 * script and its modulepreloads first; the boot frame needs only the stylesheet, and asked for after
 * twenty scripts it came in late, so the first paint waited for the scripts too (issue 19: FCP).
 */
function stylesheetFirst(): Plugin {
  return {
    name: 'perpetua:stylesheet-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const stylesheets = html.match(/<link rel="stylesheet"[^>]*>\s*/g) ?? [];
        let rest = html;
        for (const tag of stylesheets) rest = rest.replace(tag, '');
        const at = rest.search(/<script type="module"|<link rel="modulepreload"/);
        if (stylesheets.length === 0 || at < 0) return html;
        return rest.slice(0, at) + stylesheets.map((tag) => tag.trim()).join('\n    ') + '\n    ' + rest.slice(at);
      },
    },
  };
}

/**
 * Preloads in the built index.html the modules the entry imports in turn (src/ui/main.tsx): fetched
 * with the page rather than one after the other, each is ready when its turn comes. At low priority:
 * the stylesheet, all the first paint needs, goes first (at the default priority the first paint
 * on a slow phone network waited for them, 1.0 -> 1.8 s under Lighthouse).
 */
function preloadBootImports(): Plugin {
  return {
    name: 'perpetua:preload-boot-imports',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { chunk, bundle }) {
        if (!chunk || !bundle) return html;
        const files = new Set<string>();
        const add = (file: string) => {
          const found = bundle[file];
          if (files.has(file) || found?.type !== 'chunk') return;
          files.add(file);
          for (const imported of found.imports) if (imported !== chunk.fileName) add(imported);
        };
        for (const file of chunk.dynamicImports) add(file);
        return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, fetchpriority: 'low', href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

/**
 * The service worker's build: event validation bundled in (src/db/load-validation.bundled.ts) in
 * place of the page's, which loads it on first use (src/db/load-validation.ts) as a chunk.
 */
function bundledValidation(): Plugin {
  return {
    name: 'perpetua:sw-bundled-validation',
    enforce: 'pre',
    resolveId(source, importer, options) {
      if (!source.endsWith('/load-validation.ts')) return null;
      return this.resolve(source.replace(/load-validation\.ts$/, 'load-validation.bundled.ts'), importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      // Our own service worker (sw/sw.ts): Workbox precaching plus the sync handlers.
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,webmanifest}'],
        // The build's precompressed variants are for the network; the cache holds each file once.
        globIgnores: ['**/*.br', '**/*.gz'],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        buildPlugins: { vite: [bundledValidation()] },
      },
      manifest: {
        name: 'Perpetua point of sale',
        short_name: 'Perpetua',
        description: 'Offline-first point of sale with a perpetual inventory',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#f4f1e8',
        theme_color: '#0b5d4b',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
    }),
    stylesheetFirst(),
    preloadBootImports(),
    precompress(),
  ],
  build: {
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      output: {
        // The entry (src/ui/main.tsx) whole in one small chunk: the first request after the page.
        codeSplitting: { groups: [{ name: 'boot', tags: ['$initial'] }] },
      },
    },
  },
  worker: { format: 'es' },
  server: { port: 5173 },
});
