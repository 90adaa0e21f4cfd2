// What the boot.bf NAND programmer sends, exactly as edl-protocols.md §2.1 describes it: the
// declaration, LF, <data>, LF, one element, LF, </data>, no trailing newline. Written here, not
// taken from the host's codec.

const HEAD = '<?xml version="1.0" encoding="UTF-8" ?>\n<data>\n';
const TAIL = '\n</data>';

export function log(text: string): string {
  return `${HEAD}<log value="${text}"/>${TAIL}`;
}

/** `<response value="ACK" />`; `extra` is appended inside the tag, e.g. ` rawmode="true"`. */
export function response(value: 'ACK' | 'NAK', extra = ''): string {
  return `${HEAD}<response value="${value}"${extra} />${TAIL}`;
}

export const ACK = response('ACK');
export const ACK_RAW = response('ACK', ' rawmode="true"');
export const ACK_RAW_DONE = response('ACK', ' rawmode="false"');

/** The boot.bf 3.1.2 NAND programmer's start-up burst (§2.2). */
export const STARTUP = [log('Binary build date: Mar 27 2019 @ 03:21:31'), log('Supported Functions: program configure power benchmark read getstorageinfo erase nop ')];

export function configureAck(payload: number): string {
  return response(
    'ACK',
    ` MemoryName="NAND" MaxPayloadSizeFromTargetInBytes="4096" MaxPayloadSizeToTargetInBytes="${payload}" MaxPayloadSizeToTargetInBytesSupported="${payload}" TargetName="9x07" MinVersionSupported="1" Version="1" MaxXMLSizeInBytes="4096"`,
  );
}
