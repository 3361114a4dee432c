# sme: a TCP proxy on 127.0.0.1 that delays every byte D ms each way, for benchmarks; licence in COPYING
#
#   python3 bench/delay.py PORT TARGET D
#
# Listens on 127.0.0.1:PORT and forwards each connection to 127.0.0.1:TARGET.
# Every chunk read is written on D milliseconds after it arrived, in both
# directions and in order: a round trip of 2 D, no rate limit (netem's delay
# without netem).  Up to HOLD bytes wait in each direction; past that it
# stops reading, as a full network would.  Once it listens it prints "ready
# PORT" on standard output (PORT 0: one the system picks).  Python standard
# library only.

import asyncio
import sys

HOLD = 64 << 20


async def pump(reader, writer, delay):
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    held = 0
    room = asyncio.Event()
    room.set()

    async def out():
        nonlocal held
        while True:
            t, data = await q.get()
            if data is None:
                break
            wait = t + delay - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            held -= len(data)
            if held < HOLD:
                room.set()
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()

    task = asyncio.create_task(out())
    try:
        while True:
            await room.wait()
            data = await reader.read(1 << 18)
            q.put_nowait((loop.time(), data or None))
            if not data:
                break
            held += len(data)
            if held >= HOLD:
                room.clear()
        await task
    except (ConnectionError, OSError):
        task.cancel()
        writer.close()


async def main():
    port, target, delay = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000

    async def conn(cr, cw):
        try:
            sr, sw = await asyncio.open_connection('127.0.0.1', target)
        except OSError:
            cw.close()
            return
        await asyncio.gather(pump(cr, sw, delay), pump(sr, cw, delay),
                             return_exceptions=True)
        sw.close()
        cw.close()

    srv = await asyncio.start_server(conn, '127.0.0.1', port)
    print('ready', srv.sockets[0].getsockname()[1], flush=True)
    async with srv:
        await srv.serve_forever()


if len(sys.argv) != 4:
    sys.exit('usage: python3 bench/delay.py PORT TARGET D')
try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass
