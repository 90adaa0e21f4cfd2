// Node has no API for a pseudo-terminal pair or for termios, so a small python3 helper owns the
// pty masters (DESIGN.md, "Pseudo-terminals from Node"). It sets each slave raw before anyone can
// open it (a cooked slave mangles binary Sahara packets: edl sheet §1.8) and relays bytes over
// its stdin/stdout in frames: type u8, port u8, length u32 BE, payload.
//
// It keeps no slave open itself, so it can see whether a host program has the port open (the
// master polls POLLHUP while nobody does). Bytes the module sends while no host has the port
// open are dropped, as a USB serial driver drops them when its tty is closed; a pty would
// otherwise hand them to the next program that opens it.

export const FrameType = {
  /** node → helper: create a pty for this port id. */
  Open: 1,
  /** helper → node: created; payload is the slave path. */
  Opened: 2,
  /** node → helper: bytes to the host. helper → node: bytes from the host. */
  Data: 3,
  /** node → helper: close the master (the host sees a hang-up, as on a USB unplug). */
  Close: 4,
  /** helper → node: the master is closed. */
  Closed: 5,
  /** helper → node: a host program opened the slave. */
  HostOpen: 6,
  /** helper → node: no host program has the slave open any more. */
  HostClose: 7,
  /** helper → node: something failed; payload is the message. */
  Error: 8,
} as const;
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

export const PTY_HOST_SOURCE = String.raw`
import os, sys, select, struct, tty, termios, fcntl, errno

OPEN, OPENED, DATA, CLOSE, CLOSED, HOST_OPEN, HOST_CLOSE, ERROR = 1, 2, 3, 4, 5, 6, 7, 8
# Bytes for a host that has the port open are never dropped (USB has flow control): while this
# much waits for slow readers, stdin is not read, so the simulator's writes queue up in Node.
PAUSE_PENDING = 16 * 1024 * 1024
# How often (s) to look for a host opening a port nobody has open: a master polls POLLHUP while its
# slave is closed, so it cannot wait in poll() for the open; it is looked for between polls.
OPEN_POLL_S = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.01
ports = {}
inbuf = bytearray()

def send(kind, port, payload=b''):
    frame = struct.pack('>BBI', kind, port, len(payload)) + payload
    view = memoryview(frame)
    while view:
        n = os.write(1, view)
        view = view[n:]

def host_has_it_open(fd):
    p = select.poll()
    p.register(fd, select.POLLIN)
    for _, ev in p.poll(0):
        if ev & select.POLLHUP:
            return False
    return True

def open_port(pid):
    m, s = os.openpty()
    tty.setraw(s, termios.TCSANOW)
    attrs = termios.tcgetattr(s)
    attrs[4] = attrs[5] = termios.B115200
    termios.tcsetattr(s, termios.TCSANOW, attrs)
    path = os.ttyname(s)
    os.close(s)
    fl = fcntl.fcntl(m, fcntl.F_GETFL)
    fcntl.fcntl(m, fcntl.F_SETFL, fl | os.O_NONBLOCK)
    ports[pid] = {'m': m, 'open': False, 'out': bytearray()}
    send(OPENED, pid, path.encode())

def close_port(pid):
    p = ports.pop(pid, None)
    if p is not None:
        os.close(p['m'])
    send(CLOSED, pid)

def mark_closed(pid, p):
    if p['open']:
        p['open'] = False
        p['out'].clear()
        send(HOST_CLOSE, pid)

def handle_frame(kind, pid, payload):
    if kind == OPEN:
        open_port(pid)
    elif kind == CLOSE:
        close_port(pid)
    elif kind == DATA:
        p = ports.get(pid)
        if p is not None and p['open']:
            p['out'] += payload
    else:
        send(ERROR, pid, ('unknown frame type %d' % kind).encode())

def pump_stdin():
    global inbuf
    chunk = os.read(0, 1 << 20)
    if not chunk:
        sys.exit(0)
    inbuf += chunk
    while len(inbuf) >= 6:
        kind, pid, length = struct.unpack('>BBI', inbuf[:6])
        if len(inbuf) < 6 + length:
            break
        payload = bytes(inbuf[6:6 + length])
        del inbuf[:6 + length]
        handle_frame(kind, pid, payload)

def main():
    while True:
        for pid, p in list(ports.items()):
            if not p['open'] and host_has_it_open(p['m']):
                p['open'] = True
                send(HOST_OPEN, pid)
        poller = select.poll()
        if sum(len(p['out']) for p in ports.values()) < PAUSE_PENDING:
            poller.register(0, select.POLLIN)
        fds = {}
        for pid, p in ports.items():
            if p['open']:
                poller.register(p['m'], select.POLLIN | (select.POLLOUT if p['out'] else 0))
                fds[p['m']] = pid
        waiting = any(not p['open'] for p in ports.values())
        for fd, ev in poller.poll(OPEN_POLL_S * 1000 if waiting else None):
            if fd == 0:
                pump_stdin()
                continue
            pid = fds.get(fd)
            p = ports.get(pid)
            if p is None:
                continue
            if ev & select.POLLIN:
                try:
                    data = os.read(fd, 1 << 16)
                    if data:
                        send(DATA, pid, data)
                except OSError as e:
                    if e.errno == errno.EIO:
                        mark_closed(pid, p)
                        continue
                    raise
            if ev & select.POLLOUT and p['out']:
                try:
                    n = os.write(fd, p['out'])
                    del p['out'][:n]
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EIO):
                        raise
            if ev & select.POLLHUP and not ev & select.POLLIN:
                mark_closed(pid, p)

main()
`;
