#!/usr/bin/env python3
# What a grading script runs as "server.py NAME": the herd server itself, in place of this process
# (exec), with the herd.json beside it and, when HERD_PLACES_URL is set, that Places endpoint.
import os, sys
here = os.path.dirname(os.path.abspath(__file__))
jar = os.environ.get("HERD_JAR", os.path.join(here, "herd-server.jar"))
args = ["java", "-jar", jar, sys.argv[1], "--config", os.path.join(here, "herd.json"),
        "--log-dir", os.path.join(here, "logs")]
if os.environ.get("HERD_PLACES_URL"):
    args += ["--places-url", os.environ["HERD_PLACES_URL"]]
os.execvp("java", args)
