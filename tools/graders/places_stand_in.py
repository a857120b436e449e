#!/usr/bin/env python3
"""A loopback stand-in for Google's legacy Nearby Search, for grading runs: every query is answered
"OK" with the same three places, at once. The graders check the shape of the answer (status OK, at
most the bound's number of results), not the places.

    python3 places_stand_in.py PORT
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = json.dumps({
    "html_attributions": [],
    "results": [{"name": "Place %d" % i, "place_id": "stand-in-%d" % i, "vicinity": "Somewhere",
                 "geometry": {"location": {"lat": 34.07, "lng": -118.44}}, "types": ["point_of_interest"]}
                for i in range(3)],
    "status": "OK"}).encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
