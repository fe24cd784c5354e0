#!/usr/bin/env python3
"""Runs one tool and records its wall time (monotonic ns clock around the child alone, so the
`ip netns exec` and interpreter start-up are not charged to it) and its peak RSS (getrusage of
the waited-for children: the largest process of the tool's tree).

usage: tls_run.py TIMEFILE STDOUT STDERR -- COMMAND ARGS…   (writes "seconds max_rss_kb")"""
import resource
import subprocess
import sys
import time

time_file, out_file, err_file, sep, *command = sys.argv[1:]
assert sep == "--" and command, __doc__
with open(out_file, "wb") as out, open(err_file, "wb") as err:
    start = time.perf_counter_ns()
    proc = subprocess.run(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    elapsed = (time.perf_counter_ns() - start) / 1e9
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(time_file, "w") as f:
    f.write(f"{elapsed:.4f} {peak_kb}\n")
sys.exit(0)
