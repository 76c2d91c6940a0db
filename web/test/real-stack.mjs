// The real thing for the browser tests of web/test/e2e-real.mjs: the fake Bot API binary, the real
// serversan-server with the bot role against it (bot token, API URL and public URL through their
// environment names, as test/integration/bot_e2e_test.sh starts it) and the real serversan-agent
// reporting every second. Users talk to the bot through the fake's /sim endpoints (docs/bot.md).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BOT_TOKEN = '424242:web-e2e-SECRET_token_abcdefghijkl';

async function freePort() {
	return new Promise((resolve) => {
		const s = createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

async function until(what, f, ms = 15000) {
	const end = Date.now() + ms;
	for (;;) {
		try {
			const v = await f();
			if (v) return v;
		} catch {}
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/**
 * { url, fake, data, say(user, text) → the bot's answer text, addServer(user, name) → its agent
 * token, startAgent(token), loginLink(userId), stop() }. `user` is {id, first_name}.
 */
export async function startStack({ server: serverBin, agent: agentBin, fake: fakeBin }) {
	const data = mkdtempSync(join(tmpdir(), 'ss-web-real-'));
	const procs = [];
	const logs = [];
	const start = (bin, args, env, name) => {
		const p = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		const log = [];
		logs.push([name, log]);
		p.stdout.on('data', (d) => log.push(d.toString()));
		p.stderr.on('data', (d) => log.push(d.toString()));
		procs.push(p);
		return p;
	};

	const fakePort = await freePort();
	const fake = `http://127.0.0.1:${fakePort}`;
	start(fakeBin, ['--port', String(fakePort), '--token', BOT_TOKEN, '--username', 'web_serversan_bot'], {}, 'fake');
	await until('the fake Bot API', async () => (await fetch(`${fake}/sim/state`, { method: 'POST' })).ok);

	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const env = {
		SERVERSAN_SERVER_PUBLIC_URL: url,
		SERVERSAN_SERVER_BOT_TOKEN: BOT_TOKEN,
		SERVERSAN_SERVER_BOT_API_URL: fake,
		// This build's front end, whatever the binary's default.
		SERVERSAN_SERVER_WEB_ROOT: new URL('../dist/', import.meta.url).pathname,
	};
	const cli = (args) => execFileSync(serverBin, ['--data-dir', data, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
	start(serverBin, ['--data-dir', data, 'serve', '--listen', `127.0.0.1:${port}`], env, 'server');
	await until('the server', async () => (await fetch(`${url}/healthz`)).ok);
	await until('the bot', () => logs.find(([n]) => n === 'server')[1].join('').includes('is running'));

	const sim = async (path, body) => {
		const r = await fetch(`${fake}/sim/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
		if (!r.ok) throw new Error(`/sim/${path}: ${r.status} ${await r.text()}`);
		return r.json();
	};
	const sent = async () => (await (await fetch(`${fake}/sim/calls?method=sendMessage`)).json()).result.filter((c) => c.status === 200);

	const stack = {
		url,
		fake,
		data,
		/** `text` from `user` in `chat` (their private chat unless given); resolves to the bot's answer there. */
		async say(user, text, chat = { id: user.id, type: 'private' }) {
			const before = (await sent()).length;
			await sim('command', { user: { language_code: 'en', ...user }, chat, text });
			const reply = await until(`the bot's answer to ${text}`, async () => (await sent()).slice(before).find((c) => c.params.chat_id == chat.id));
			return reply.answer.result.text;
		},
		/** /add NAME as `user`; the agent token the bot hands out. */
		async addServer(user, name) {
			const text = await stack.say(user, `/add ${name}`);
			const token = text.match(/ssa1_[0-9A-Za-z_]+/)?.[0];
			if (!token) throw new Error(`no token in /add's answer: ${text}`);
			return token;
		},
		/** The real agent with `token`, reporting every second until stop(). */
		startAgent(token) {
			const file = join(data, `agent-${procs.length}.token`);
			writeFileSync(file, token, { mode: 0o600 });
			start(agentBin, ['--server', url, '--token-file', file, '--state-file', `${file}.state`, '--interval', '1', '--slow-interval', '2'], {}, 'agent');
		},
		/** What getChatMember answers for `user` in the group `chat` ("member", "administrator"...). */
		member: (user, chat, status) => sim('member', { user, chat, status }),
		/** A server owned by the chat `chatId` (a group's: negative), added on the console. */
		addServerOf: (chatId, name) => cli(['server', 'add', '--name', name, '--owner', String(chatId), '--token-only']).trim(),
		loginLink: (userId) => cli(['web', 'login-link', '--user', String(userId), '--url', url, '--url-only']).trim(),
		// The bot token (a test's, but a token all the same) never reaches the printed log.
		logs: () => logs.map(([n, l]) => `--- ${n}\n${l.join('').slice(-4000)}`).join('\n').replaceAll(BOT_TOKEN, '<bot token>'),
		async stop() {
			for (const p of procs.reverse()) {
				if (p.exitCode !== null) continue;
				p.kill('SIGTERM');
				await Promise.race([new Promise((r) => p.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
				if (p.exitCode === null) p.kill('SIGKILL');
			}
			rmSync(data, { recursive: true, force: true });
		},
	};
	return stack;
}
