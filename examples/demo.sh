#!/bin/sh
# sme: the main job end to end on bundled data, with no account; licence in COPYING
# API stand-in -> sme-fetch -> sme-obis -> sme-mscons -> sme-upload file://
# (and the CSV export of the bundled sample, beside it)
set -e
cd "$(dirname "$0")/.."
top=$PWD
PATH="$top:$PATH"
demo=${SME_DEMO_DIR:-$top/demo}	# where the demo writes; made anew
out=$demo/out
outbox=$demo/outbox
rm -rf "$demo"
mkdir -p "$out" "$outbox"

echo "== the smart-me API stand-in (tests/standin.py) on 127.0.0.1"
/usr/bin/python3 tests/standin.py -p "$demo/port" &
standin=$!
trap 'kill $standin 2>/dev/null' EXIT
i=0
while [ ! -s "$demo/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
SME_API_URL=http://127.0.0.1:$(cat "$demo/port")
SME_API_KEY=demo-key	# the stand-in's key: a real one comes from the environment or -A
export SME_API_URL SME_API_KEY
echo "SME_API_URL=$SME_API_URL"
sme-fetch -L folders

echo "== readings of the folder /Nord for 2026-11-01 (Europe/Zurich), and the reading at its end"
sme-fetch -F /Nord -f 2026-11-01 -t 2026-11-02T00:15:00+01:00 >"$out/readings.jsonl"
wc -l <"$out/readings.jsonl" | sed 's/^ */records: /'
head -n 1 "$out/readings.jsonl"

echo "== load profile (15-minute values) for MSCONS"
sme-obis -k '1.8.0;2.8.0' -p -t mscons "$out/readings.jsonl" >"$out/profile.jsonl"
wc -l <"$out/profile.jsonl" | sed 's/^ */intervals: /'

echo "== MSCONS 2.4a interchange"
edi=$(sme-mscons -r 2.4a -s 9900000000001 -R 9900000000002 -n DEMO1 -N DEMO1 \
    -o "$out" "$out/profile.jsonl")
echo "$edi"
head -c 300 "$edi"; echo ...

echo "== CSV export of the bundled sample (examples/sample.jsonl), product columns"
sh examples/csv-export.sh >"$out/export.csv"
head -n 3 "$out/export.csv"

echo "== upload to file://$outbox/"
sme-upload "file://$outbox/" "$edi" "$out/export.csv"
ls -l "$outbox"

echo "== sme-export: the example MSCONS job (examples/export/) against the stand-in"
mkdir -p "$demo/sme"
sed "s|file:///tmp/sme-outbox/|file://$outbox/|" examples/export/config.json >"$demo/sme/config.json"
printf 'SME_API_KEY = demo-key\n' >"$demo/sme/api.auth"	# the stand-in's key
chmod 600 "$demo/sme/api.auth"
SME_PARTNER_CONFIG=$top/examples/export/partner.json	# the utility's shared settings
export SME_PARTNER_CONFIG
sme-export -c "$demo/sme/config.json" -s "$demo/state" --now 2026-10-27T12:00:00Z run m1001
sme-export -c "$demo/sme/config.json" -s "$demo/state" --now 2026-10-27T12:00:00Z status m1001
ls -l "$outbox"
