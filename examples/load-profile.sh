#!/bin/sh
# sme example: 15-minute load-profile values in the MSCONS dialect; licence in COPYING
cd "$(dirname "$0")" || exit 6
sme-obis -p -t mscons -x '1.8.1; 1.8.2; 2.8.1; 2.8.2' sample.jsonl
