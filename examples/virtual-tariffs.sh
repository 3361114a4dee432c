#!/bin/sh
# sme example: virtual-tariff feed values for IS-E (1-5:1.9.<tariff>); licence in COPYING
cd "$(dirname "$0")" || exit 6
sme-obis -v -f -t ise tariffs.jsonl
