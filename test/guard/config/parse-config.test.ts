import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GuardConfigError } from '../../../src/guard/config/errors.js';
import { loadGuardConfig, parseGuardConfig } from '../../../src/guard/config/parse-config.js';
import { TIMINGS } from '../../../src/guard/config/timings.js';
import { tempDir } from '../../helpers/wait.js';

const example = fileURLToPath(new URL('../../../../src/guard/config/example.toml', import.meta.url));

const minimal = (extra = ''): string => `unit = "u1"\n[journal]\ndir = "/var/lib/guard"\n[module]\nat_port = "/dev/ttyUSB2"\n[gpio]\nbackend = "gpiod"\nchip = "gpiochip0"\n[gpio.lines]\npwrkey = 35\n${extra}`;

function refused(text: string, key: string, pattern: RegExp): void {
  assert.throws(() => parseGuardConfig(text), (error: unknown) => {
    assert.ok(error instanceof GuardConfigError, String(error));
    assert.equal(error.code, 'GUARD_CONFIG');
    assert.equal(error.key, key);
    assert.match(error.message, pattern);
    assert.ok(error.hint !== undefined && error.hint.length > 0);
    return true;
  });
}

describe('the guard configuration', () => {
  it('the checked-in example parses, with its board levels and the datasheet timings', async () => {
    const config = await loadGuardConfig(example);
    assert.equal(config.unit, 'unit-0042');
    assert.equal(config.timeScale, 1);
    assert.ok(config.gpio.backend === 'gpiod');
    assert.deepEqual(config.gpio.lines, { vbat_enable: 12, pwrkey: 35, reset_n: 68, status: 233 });
    assert.equal(config.gpio.levels.pwrkey, 'high');
    assert.equal(config.gpio.levels.status, 'low');
    assert.equal(config.timings.pwrkey_on_ms, 500);
    assert.equal(config.timings.pwrkey_off_ms, 650);
    assert.equal(config.recovery.budgets['pwrkey-cycle'].max, 3);
    assert.equal(config.recovery.budgets['pwrkey-cycle'].windowMs, 3_600_000);
    assert.equal(config.module.atPort, '/dev/ttyUSB2');
    assert.deepEqual(config.proxy?.apps, [{ name: 'connman', link: '/run/medic/at-connman' }]);
    assert.equal(config.proxy.policy.cfun.perHour, 6);
    assert.equal(config.proxy.policy.cfun.maxDelayMs, 120_000);
    assert.equal(config.desiredConfig.length, 1);
    assert.equal(config.uplink?.transport, 'mqtt');
  });

  it('reads the AT proxy, its policy and the desired configuration, and names a wrong policy key as written', () => {
    const config = parseGuardConfig(minimal('[proxy]\n[proxy.policy.cfun]\nper_hour = 2\nbeyond_budget = "coalesce"\n[[desired_config]]\nsetting = "urcport"\nvalue = "usbmodem"\n'));
    assert.deepEqual(config.proxy?.apps, [{ name: 'app' }]);
    assert.equal(config.proxy.policy.cfun.perHour, 2);
    assert.equal(config.proxy.policy.cfun.beyondBudget, 'coalesce');
    assert.equal(config.desiredConfig.length, 1);
    refused(minimal('[proxy.policy.cfun]\nper_hour = -1\n'), 'proxy.policy.cfun.per_hour', /per_hour/);
    refused(minimal('[proxy.policy.cfun]\nbeyond_budget = "ignore"\n'), 'proxy.policy.cfun.beyond_budget', /ignore/);
    refused(minimal('[proxy.policy]\nquery_then_sett = true\n'), 'proxy.policy.query_then_sett', /did you mean "query_then_set"/);
    refused(minimal('[proxy]\n[[proxy.apps]]\nname = "a"\n[[proxy.apps]]\nname = "a"\n'), 'proxy.apps', /two applications are named "a"/);
  });

  it('reads the uplink and refuses one that cannot work', () => {
    const config = parseGuardConfig(minimal('[uplink]\ntransport = "http"\nurl = "http://127.0.0.1:8080"\nsecret = "s3cret"\n'));
    assert.deepEqual(config.uplink, { transport: 'http', url: 'http://127.0.0.1:8080', secret: 's3cret' });
    refused(minimal('[uplink]\ntransport = "mqtt"\nurl = "http://127.0.0.1:8080"\nsecret = "s"\n'), 'uplink.url', /http: does not go with transport = "mqtt"/);
    refused(minimal('[uplink]\ntransport = "http"\nurl = "http://x"\n'), 'uplink.secret', /secret or secret_file/);
    refused(minimal('[uplink]\ntransport = "http"\nurl = "http://x"\nsecret_file = "/nonexistent/secret"\n'), 'uplink.secret_file', /cannot read/);
  });

  it('fills every timing with its datasheet default', () => {
    const config = parseGuardConfig(minimal());
    for (const [name, spec] of Object.entries(TIMINGS)) assert.equal(config.timings[name as keyof typeof TIMINGS], spec.defaultMs, name);
    assert.equal(config.vbat.dipThresholdMv, 3300);
    assert.equal(config.journal.fsync, 'every-record');
  });

  it('refuses an unknown key and suggests the nearest one', () => {
    refused(minimal('[timings]\npwrkey_on = 600'), 'timings.pwrkey_on', /did you mean "pwrkey_on_ms"/);
    refused(`unti = "x"\n${minimal()}`, 'unti', /did you mean "unit"/);
    refused(minimal('[gpio.levels]\nstatuss = "low"'), 'gpio.levels.statuss', /did you mean "status"/);
  });

  it('refuses a timing outside its datasheet window, naming the window and the source', () => {
    refused(minimal('[timings]\npwrkey_on_ms = 200'), 'timings.pwrkey_on_ms', /200 ms is outside the datasheet window 500–2000 ms/);
    refused(minimal('[timings]\nreset_pulse_ms = 500'), 'timings.reset_pulse_ms', /150–460 ms.*Zephyr/);
    refused(minimal('[timings]\npwrkey_off_status_timeout_ms = 5000'), 'timings.pwrkey_off_status_timeout_ms', /29500–180000/);
  });

  it('accepts an out-of-window timing that the board file lists in out_of_spec', () => {
    const config = parseGuardConfig(minimal('[timings]\npwrkey_on_ms = 200\nout_of_spec = ["pwrkey_on_ms"]'));
    assert.equal(config.timings.pwrkey_on_ms, 200);
    refused(minimal('[timings]\nout_of_spec = ["pwrkey_ms"]'), 'timings.out_of_spec', /"pwrkey_ms" is not a timing/);
  });

  it('refuses wrong types and values with what is allowed', () => {
    refused(minimal('[timings]\nvbat_settle_ms = "fast"'), 'timings.vbat_settle_ms', /must be a number/);
    refused(minimal('[gpio.levels]\npwrkey = "up"'), 'gpio.levels.pwrkey', /one of "low", "high"/);
    refused(minimal().replace('backend = "gpiod"', 'backend = "sysfs"'), 'gpio.backend', /one of "gpiod", "sim", "none"/);
    refused(minimal().replace('unit = "u1"', 'unit = "unit/1"'), 'unit', /not a unit id/);
    refused(minimal().replace('pwrkey = 35', 'pwrkey = 35\nstatus = 35'), 'gpio.lines.status', /line 35 is already pwrkey/);
    refused(minimal().replace('[gpio.lines]\npwrkey = 35', ''), 'gpio.lines.pwrkey', /is required/);
    refused(minimal().replace('at_port = "/dev/ttyUSB2"', ''), 'module.at_port', /is required/);
    refused(minimal('[recovery.budgets.pwrkey_cycle]\nmax = -1'), 'recovery.budgets.pwrkey_cycle.max', /outside the allowed range 0–1000/);
  });

  it('keeps time_scale for simulated modules only', () => {
    refused(`time_scale = 0.01\n${minimal()}`, 'time_scale', /only for a simulated module/);
    const sim = parseGuardConfig('unit = "s"\ntime_scale = 0.01\n[journal]\ndir = "j"\n[gpio]\nbackend = "sim"\nstate_dir = "/tmp/sim-x"', { baseDir: '/srv' });
    assert.equal(sim.timeScale, 0.01);
    assert.equal(sim.journal.dir, '/srv/j');
    assert.equal(sim.module.sysfsRoot, '/tmp/sim-x/sys');
    assert.equal(sim.gpio.levels.pwrkey, 'low', 'the simulator\'s pins are the module\'s own');
  });

  it('names the line of a TOML syntax error, and the file it was read from', async () => {
    refused('unit = \n', '', /not valid TOML at line 1/);
    await using dir = await tempDir();
    const file = join(dir.path, 'guard.toml');
    await writeFile(file, (await readFile(example, 'utf8')).replace('pwrkey_on_ms = 500', 'pwrkey_on_ms = 100'));
    await assert.rejects(loadGuardConfig(file), (error: unknown) => error instanceof GuardConfigError && error.message.includes(file) && error.message.includes('timings.pwrkey_on_ms'));
    await assert.rejects(loadGuardConfig(join(dir.path, 'missing.toml')), { code: 'GUARD_CONFIG' });
  });
});
