#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Servers on 127.0.0.1 for the host tests of credctl's URI module.

    fetch_server.py DIR CERT KEY PORTFILE

serves HTTP and HTTPS (CERT/KEY) on two free ports and TFTP on a third, and
writes "HTTP HTTPS TFTP" to PORTFILE once all listen. HTTP paths:

    /ok              "hello\\n" (a query string is ignored)
    /auth            "hello\\n" with HTTP basic authentication u:s3cret, else 401
    /exact           DC_PROTO_BLOB_MAX bytes, /big one more (Content-Length),
    /big-stream      one more without Content-Length (ended by closing)
    /empty           nothing
    /status/N        status N
    /slow            waits 10 s before answering
    /redirect/N      N redirects, then /ok
    /to/URL          a redirect to URL (the rest of the path, %-decoded)
    PUT /upload/F    stores the body as DIR/upload/F (201)
    PUT /forbidden/F 403

TFTP serves DIR/tftp/F for reading and stores writes there.
"""
import base64
import http.server
import os
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

BLOB_MAX = 256 * 1024
DIR, CERT, KEY, PORTFILE = sys.argv[1:5]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def body(self, data, status=200, length=True):
        self.send_response(status)
        if length:
            self.send_header("Content-Length", str(len(data)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, where):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        p = self.path if self.path.startswith("/to/") else self.path.split("?", 1)[0]
        if p == "/ok":
            self.body(b"hello\n")
        elif p == "/auth":
            if self.headers.get("Authorization") == "Basic " + base64.b64encode(b"u:s3cret").decode():
                self.body(b"hello\n")
            else:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="devcred"')
                self.send_header("Content-Length", "0")
                self.end_headers()
        elif p == "/exact":
            self.body(b"A" * BLOB_MAX)
        elif p == "/big":
            self.body(b"B" * (BLOB_MAX + 1))
        elif p == "/big-stream":
            self.body(b"S" * (BLOB_MAX + 1), length=False)
        elif p == "/empty":
            self.body(b"")
        elif p.startswith("/status/"):
            self.body(b"no\n", status=int(p.split("/")[2]))
        elif p == "/slow":
            time.sleep(10)
            self.body(b"late\n")
        elif p.startswith("/redirect/"):
            n = int(p.split("/")[2])
            self.redirect("/redirect/%d" % (n - 1) if n > 1 else "/ok")
        elif p.startswith("/to/"):
            self.redirect(urllib.parse.unquote(p[len("/to/"):]))
        else:
            self.body(b"not found\n", status=404)

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        name = os.path.basename(self.path)
        if self.path.startswith("/upload/"):
            with open(os.path.join(DIR, "upload", name), "wb") as f:
                f.write(data)
            self.body(b"", status=201)
        else:
            self.body(b"forbidden\n", status=403)


def http_server(context=None):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    if context:
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


def tftp_transfer(peer, opcode, name):
    """One TFTP read (opcode 1) or write (2), from a port of its own."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(5)
    path = os.path.join(DIR, "tftp", os.path.basename(name))
    try:
        if opcode == 1:
            try:
                data = open(path, "rb").read()
            except OSError:
                s.sendto(struct.pack("!HH", 5, 1) + b"no such file\0", peer)
                return
            block = 1
            while True:
                chunk = data[(block - 1) * 512:block * 512]
                s.sendto(struct.pack("!HH", 3, block) + chunk, peer)
                s.recvfrom(1024)
                if len(chunk) < 512:
                    return
                block += 1
        else:
            out = b""
            s.sendto(struct.pack("!HH", 4, 0), peer)
            while True:
                pkt, _ = s.recvfrom(1024)
                op, block = struct.unpack("!HH", pkt[:4])
                if op != 3:
                    return
                out += pkt[4:]
                last = len(pkt) - 4 < 512
                if last:
                    # Stored before the last acknowledgement, as tftpd
                    # does: the client's upload has ended when it has it.
                    with open(path + ".part", "wb") as f:
                        f.write(out)
                    os.rename(path + ".part", path)
                s.sendto(struct.pack("!HH", 4, block), peer)
                if last:
                    break
    except socket.timeout:
        pass
    finally:
        s.close()


def tftp_server():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))

    def serve():
        while True:
            pkt, peer = s.recvfrom(1024)
            opcode = struct.unpack("!H", pkt[:2])[0]
            name = pkt[2:].split(b"\0")[0].decode()
            if opcode in (1, 2):
                threading.Thread(target=tftp_transfer, args=(peer, opcode, name),
                                 daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return s.getsockname()[1]


def main():
    os.makedirs(os.path.join(DIR, "upload"), exist_ok=True)
    os.makedirs(os.path.join(DIR, "tftp"), exist_ok=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(CERT, KEY)
    ports = (http_server(), http_server(ctx), tftp_server())
    with open(PORTFILE + ".new", "w") as f:
        f.write("%d %d %d\n" % ports)
    os.rename(PORTFILE + ".new", PORTFILE)
    while True:
        time.sleep(3600)


main()
