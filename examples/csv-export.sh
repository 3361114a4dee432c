#!/bin/sh
# sme example: the product's CSV test file, from the sample data; licence in COPYING
cd "$(dirname "$0")" || exit 6
cols='1-0: 1.8.0 * 255; 1-0: 1.8.1 * 255; 1-0: 1.8.2 * 255; 1-0: 2.8.0 * 255; 1-0 : 2.8.1 * 255; 1-0: 2.8.2 * 255; '
sme-obis -t csv -k "$cols" sample.jsonl | sme-csv -c "$cols"
