import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { CONFIG_OPTIONS, OPTIONS, settingsSchema } from '../../src/config/options.js';

const ctx = { cwd: '/work/project', homeDir: '/home/dev' };

describe('options declared once', () => {
  it('the validator and the docs list are derived from the declarations, nothing more or less', () => {
    expect(Object.keys(settingsSchema.shape).sort()).toEqual(Object.keys(OPTIONS).sort());
    expect(CONFIG_OPTIONS.map((o) => o.env).sort()).toEqual(Object.keys(OPTIONS).sort());
  });

  it('documents the default the schema applies, so the two cannot drift', () => {
    const byName = Object.fromEntries(CONFIG_OPTIONS.map((o) => [o.env, o]));
    const config = loadConfig({}, ctx);
    expect(byName.PORT?.default).toBe(String(config.settings.PORT));
    expect(byName.OPENAI_MODEL?.default).toBe(config.settings.OPENAI_MODEL);
    expect(byName.TEAMMATE_REFRESH_CRON?.default).toBe(config.settings.TEAMMATE_REFRESH_CRON);
    expect(byName.SLACK_BOT_TOKEN?.default).toBeUndefined();
    expect(byName.SLACK_BOT_TOKEN?.secret).toBe(true);
    expect(byName.GITHUB_WEB_URL?.default).toBe('derived from GITHUB_API_URL');
  });

  it('every option is readable, typed and defaulted, from config.settings', () => {
    const config = loadConfig({ PORT: '8080', TEAMMATE_ADMINS: ' U1, U2 ,', TEAMMATE_REFRESH_CRON: 'off', LOG_LEVEL: 'DEBUG' }, ctx);
    expect(config.settings.PORT).toBe(8080);
    expectTypeOf(config.settings.PORT).toEqualTypeOf<number>();
    expect(config.settings.TEAMMATE_ADMINS).toEqual(['U1', 'U2']);
    expectTypeOf(config.settings.TEAMMATE_ADMINS).toEqualTypeOf<string[]>();
    expect(config.settings.TEAMMATE_REFRESH_CRON).toBeUndefined();
    expect(config.settings.LOG_LEVEL).toBe('debug');
    expect(config.settings.OPENAI_MAX_RETRIES).toBe(2);
    expectTypeOf(config.settings.OPENAI_API_KEY).toEqualTypeOf<string | undefined>();
    // The grouped view the adapters use agrees with it.
    expect(config.slack.port).toBe(8080);
    expect(config.slack.admins).toEqual(['U1', 'U2']);
    expect(config.refreshCron).toBeUndefined();
  });

  it('an unknown value of a typed option is a problem named after the variable', () => {
    expect(() => loadConfig({ OPENAI_MAX_RETRIES: 'many', TEAMMATE_MAX_STEPS: '0', TEAMMATE_REFRESH_CRON: 'hourly' }, ctx)).toThrow(
      /OPENAI_MAX_RETRIES: expected a whole number[\s\S]*TEAMMATE_MAX_STEPS: expected at least 1[\s\S]*TEAMMATE_REFRESH_CRON: expected a cron expression/,
    );
  });
});
