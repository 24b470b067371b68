"""A fault-injecting TCP proxy for tests/s3/check.py.

It sits between vpcflow and the local S3 server (127.0.0.1) and passes
bytes both ways, but for requests whose first line holds a trigger:

  drop:  after `budget` bytes of the answer, both connections are closed
         (a connection dropped mid-object), the first `times` times;
  stall: after `budget` bytes of the answer nothing more is passed on and
         the connection stays open until the client gives up (a server
         that stops answering), every time.

Connections are kept alive by libcurl, so each request seen on a
connection arms the rule for the answer that follows it. The Range header
of every request is recorded (`ranges`), to show that a dropped transfer
was resumed from the byte it reached.
"""
import socket
import threading


class FaultProxy:
    def __init__(self, upstream_port):
        self.upstream = ('127.0.0.1', upstream_port)
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(('127.0.0.1', 0))
        self.lsock.listen(64)
        self.port = self.lsock.getsockname()[1]
        self.rules = []          # [trigger, kind, budget, times]
        self.count = {}          # trigger -> times fired
        self.ranges = []         # (path, range header value)
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def add(self, trigger, kind, budget, times=10**9):
        self.rules.append((trigger.encode(), kind, budget, times))

    def _accept(self):
        while True:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        try:
            u = socket.create_connection(self.upstream)
        except OSError:
            c.close()
            return
        st = {'budget': None, 'kind': None}
        t = threading.Thread(target=self._down, args=(c, u, st), daemon=True)
        t.start()
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                self._arm(data, st)
                u.sendall(data)
        except OSError:
            pass
        for s in (u, c):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        t.join(5)
        u.close()
        c.close()

    def _arm(self, data, st):
        line = data.split(b'\r\n', 1)[0]
        if not line.startswith((b'GET ', b'HEAD ', b'PUT ')):
            return
        path = line.split(b' ')[1]
        for h in data.split(b'\r\n')[1:]:
            if h.lower().startswith(b'range:'):
                with self.lock:
                    self.ranges.append((path.decode(), h.split(b':', 1)[1].strip().decode()))
        st['budget'] = None
        for trig, kind, budget, times in self.rules:
            if trig in path:
                with self.lock:
                    n = self.count.get(trig, 0)
                    if n >= times:
                        continue
                    self.count[trig] = n + 1
                st['budget'], st['kind'] = budget, kind
                break

    def _down(self, c, u, st):
        try:
            while True:
                data = u.recv(65536)
                if not data:
                    break
                b = st['budget']
                if b is not None:
                    part = data[:b]
                    if part:
                        c.sendall(part)
                    st['budget'] = b - len(part)
                    if st['budget'] <= 0 and len(data) >= b:
                        if st['kind'] == 'drop':
                            # the answer stops short of its Content-Length
                            for s in (c, u):
                                try:
                                    s.shutdown(socket.SHUT_RDWR)
                                except OSError:
                                    pass
                            return
                        # stall: keep the client waiting; read no more
                        return
                    continue
                c.sendall(data)
        except OSError:
            pass
        try:
            c.shutdown(socket.SHUT_WR)
        except OSError:
            pass
