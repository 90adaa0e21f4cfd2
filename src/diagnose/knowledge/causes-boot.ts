// Causes of a module that does not boot to normal mode: the two cases of the field report we were
// founded on (QFORUM/6665), USB_BOOT held by the board, and a module that never started.
import type { Cause, Evidence } from './types.js';
import { levels } from './levels.js';

const onUsb = ['normal', '9008', 'fastboot', 'other'];
const blinking = ['slow-blink', 'fast-blink', 'on'];

const started: Evidence = { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: 2.5, why: 'VDD_EXT is present: the module did start (§8.7)' };
const notStarted: Evidence = { key: 'vdd_ext', test: { below: levels.vddExtAbsentV }, weight: -5, why: 'VDD_EXT is absent: the module never started, so it cannot be stuck later in the boot (§8.7)' };

export const bootChainCorrupt: Cause = {
  id: 'boot-chain-corrupt',
  title: 'Corrupted boot chain: the module can only start in emergency download (QDLoader 9008)',
  explanation: 'The boot ROM found no bootable SBL on the NAND and fell back to emergency download (05c6:9008). With USB_BOOT low nothing forced that: the firmware is damaged, typically by a power cut during an update or a write. A reflash through EDL brings it back; its calibration is backed up first.',
  confidence: 'high',
  prior: 0.5,
  evidence: [
    { key: 'usb', test: { is: ['9008'] }, weight: 4, why: 'the host sees QDLoader 9008: the boot ROM could not boot' },
    { key: 'usb', test: { is: ['none', 'normal', 'fastboot'] }, weight: -5, why: 'a corrupt boot chain always ends in 9008' },
    { key: 'usb_boot', test: { is: ['low'] }, weight: 2, why: 'USB_BOOT is low, so nothing forced 9008: the boot ROM chose it (§4.8)' },
    { key: 'usb_boot', test: { is: ['high'] }, weight: -6, why: 'USB_BOOT high forces 9008 by itself: the firmware may be fine' },
    { key: 'current_ma', test: { within: levels.edlCurrentMa }, weight: 1, why: '~42 mA is what a unit stuck in 9008 draws (QFORUM/6665, §8.2)' },
    { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: 0.5, why: 'VDD_EXT 1.8 V is present in 9008 too (§8.7)' },
    notStarted,
    { key: 'status', test: { is: ['high'] }, weight: 0.3, why: 'STATUS high: the firmware is not running (§8.3)' },
  ],
  next: [
    { kind: 'command', text: '`medic flash PACKAGE --port {edlPort}` with the firmware of the same baseline as the unit\'s label (medic backs up the calibration first and refuses another baseline)' },
    { kind: 'bench', text: 'Before flashing, make sure the supply is solid (3.8 V, ≥ 2 A, short wires): a cut during the flash starts over.' },
  ],
  sources: ['field report case 1 (QFORUM/6665)', 'quectel-ec25.md §4.8, §4.9, §5.1', 'edl-protocols.md §5'],
  fault: true,
};

export const bootHangNoUsb: Cause = {
  id: 'boot-hang-no-usb',
  title: 'A boot stage hangs before USB: no port at all — force 9008 with the USB_BOOT strap, then flash',
  explanation: 'The module starts (VDD_EXT 1.8 V) but a later stage of its boot chain is damaged, so it hangs and restarts before USB ever comes up; the current wanders (55–170 mA in the field report). Software cannot reach it: only strapping USB_BOOT to VDD_EXT at power-on makes the boot ROM stop in 9008, where it can be reflashed.',
  confidence: 'medium',
  prior: 0.3,
  evidence: [
    { key: 'usb', test: { is: ['none'] }, weight: 2, why: 'the host sees no USB device at all' },
    { key: 'usb', test: { is: onUsb }, weight: -5, why: 'the module reaches USB, so it does not hang before it' },
    started,
    notStarted,
    { key: 'current_ma', test: { spreadAtLeast: levels.hungSpreadMa, inside: levels.hungCurrentMa }, weight: 3, why: 'the current wanders like the field report\'s 55–170 mA: a stage that hangs and restarts (QFORUM/6665)' },
    { key: 'current_ma', test: { within: [50, 200] }, weight: 0.7, why: 'a current in the 55–170 mA band of the field report' },
    { key: 'current_ma', test: { below: 20 }, weight: -3, why: 'almost no current: the module is not running anything' },
    { key: 'usb_boot', test: { is: ['low'] }, weight: 1, why: 'USB_BOOT low: a normal boot was attempted' },
    { key: 'usb_boot', test: { is: ['high'] }, weight: -2, why: 'with USB_BOOT high the boot ROM would stop in 9008 and show on USB' },
    { key: 'status', test: { is: ['high'] }, weight: 1, why: 'STATUS high: the firmware never got to running (§8.3)' },
    { key: 'status', test: { is: ['low'] }, weight: -2, why: 'STATUS low: the firmware runs, so the boot does not hang' },
    { key: 'status', test: { is: ['toggling'] }, weight: -3, why: 'STATUS keeps changing: the firmware gets to running and then resets, which a hang before USB never does' },
    { key: 'net_status', test: { is: blinking }, weight: -3, why: 'NET_STATUS blinks: the firmware runs the radio, so the boot got through' },
  ],
  next: [
    { kind: 'bench', text: 'Power off (VBAT off). Tie USB_BOOT (pin 115, or the board\'s test pad) to VDD_EXT (pin 7, 1.8 V) with a wire or tweezers.' },
    { kind: 'bench', text: 'Apply VBAT, press PWRKEY ≥ 500 ms, and keep the strap until the host shows 05c6:9008 (`medic scan`); then release it. If 9008 does not show, suspend/resume the host USB port or replug (QFORUM/36394).' },
    { kind: 'command', text: '`medic flash PACKAGE --port {edlPort}` with the firmware of the unit\'s own baseline.' },
  ],
  sources: ['field report case 2 (QFORUM/6665)', 'quectel-ec25.md §4.8, §4.9, §8.2, §8.6', 'edl-protocols.md §5 ("Module aborted mid-flash, no ttyUSB, no 9008")'],
  fault: true,
};

export const usbBootHeld: Cause = {
  id: 'usb-boot-held',
  title: 'The board holds USB_BOOT high: the module is forced into 9008 at every start (firmware probably fine)',
  explanation: 'USB_BOOT tied to VDD_EXT at power-on makes the boot ROM stop in emergency download no matter what the NAND holds. A solder bridge, a forgotten strap or a wrong level shifter on the board does it. Release USB_BOOT and power-cycle: the module should boot normally, no flash needed.',
  confidence: 'high',
  prior: 0,
  evidence: [
    { key: 'usb', test: { is: ['9008'] }, weight: 3, why: 'the host sees QDLoader 9008' },
    { key: 'usb', test: { is: ['none', 'normal', 'fastboot'] }, weight: -5, why: 'USB_BOOT held high always ends in 9008' },
    { key: 'usb_boot', test: { is: ['high'] }, weight: 5, why: 'USB_BOOT is high: that alone forces 9008 at every start (§4.8, §8.6)' },
    { key: 'usb_boot', test: { is: ['low'] }, weight: -6, why: 'USB_BOOT is low, so it is not what forces 9008' },
    notStarted,
  ],
  next: [
    { kind: 'bench', text: 'Find what holds USB_BOOT (pin 115) at 1.8 V: a strap or solder bridge to VDD_EXT, a test point, a level shifter. Release it.' },
    { kind: 'bench', text: 'Power-cycle properly: VBAT off, then on, then PWRKEY ≥ 500 ms. Then `medic scan` should show 2c7c:0125.' },
    { kind: 'command', text: 'Do not flash yet: once it boots, `medic info --port {atPort}` should be healthy.' },
  ],
  sources: ['quectel-ec25.md §4.8, §8.6'],
  fault: true,
};

export const usbLinkBroken: Cause = {
  id: 'usb-link-broken',
  title: 'The module runs, but its USB does not reach the host (cable, connector, VBUS or D+/D−)',
  explanation: 'STATUS and NET_STATUS show running firmware, yet the host sees nothing: the fault is between the module\'s USB pins and the host, not in the module.',
  confidence: 'medium',
  prior: -0.5,
  evidence: [
    { key: 'usb', test: { is: ['none'] }, weight: 2, why: 'the host sees no USB device' },
    { key: 'usb', test: { is: onUsb }, weight: -6, why: 'the host does see the module' },
    { key: 'status', test: { is: ['low'] }, weight: 2, why: 'STATUS low: the firmware is running (§8.3; mind the board\'s polarity)' },
    { key: 'net_status', test: { is: blinking }, weight: 3, why: 'NET_STATUS blinks: the firmware runs the radio (§4.6)' },
    { key: 'vdd_ext', test: { atLeast: levels.vddExtStartedV }, weight: 1, why: 'VDD_EXT present: the module started' },
    { key: 'vdd_ext', test: { below: levels.vddExtAbsentV }, weight: -5, why: 'VDD_EXT absent: the module is not running at all' },
    { key: 'status', test: { is: ['high'] }, weight: -2, why: 'STATUS high: the firmware is not running' },
    { key: 'current_ma', test: { spreadAtLeast: levels.hungSpreadMa, inside: levels.hungCurrentMa }, weight: -1.5, why: 'a wandering current points at a boot that restarts' },
  ],
  next: [
    { kind: 'bench', text: 'Check the USB cable and connector, that USB_VBUS reaches the module (5 V), and the D+/D− lines and their series parts.' },
    { kind: 'bench', text: 'On a Mini PCIe card, try another slot or a USB adapter board; then `medic scan`.' },
  ],
  sources: ['quectel-ec25.md §4.5, §4.6, §8.3', 'DESIGN.md (no-USB fault)'],
  fault: true,
};

export const fastbootMode: Cause = {
  id: 'fastboot-mode',
  title: 'The module sits in fastboot (18d1:d00d)',
  explanation: 'Fastboot is entered on purpose (AT+QFASTBOOT) or by a custom firmware; the module stays there until told to reboot.',
  confidence: 'medium',
  prior: 0,
  evidence: [
    { key: 'usb', test: { is: ['fastboot'] }, weight: 6, why: 'the host sees 18d1:d00d (fastboot)' },
    { key: 'usb', test: { is: ['none', 'normal', '9008'] }, weight: -6, why: 'the host does not see fastboot' },
  ],
  next: [
    { kind: 'bench', text: '`fastboot reboot` to leave it; if it comes back in fastboot, reflash (PinePhone recovery order, PMSDK RECOVERY.md).' },
  ],
  sources: ['quectel-ec25.md §1.1, §5.2'],
  fault: true,
};
