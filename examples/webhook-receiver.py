#!/usr/bin/env python3
"""A webhook receiver for trying obs's notifications (README, "Notifications"): listens on
127.0.0.1:9099, checks each POST's X-Obs-Signature with docs/verify-signature.py's verify()
when OBS_WEBHOOK_SECRET is set, and prints the notification."""
import json, os, pathlib, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

exec(pathlib.Path(__file__).resolve().parent.parent.joinpath("docs/verify-signature.py").read_text())
SECRET = os.environ.get("OBS_WEBHOOK_SECRET", "").encode()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        signed = "signature ok" if SECRET and verify(SECRET, self.headers, body) else "unsigned or BAD signature"
        payload = json.loads(body)
        alerts = payload.get("alerts", payload) if isinstance(payload, dict) else payload
        print(f"{self.path} {payload.get('status', '') if isinstance(payload, dict) else ''} "
              f"{len(alerts)} alert(s), key {self.headers.get('Idempotency-Key')}, {signed}", flush=True)
        for alert in alerts:
            print("   ", alert.get("status", ""), json.dumps(alert.get("labels", {}), sort_keys=True),
                  alert.get("annotations", {}).get("summary", ""), flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


port = int(sys.argv[1]) if len(sys.argv) > 1 else 9099
HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
