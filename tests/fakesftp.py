# sme: a fake SFTP subsystem for the upload tests (run by sshd as Subsystem); licence in COPYING
#
#   python3 fakesftp.py MODEFILE LOG
#
# MODEFILE holds the mode; every request is logged in LOG, and what the
# server holds (name and size) is written to LOG.state after each request.
# Modes: stall (the first WRITE is never answered, nothing more is read),
# slow (each WRITE answered after 0.25 s), limits/nolimits (limits@openssh.com
# answered or not; WRITEs logged), nosize/wrongsize (FSTAT without a size, or
# one byte off), dropopen (the session ends at OPEN), norename/v3rename/
# stuck/dropaside (posix-rename refused; RENAME fails, works, fails for the
# temporary file, or ends the session after moving the old file aside).
import struct, sys, time
mode = open(sys.argv[1]).read().strip()
logname = sys.argv[2]
inp, out = sys.stdin.buffer, sys.stdout.buffer
log = open(logname, 'a', buffering=1)
sizes = {}
if mode in ('norename', 'v3rename', 'stuck', 'dropaside'):
    sizes['in/b.csv'] = 99	# the old file
state = open(sys.argv[2] + '.state', 'w', buffering=1)

def rd(n):
    b = inp.read(n)
    if len(b) < n:
        sys.exit(0)
    return b

def send(t, i, body):
    p = struct.pack('>BI', t, i) + body
    out.write(struct.pack('>I', len(p)) + p)
    out.flush()

def status(i, code):
    send(101, i, struct.pack('>III', code, 0, 0))

def attrs(i, size):
    send(105, i, struct.pack('>IQ', 1, size) if size is not None else struct.pack('>I', 0))

while True:
    n, = struct.unpack('>I', rd(4))
    p = rd(n)
    t = p[0]
    if t == 1:	# INIT
        out.write(struct.pack('>IBI', 5, 2, 3))
        out.flush()
        continue
    i, = struct.unpack('>I', p[1:5])
    b = p[5:]
    def s(off):
        l, = struct.unpack('>I', b[off:off + 4])
        return b[off + 4:off + 4 + l].decode(), off + 4 + l
    if t == 3:	# OPEN
        name, _ = s(0)
        log.write('OPEN %s\n' % name)
        if mode == 'dropopen':
            sys.exit(0)
        sizes[name] = 0
        send(102, i, struct.pack('>I', len(name)) + name.encode())
    elif t == 6:	# WRITE
        if mode == 'stall':	# reads no more: the client's window fills
            time.sleep(30)
            sys.exit(0)
        if mode == 'slow':	# each WRITE answered after 0.25 s
            time.sleep(0.25)
        h, off = s(0)
        o, = struct.unpack('>Q', b[off:off + 8])
        l, = struct.unpack('>I', b[off + 8:off + 12])
        if mode in ('limits', 'nolimits'):
            log.write('WRITE %d %d\n' % (o, l))
        sizes[h] = max(sizes[h], o + l)
        status(i, 0)
    elif t == 8:	# FSTAT
        h, _ = s(0)
        log.write('FSTAT %s\n' % h)
        attrs(i, None if mode == 'nosize' else sizes[h] + (mode == 'wrongsize'))
    elif t in (7, 17):	# LSTAT, STAT
        name, _ = s(0)
        log.write('STAT %s\n' % name)
        if name not in sizes:
            status(i, 2)
        else:
            attrs(i, None if mode == 'nosize' else sizes[name])
    elif t == 4:	# CLOSE
        status(i, 0)
    elif t == 13:	# REMOVE
        name, _ = s(0)
        log.write('REMOVE %s\n' % name)
        status(i, 0 if sizes.pop(name, None) is not None else 2)
    elif t == 200:	# EXTENDED
        ext, off = s(0)
        if ext == 'limits@openssh.com':	# not logged: asked on every login
            if mode == 'limits':
                send(201, i, struct.pack('>QQQQ', 34000, 32768, 32768, 64))
            else:
                status(i, 8)
            continue
        a, off = s(off)
        z, off = s(off)
        log.write('%s %s %s\n' % (ext, a, z))
        if mode in ('norename', 'v3rename', 'stuck', 'dropaside'):
            status(i, 8)	# OP_UNSUPPORTED
            continue
        sizes[z] = sizes.pop(a, 0)
        status(i, 0)
    elif t == 18:	# RENAME (version 3: never replaces)
        a, off = s(0)
        z, off = s(off)
        log.write('RENAME %s %s\n' % (a, z))
        if mode == 'dropaside' and z.endswith('.old'):	# done, then gone
            sizes[z] = sizes.pop(a)
            state.seek(0)
            state.truncate()
            state.write(''.join('%s %d\n' % (k, sizes[k]) for k in sorted(sizes)))
            state.flush()
            sys.exit(0)
        if mode == 'norename' or z in sizes or a not in sizes or \
           (mode == 'stuck' and a.endswith('.part')):
            status(i, 4)	# FAILURE
        else:
            sizes[z] = sizes.pop(a)
            status(i, 0)
    else:
        status(i, 8)
    state.seek(0)
    state.truncate()
    state.write(''.join('%s %d\n' % (k, sizes[k]) for k in sorted(sizes)))
