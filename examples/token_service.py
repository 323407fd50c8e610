#!/usr/bin/env python3
"""A stand-in for real infrastructure: an HTTP service that answers 200 only
to requests carrying ``Authorization: Bearer <token>`` with the token it was
started with (401 otherwise). Used by the README walk-through.

    python3 examples/token_service.py --port 8080 --token good
"""

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--token", default="good")
    args = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            auth = self.headers.get("Authorization", "")
            ok = auth == "Bearer " + args.token
            body = json.dumps({"ok": True, "path": self.path} if ok else {"error": "token expired or invalid"}).encode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            print("%s %s -> %d" % (self.command, self.path, 200 if ok else 401), flush=True)

        do_GET = do_POST = _answer

        def log_message(self, *_):
            pass

    print("token service on http://127.0.0.1:%d (accepts token %r)" % (args.port, args.token), flush=True)
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
