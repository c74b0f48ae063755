/** `/teammate` subcommands through the real Bolt HTTP receiver, signed like Slack signs them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { resolveRepositorySpec, listChannelTargets } from '../../src/repos/channel-repository.js';
import type { Repository } from '../../src/repos/repository.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createJobScheduler } from '../../src/scheduler/job-scheduler.js';
import { createKeyedMutex } from '../../src/scheduler/keyed-mutex.js';
import { scanLockKey } from '../../src/scheduler/schedule-team-jobs.js';
import { SUBCOMMAND_USAGE } from '../../src/slack/blocks/command-messages.js';
import { parseTeammateCommand } from '../../src/slack/listeners/register-command-listener.js';
import type { SubcommandHandlers, SubcommandRequest } from '../../src/slack/slack-runtime.js';
import { createTeamSubcommands } from '../../src/slack/team-subcommands.js';
import { openDatabase } from '../../src/storage/database.js';
import { createChannelRepoStore } from '../../src/storage/channel-repo-store.js';
import { createJobSlotStore } from '../../src/storage/job-slot-store.js';
import { migrate } from '../../src/storage/migrate.js';
import { postToSlackApp, slashCommandBody } from '../harness/slack-signing.js';
import { SECRET, type TestSlackApp, scriptedAnswers, startTestApp } from './start-test-app.js';

let t: TestSlackApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Sends `/teammate <text>` and returns the ack's JSON body (empty object for an empty ack). */
async function slash(text: string, o: { user?: string; channel?: string; response_url?: string } = {}) {
  const res = await postToSlackApp(t!.url, SECRET, { kind: 'command', payload: slashCommandBody({ text, ...o }) });
  expect(res.status).toBe(200);
  return (res.body === '' ? {} : JSON.parse(res.body)) as { response_type?: string; text?: string };
}

const SUBCOMMANDS = ['help', 'ask', 'repo', 'scan', 'digest', 'status', 'settings', 'task'];

describe('/teammate repo', () => {
  it('shows the default, stores the mapping, shows it, and routes the channel’s questions to it', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);

    const before = await slash('repo');
    expect(before.response_type).toBe('ephemeral');
    expect(before.text).toContain('no repository of its own');
    expect(before.text).toContain('`acme/api`, the first in TEAMMATE_REPOS');

    const set = await slash('repo acme/web', { user: 'U7' });
    expect(set.response_type).toBe('ephemeral');
    expect(set.text).toContain("This channel's repository is now `acme/web`");
    expect(t.db.prepare('SELECT channel, repo, set_by FROM channel_repositories').all()).toEqual([{ channel: 'C1', repo: 'acme/web', set_by: 'U7' }]);

    const shown = await slash('repo');
    expect(shown.text).toContain("This channel's repository is `acme/web` (set by <@U7>");

    const again = await slash('repo https://github.com/acme/api', { user: 'U8' });
    expect(again.text).toContain('now `acme/api` (was `acme/web`)');
    await slash('repo acme/web');

    // Questions in C1 now go to acme/web; naming a repository still wins; other channels keep the default.
    await slash('ask where is the router?');
    await slash('in acme/api: where is auth?');
    await slash('where is billing?', { channel: 'C2' });
    await t.app.idle();
    expect(script.questions.map((q) => `${q.repo.id} ${q.text}`).sort()).toEqual([
      'acme/api where is auth?',
      'acme/api where is billing?',
      'acme/web where is the router?',
    ]);
    // Replies to `repo` were all in the acks: only the three answers were posted.
    expect(t.slack.callsTo('chat.postMessage').map((c) => c.body.channel).sort()).toEqual(['C1', 'C1', 'C2']);
  });

  it('refuses what it cannot use, says why, and stores nothing', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    expect((await slash('repo acme/unknown')).text).toMatch(/`acme\/unknown` is not one of the repositories I watch \(`acme\/api`, `acme\/web`\).*TEAMMATE_REPOS/);
    expect((await slash('repo ./api')).text).toMatch(/relative path/);
    expect((await slash('repo /definitely/not/here')).text).toMatch(/There is no folder `\/definitely\/not\/here`/);
    expect((await slash('repo not a repo')).text).toMatch(/`not a repo` is not a repository I watch/);
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM channel_repositories').get()).toEqual({ n: 0 });
  });

  it('lets only TEAMMATE_ADMINS change it when admins are set, and clears it', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion, { admins: ['UADMIN'] });
    expect((await slash('repo acme/web', { user: 'U1' })).text).toMatch(/Only Teammate's admins.*<@UADMIN>/);
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM channel_repositories').get()).toEqual({ n: 0 });
    expect((await slash('repo acme/web', { user: 'UADMIN' })).text).toContain('now `acme/web`');
    expect((await slash('repo clear', { user: 'UADMIN' })).text).toContain('no longer has its own repository');
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM channel_repositories').get()).toEqual({ n: 0 });
  });

  it('says so when the stored repository is no longer watched', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    t.db.prepare("INSERT INTO channel_repositories (channel, repo, set_by, set_at) VALUES ('C1', 'acme/retired', 'U1', 0)").run();
    expect((await slash('repo')).text).toMatch(/was set to `acme\/retired`, which Teammate no longer watches; questions here go to `acme\/api`/);
  });
});

describe('/teammate usage and hand-offs', () => {
  it('answers an unknown subcommand with an ephemeral usage listing every subcommand', async () => {
    const script = scriptedAnswers();
    t = await startTestApp(script.answerQuestion);
    for (const text of ['scna', 'frobnicate']) {
      const body = await slash(text);
      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toContain(`I don't know \`/teammate ${text}\``);
      for (const sub of SUBCOMMANDS) expect(body.text).toContain(`\`/teammate ${sub}`);
    }
    const help = await slash('help');
    for (const sub of SUBCOMMANDS) expect(help.text).toContain(`\`/teammate ${sub}`);
    await t.app.idle();
    expect(script.questions).toHaveLength(0);
    expect(t.slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('says a known subcommand is not set up when nothing handles it', async () => {
    t = await startTestApp(scriptedAnswers().answerQuestion);
    const body = await slash('scan');
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('`/teammate scan` is not set up in this Teammate yet');
  });

  it('acks at once and hands scan to its handler, which replies through response_url', async () => {
    const seen: Array<Pick<SubcommandRequest, 'channel' | 'user' | 'args'>> = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    t = await startTestApp(
      scriptedAnswers().answerQuestion,
      {},
      {},
      {
        subcommands: {
          scan: async (req) => {
            seen.push({ channel: req.channel, user: req.user, args: req.args });
            await gate; // a slow scan: the ack must not wait for it
            await req.respond({ response_type: 'ephemeral', text: 'Scanning acme/api…' });
          },
          digest: async () => {
            throw new Error('no digest today');
          },
        },
      },
    );
    const ack = await slash('scan --all', { user: 'U5', channel: 'C3', response_url: t.slack.responseUrl('scan') });
    expect(ack).toEqual({});
    release();
    await t.app.idle();
    expect(seen).toEqual([{ channel: 'C3', user: 'U5', args: '--all' }]);
    expect(t.slack.callsTo('response_url').map((c) => c.body.text)).toEqual(['Scanning acme/api…']);

    await slash('digest', { response_url: t.slack.responseUrl('digest') });
    await t.app.idle();
    const failure = t.slack.callsTo('response_url').at(-1)!.body;
    expect(failure).toMatchObject({ response_type: 'ephemeral' });
    expect(failure.text).toContain('`/teammate digest` failed');
  });

  it('/teammate scan and digest run the use cases for this channel, never two scans of one repository at once', async () => {
    const mutex = createKeyedMutex();
    const calls: string[] = [];
    let handlers: SubcommandHandlers = {};
    t = await startTestApp(
      scriptedAnswers().answerQuestion,
      {},
      {},
      { subcommands: { scan: (req) => handlers.scan!(req), digest: (req) => handlers.digest!(req) } },
    );
    handlers = createTeamSubcommands({
      mutex,
      channelRepos: createChannelRepoStore(t.db),
      repos: [
        { id: 'acme/api', root: '/tmp/acme-api', label: 'acme/api' },
        { id: 'acme/web', root: '/tmp/acme-web', label: 'acme/web' },
      ],
      now: () => Date.parse('2026-12-07T10:00:00Z'),
      useCases: {
        async scanRepository(repo, channels, slot, info) {
          calls.push(`scan ${repo.id} → ${channels.join(',')} ${info.kind} ${slot.toISOString()}`);
          return { text: `2 new cards for ${repo.label}.` };
        },
        async postDigest(channel, repos) {
          calls.push(`digest ${channel}: ${repos.map((r) => r.id).join(',')}`);
          return { text: 'Nothing happened since the last digest, so I posted nothing.' };
        },
      },
    });
    await slash('repo acme/web');
    expect(await slash('scan', { response_url: t.slack.responseUrl('s1') })).toEqual({});
    await t.app.idle();
    expect(t.slack.callsTo('response_url').map((c) => c.body.text)).toEqual(['Scanning `acme/web`… new proposal cards will appear in this channel.', '2 new cards for acme/web.']);

    // A scheduled scan of acme/web holds the lock: the manual one says so instead of overlapping.
    let release!: () => void;
    const held = mutex.runExclusive(scanLockKey('acme/web'), () => new Promise<void>((r) => (release = r)));
    await slash('scan', { response_url: t.slack.responseUrl('s2') });
    await t.app.idle();
    expect(t.slack.callsTo('response_url').at(-1)!.body.text).toBe('A scan of `acme/web` is already running; its cards appear here when it ends.');
    release();
    await held;

    await slash('digest', { response_url: t.slack.responseUrl('d1') });
    await t.app.idle();
    expect(t.slack.callsTo('response_url').at(-1)!.body).toMatchObject({ response_type: 'ephemeral', text: 'Nothing happened since the last digest, so I posted nothing.' });
    expect(calls).toEqual(['scan acme/web → C1 manual 2026-12-07T10:00:00.000Z', 'digest C1: acme/web']);
  });

  it('/teammate status shows the channel repository and each schedule with its next and last run', async () => {
    let handlers: SubcommandHandlers = {};
    t = await startTestApp(scriptedAnswers().answerQuestion, {}, {}, { subcommands: { status: (req) => handlers.status!(req) } });
    let now = Date.parse('2026-12-07T07:00:00Z');
    const scheduler = createJobScheduler({
      store: createJobSlotStore(t.db),
      logger: silentLogger(),
      timezone: 'Europe/Berlin',
      backfillHours: 12,
      clock: { now: () => now },
      armTimers: false,
    });
    scheduler.schedule('scan', '0 9 * * 1-5', async () => {
      throw new Error('clone failed');
    });
    await scheduler.start();
    now = Date.parse('2026-12-07T08:00:00Z');
    await scheduler.fireDue();
    handlers = createTeamSubcommands({ useCases: {}, mutex: scheduler.mutex, channelRepos: createChannelRepoStore(t.db), repos: [{ id: 'acme/api', root: '/x', label: 'acme/api' }], scheduler });
    await slash('status', { response_url: t.slack.responseUrl('st') });
    await t.app.idle();
    const text = t.slack.callsTo('response_url').at(-1)!.body.text as string;
    expect(text).toContain('Repository here: `acme/api` (the default)');
    expect(text).toMatch(/• scan: `0 9 \* \* 1-5` in Europe\/Berlin; next <!date\^1796716800\^.*; last slot <!date\^1796630400\^.*: failed — clone failed/);
    expect(text).toContain('• digest: off');
    await scheduler.stop();
  });

  it('lists every subcommand in the manifest usage hint', () => {
    const manifest = YAML.parse(fs.readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
      features: { slash_commands: Array<{ usage_hint: string }> };
    };
    const hint = manifest.features.slash_commands[0]!.usage_hint;
    for (const sub of SUBCOMMANDS) expect(hint).toMatch(new RegExp(`(^|\\| )${sub}\\b`));
    expect(SUBCOMMAND_USAGE.map(([name]) => name).sort()).toEqual([...SUBCOMMANDS].sort());
  });

  it('parses subcommands, questions and unknown words', () => {
    expect(parseTeammateCommand('repo')).toEqual({ kind: 'repo', spec: '' });
    expect(parseTeammateCommand('REPO  acme/api ')).toEqual({ kind: 'repo', spec: 'acme/api' });
    expect(parseTeammateCommand('digest')).toEqual({ kind: 'handoff', name: 'digest', args: '' });
    expect(parseTeammateCommand('task 12')).toEqual({ kind: 'handoff', name: 'task', args: '12' });
    expect(parseTeammateCommand('scna')).toEqual({ kind: 'unknown', text: 'scna' });
    expect(parseTeammateCommand('where is auth?')).toEqual({ kind: 'ask', question: 'where is auth?' });
    expect(parseTeammateCommand('ask deploy?')).toEqual({ kind: 'ask', question: 'deploy?' });
  });
});

describe('channel repositories (use case)', () => {
  const local = (root: string): Repository => ({ id: root, root, label: path.basename(root) });

  it('accepts a watched local repository by absolute path or label, and refuses an unwatched folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-chan-'));
    const watched = path.join(dir, 'service');
    const other = path.join(dir, 'secrets');
    fs.mkdirSync(watched);
    fs.mkdirSync(other);
    try {
      const repos = [local(watched)];
      const isDir = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
      expect(resolveRepositorySpec(watched, repos, isDir)).toMatchObject({ ok: true, repo: { id: watched } });
      expect(resolveRepositorySpec(`${watched}/`, repos, isDir)).toMatchObject({ ok: true, repo: { id: watched } });
      expect(resolveRepositorySpec('service', repos, isDir)).toMatchObject({ ok: true, repo: { id: watched } });
      expect(resolveRepositorySpec(other, repos, isDir)).toMatchObject({ ok: false, reason: expect.stringContaining('not one of the repositories I watch') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends each repository to the channels mapped to it, and unclaimed ones to TEAMMATE_CHANNEL', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const store = createChannelRepoStore(db);
    const repos = [local('/r/a'), local('/r/b'), local('/r/c')];
    store.set({ channel: 'CA', repoId: '/r/a', setAt: 1 });
    store.set({ channel: 'CA2', repoId: '/r/a', setAt: 1 });
    store.set({ channel: 'CX', repoId: '/r/gone', setAt: 1 });
    const targets = (d?: string) => listChannelTargets({ store, repos }, d).map((x) => `${x.channel} ${x.repo.id}`);
    expect(targets('CDEF')).toEqual(['CA /r/a', 'CA2 /r/a', 'CDEF /r/b', 'CDEF /r/c']);
    expect(targets(undefined)).toEqual(['CA /r/a', 'CA2 /r/a']);
    db.close();
  });
});
