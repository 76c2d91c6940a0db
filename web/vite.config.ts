// The dashboard is served by serversan-server from web/dist: index.html for every non-API GET,
// hashed files under /assets/ (cacheable for ever). No CDN: everything is bundled.
import { defineConfig } from 'vite';

export default defineConfig({
	base: '/',
	build: {
		outDir: 'dist',
		assetsDir: 'assets',
		emptyOutDir: true,
		target: 'es2020',
		// One script and one stylesheet: the page is small and a second request costs more than it saves.
		cssCodeSplit: false,
		modulePreload: false,
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
	},
} as any);
