// Causes a module that boots tells about itself over AT: lost calibration (+CFUN: 5), a baseline
// mismatch (+CFUN: 7), the radio switched off, SIM and network problems, and the healthy case.
import type { Cause, Evidence } from './types.js';

const notNormal: Evidence = { key: 'usb', test: { is: ['none', '9008', 'fastboot'] }, weight: -6, why: 'the module is not up in normal mode' };

export const calibrationLost: Cause = {
  id: 'calibration-lost',
  title: 'RF calibration lost (+CFUN: 5): restore this unit\'s calibration backup',
  explanation: 'The per-unit RF calibration (NV/QCN in efs2) is gone — after a power loss during an update or an "erase all" flash. The module boots into factory-test mode, AT+CFUN=1 fails with +CME ERROR: 3 and there is no signal. Quectel does not supply calibration: only this unit\'s own backup brings it back.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'cfun', test: { is: ['5'] }, weight: 7, why: '+CFUN: 5 is factory-test mode, what a module without calibration falls back to (QFORUM/56770)' },
    { key: 'cfun', test: { is: ['0', '1', '4', '7'] }, weight: -5, why: 'the function level is not 5' },
    { key: 'signal', test: { is: ['none'] }, weight: 0.5, why: 'no signal, as without calibration' },
    notNormal,
  ],
  next: [
    { kind: 'command', text: '`medic flash --restore-calibration DIR --port {edlPort}` with this unit\'s backup folder (made by `medic backup` or by an earlier `medic flash`).' },
    { kind: 'bench', text: 'Without a backup of this very unit, calibration cannot be recreated here: the module needs the vendor.' },
  ],
  sources: ['quectel-ec25.md §3.3, §5.1 (QFORUM/56770, QFORUM/38341)'],
  fault: true,
};

export const baselineMismatch: Cause = {
  id: 'baseline-mismatch',
  title: 'Firmware baseline does not match the calibration (+CFUN: 7): reflash the original baseline',
  explanation: 'The unit was flashed with another firmware baseline (e.g. R06 → R08) than the one its calibration was made for. The original baseline has to go back on; then, if it is still wrong, the calibration backup.',
  confidence: 'medium',
  prior: 0,
  evidence: [
    { key: 'cfun', test: { is: ['7'] }, weight: 7, why: '+CFUN: 7 is what a module with a mismatched baseline reports (QFORUM/58100)' },
    { key: 'cfun', test: { is: ['0', '1', '4', '5'] }, weight: -5, why: 'the function level is not 7' },
    notNormal,
  ],
  next: [
    { kind: 'command', text: '`medic flash PACKAGE --port {dmPort} --at-port {atPort}` with a package of the unit\'s ORIGINAL baseline (from its label); medic refuses a baseline change unless told.' },
    { kind: 'command', text: 'If +CFUN: 7 stays: `medic flash --restore-calibration DIR --port {edlPort}` with the unit\'s backup.' },
  ],
  sources: ['quectel-ec25.md §3.3, §5.1 (QFORUM/58100, QFORUM/44652)'],
  fault: true,
};

export const radioOff: Cause = {
  id: 'radio-off',
  title: 'The radio is switched off (+CFUN: 0 or 4)',
  explanation: 'Something put the module in minimum functionality or airplane mode (AT+CFUN=0/4 or W_DISABLE#). Cycling CFUN 0/1 often is itself one of the vendor\'s causes of modules needing a reflash.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'cfun', test: { is: ['0', '4'] }, weight: 5, why: 'AT+CFUN? says the radio is off' },
    { key: 'cfun', test: { is: ['1', '5', '7'] }, weight: -5, why: 'the radio is not switched off' },
    notNormal,
  ],
  next: [
    { kind: 'command', text: '`medic at --port {atPort} AT+CFUN=1`, then find the program or the W_DISABLE# line that switched it off.' },
  ],
  sources: ['quectel-ec25.md §3.3, §5.1'],
  fault: true,
};

export const simMissing: Cause = {
  id: 'sim-missing',
  title: 'No SIM card detected',
  explanation: 'AT+CPIN? answers "SIM not inserted": the holder is empty, the card sits badly, or the card-detect line is wired wrong. Without a SIM the module cannot register.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'sim', test: { is: ['missing'] }, weight: 6, why: 'the module reports no SIM (+CME ERROR: 10, §3.4)' },
    { key: 'sim', test: { is: ['ready', 'locked'] }, weight: -5, why: 'the module sees a SIM' },
    { key: 'registration', test: { is: ['not-registered', 'searching'] }, weight: 0.5, why: 'not registered, as without a SIM' },
    notNormal,
  ],
  next: [
    { kind: 'bench', text: 'Insert a SIM (or reseat it); check the holder\'s contacts and the card-detect wiring.' },
    { kind: 'command', text: 'Then `medic at --port {atPort} AT+CFUN=1,1` (or a power cycle) and `medic info --port {atPort}`.' },
  ],
  sources: ['quectel-ec25.md §3.1, §3.4'],
  fault: true,
};

export const simLocked: Cause = {
  id: 'sim-locked',
  title: 'The SIM is locked (PIN or PUK)',
  explanation: 'The SIM asks for its PIN (or is blocked and asks for the PUK): the module cannot register until it is unlocked.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'sim', test: { is: ['locked'] }, weight: 6, why: 'AT+CPIN? asks for a PIN or PUK (§3.4)' },
    { key: 'sim', test: { is: ['ready', 'missing'] }, weight: -5, why: 'the SIM is not locked' },
    notNormal,
  ],
  next: [
    { kind: 'command', text: '`medic at --port {atPort} AT+CPIN="<pin>"`, or disable the PIN on the SIM in a phone; a PUK comes from the operator.' },
  ],
  sources: ['quectel-ec25.md §3.4'],
  fault: true,
};

export const noNetwork: Cause = {
  id: 'no-network',
  title: 'The module is healthy but finds no network: antenna, coverage or bands',
  explanation: 'The module runs, its radio is on and the SIM is ready, but it does not register: it hears no cell it may use (antenna, cable, coverage, the variant\'s bands, a restricted scan mode) or the network refuses it.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'registration', test: { is: ['searching', 'not-registered', 'denied'] }, weight: 3, why: 'the module is not registered' },
    { key: 'registration', test: { is: ['registered'] }, weight: -6, why: 'the module is registered' },
    { key: 'signal', test: { is: ['none'] }, weight: 1.5, why: 'no signal at all' },
    { key: 'signal', test: { is: ['poor'] }, weight: 0.5, why: 'poor signal' },
    { key: 'signal', test: { is: ['good'] }, weight: -1, why: 'a good cell is heard: antenna and coverage are fine' },
    { key: 'cfun', test: { is: ['1'] }, weight: 1, why: 'the radio is on (+CFUN: 1)' },
    { key: 'cfun', test: { is: ['0', '4', '5', '7'] }, weight: -4, why: 'the radio is not in normal operation' },
    { key: 'sim', test: { is: ['ready'] }, weight: 1, why: 'the SIM is ready' },
    { key: 'sim', test: { is: ['missing', 'locked'] }, weight: -4, why: 'the SIM is the problem' },
    { key: 'net_status', test: { is: ['slow-blink'] }, weight: 0.5, why: 'NET_STATUS blinks slowly: searching (§4.6)' },
    { key: 'status', test: { is: ['toggling'] }, weight: -3, why: 'STATUS keeps changing: the module restarts, which is not a radio problem' },
    notNormal,
  ],
  next: [
    { kind: 'bench', text: 'Check the antenna and its cable on the main (ANT_MAIN) connector, and that this variant\'s bands are used where you are.' },
    { kind: 'command', text: '`medic info --port {atPort}` shows registration, signal and the nwscanmode/band settings that can stop it registering (§3.9).' },
  ],
  sources: ['quectel-ec25.md §3.5, §3.9, §4.6'],
  fault: true,
};

export const healthy: Cause = {
  id: 'healthy',
  title: 'Healthy: the module boots, its SIM is ready and it is registered',
  explanation: 'Nothing wrong was found in what the host sees and what the module says.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'registration', test: { is: ['registered'] }, weight: 3, why: 'registered on the network' },
    { key: 'registration', test: { is: ['searching', 'not-registered', 'denied'] }, weight: -3, why: 'not registered' },
    { key: 'cfun', test: { is: ['1'] }, weight: 1, why: 'full functionality' },
    { key: 'cfun', test: { is: ['0', '4', '5', '7', 'other'] }, weight: -6, why: 'not in full functionality' },
    { key: 'sim', test: { is: ['ready'] }, weight: 1, why: 'SIM ready' },
    { key: 'sim', test: { is: ['missing', 'locked'] }, weight: -5, why: 'SIM not usable' },
    { key: 'usb', test: { is: ['normal'] }, weight: 1, why: 'normal boot on USB' },
    notNormal,
    { key: 'at_answers', test: { is: ['yes'] }, weight: 0.5, why: 'the AT port answers' },
    { key: 'at_answers', test: { is: ['no'] }, weight: -3, why: 'the AT port does not answer' },
    { key: 'status', test: { is: ['toggling'] }, weight: -5, why: 'STATUS keeps changing: it restarts' },
    { key: 'source_ohms', test: { atLeast: 0.3 }, weight: -4, why: 'the supply path sags' },
    { key: 'vbat', test: { below: 3.3 }, weight: -4, why: 'VBAT below the 3.3 V minimum' },
    { key: 'vdd_ext', test: { below: 0.5 }, weight: -6, why: 'VDD_EXT absent' },
    { key: 'port_holder', test: { is: ['modemmanager', 'other'] }, weight: -3, why: 'another program holds the ports' },
    { key: 'risky_settings', test: { is: ['yes'] }, weight: -3, why: 'risky settings are set' },
    { key: 'autosuspend', test: { is: ['on'] }, weight: -3, why: 'USB autosuspend is on' },
    { key: 'composition', test: { is: ['changed'] }, weight: -3, why: 'the USB composition was changed' },
  ],
  next: [
    { kind: 'command', text: '`medic info --port {atPort}` for the full health report; power it off with AT+QPOWD=1 and wait for POWERED DOWN before cutting VBAT (§4.3).' },
  ],
  sources: ['quectel-ec25.md §3, §4.3'],
  fault: false,
};
