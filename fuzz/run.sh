#!/bin/sh
# libFuzzer harness for the TLSWire record reader and handshake parsers.
#
# Builds fuzz/FlightFuzzer.swift together with every file of Sources/TLSWire (pure Swift, no
# dependencies) with `swiftc -sanitize=fuzzer,address`, seeds a corpus with the server flights
# captured in Tests/TLSWireTests/ServerFlights.swift, and runs libFuzzer.
#
# Usage: fuzz/run.sh [seconds]       (default 60; extra libFuzzer flags via FUZZ_FLAGS)
# Output: .build/fuzz/flight-fuzzer (binary), .build/fuzz/corpus (growing corpus), crash-* files
# in .build/fuzz when libFuzzer finds a crash (reproduce: .build/fuzz/flight-fuzzer CRASHFILE).
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build/fuzz
mkdir -p "$out/corpus"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name TLSWireFuzz \
    Sources/TLSWire/*.swift fuzz/FlightFuzzer.swift -o "$out/flight-fuzzer"
# Seed corpus: one file per captured flight (hex in ServerFlights.swift).
python3 - "$out/corpus" <<'PY'
import re, sys, pathlib
src = pathlib.Path("Tests/TLSWireTests/ServerFlights.swift").read_text()
for name, body in re.findall(r'static let (\w+): \[UInt8\] = bytes\("""(.*?)"""\)', src, re.S):
    data = bytes.fromhex("".join(body.split()))
    (pathlib.Path(sys.argv[1]) / f"seed-{name}").write_bytes(data)
PY
cd "$out"
exec ./flight-fuzzer -max_total_time="$seconds" -max_len=70000 -rss_limit_mb=1024 ${FUZZ_FLAGS:-} corpus
