# loopback-servers.py MODE PORT [CERT KEY [DATE]] | proxy PORT LOG
# Servers on 127.0.0.1 that misbehave, for the Wine suites (start_py, lib.sh).
#   silent      accepts TCP connections and never sends a byte
#   tls-silent  completes the TLS handshake, then never answers
#   answer      answers HEAD with a 200 whose Date header is DATE (none
#               when DATE is not given)
#   proxy       a CONNECT-only HTTP proxy that logs each request line
#   refusing-proxy  logs each request line and answers 403 Forbidden
import socket, ssl, sys, threading, time
mode, port = sys.argv[1], int(sys.argv[2])
ctx = None
date = sys.argv[5] if len(sys.argv) > 5 else None
if mode in ("tls-silent", "answer"):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
log = open(sys.argv[3], "a") if mode.endswith("proxy") else None
held = []
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
def handle(c):
    try:
        if mode == "silent":
            held.append(c); return
        if mode.endswith("proxy"):
            head = b""
            while b"\r\n\r\n" not in head:
                d = c.recv(4096)
                if not d: return
                head += d
            line = head.split(b"\r\n")[0].decode()
            log.write(line + "\n"); log.flush()
            if mode == "refusing-proxy":
                c.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                c.close(); return
            verb, target = line.split()[0:2]
            if verb != "CONNECT":
                c.sendall(b"HTTP/1.1 405 Only CONNECT\r\nContent-Length: 0\r\n\r\n"); return
            host, p = target.rsplit(":", 1)
            u = socket.create_connection((host, int(p)))
            c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            threading.Thread(target=pump, args=(c, u), daemon=True).start()
            pump(u, c); return
        t = ctx.wrap_socket(c, server_side=True)
        held.append(t)
        if mode == "tls-silent":
            return
        data = b""
        while b"\r\n\r\n" not in data:
            d = t.recv(4096)
            if not d: return
            data += d
        t.sendall(b"HTTP/1.1 200 OK\r\n"
                  + (b"Date: " + date.encode() + b"\r\n" if date is not None else b"")
                  + b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        time.sleep(0.5)
        t.close()
    except Exception:
        pass
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
