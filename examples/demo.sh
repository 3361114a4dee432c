#!/bin/sh
# sme: the sample export end to end, with the programs that exist; licence in COPYING
# sample readings -> OBIS dialect -> file -> upload to a local folder
set -e
cd "$(dirname "$0")/.."
PATH="$PWD:$PATH"
demo=${SME_DEMO_DIR:-$PWD/demo}	# where the demo writes; made anew
out=$demo/out
outbox=$demo/outbox
rm -rf "$demo"
mkdir -p "$out" "$outbox"

echo "== load profile (15-minute values) for MSCONS, from examples/sample.jsonl"
sh examples/load-profile.sh >"$out/profile.jsonl"
wc -l <"$out/profile.jsonl" | sed 's/^/records: /'
head -n 2 "$out/profile.jsonl"

if [ -x ./sme-mscons ]; then
	echo "== MSCONS interchange"
	sme-mscons "$out/profile.jsonl" >"$out/export.edi"
	file=$out/export.edi
fi

if [ -x ./sme-csv ]; then
	echo "== CSV export with the product's column list"
	sh examples/csv-export.sh >"$out/export.csv"
	head -n 3 "$out/export.csv"
	file=${file:-$out/export.csv}
fi

if [ -x ./sme-upload ] && [ -n "$file" ]; then
	echo "== upload to file://$outbox/"
	sme-upload "file://$outbox/" "$file"
	ls -l "$outbox"
fi
