# real-server.py - a small HTTP server for t-real-python-server: it binds
# an ephemeral port on 127.0.0.1, prints "port N", and answers each GET
# with the number of requests served so far and its pid.
import http.server
import os


class Handler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        Handler.hits += 1
        body = ("hit %d pid %d\n" % (Handler.hits, os.getpid())).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], flush=True)
server.serve_forever()
