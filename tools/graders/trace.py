#!/usr/bin/env python3
"""Reads the servers' protocol logs (NAME.lines.log, and any rotated NAME.lines.log.N) of a grading run (grade.sh keeps them) and lists every IAMAT and WHATSAT
about the scripts' clients in time order, marking each WHATSAT answer that is not the newest record:
an older record (the server had no path from the IAMAT's server) or "unknown client".

    python3 tools/graders/trace.py /tmp/herd-spring2020-logs
"""
import glob
import os
import re
import sys

LINE = re.compile(r"(\S+) INFO  lines \[[^\]]*\] /127\.0\.0\.1:\d+ (.*)")


def main(folder):
    events = []
    for path in glob.glob(os.path.join(folder, "*.lines.log*")):
        server = os.path.basename(path).split(".lines.log")[0]
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = LINE.match(line)
                if m and " client" in m.group(2):
                    events.append((m.group(1), server, m.group(2)))
    events.sort()
    newest = {}
    for time, server, text in events:
        text = re.sub(r" \+ Places JSON \(\d+ bytes\)", "", text)
        if text.startswith("<- IAMAT"):
            record = text.split("=> ", 1)[1].strip()
            newest[record.split()[3]] = record
            print("%s %-9s IAMAT   -> %s" % (time[11:23], server, record))
        elif text.startswith("-> AT"):
            record = text[3:].strip()
            mark = "" if newest.get(record.split()[3]) == record else "   [an older record]"
            print("%s %-9s WHATSAT -> %s%s" % (time[11:23], server, record, mark))
        elif "[unknown client]" in text:
            print("%s %-9s WHATSAT -> ? (unknown client)" % (time[11:23], server))


if __name__ == "__main__":
    main(sys.argv[1])
