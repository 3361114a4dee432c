#!/bin/sh
# sme-csv: what LibreOffice Calc shows, with the defaults of its CSV import and with formulas evaluated
. "$(dirname "$0")/lib.sh"

HOME=$T
export HOME
# IDs a spreadsheet would turn into numbers, dates, booleans or formulas,
# and IDs with what needs care inside a formula (quote, control characters,
# the delimiter, > 255 bytes of UTF-8)
cat >all.jsonl <<'EOF'
{"meter":"00123","mpid":"CH0012345678901234567890123456789","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":1.5}
{"meter":"18446744073709551617","mpid":"0000000000000000000000000000000001","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":-0.001}
{"meter":"=1+1","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":123456789.125}
{"meter":"+41","obis":"2.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":1e3}
{"meter":"-5","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":0}
{"meter":"@SUM(A1:A2)","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":7}
{"meter":"1E5","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":9}
{"meter":"12-10","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":10}
{"meter":"1/2","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":14}
{"meter":"TRUE","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":11}
{"meter":"Zähler 1","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":12}
{"meter":"a\"b\"","mpid":"\"","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":1}
{"meter":"x;y,z","mpid":" sp ","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":2}
{"meter":"nl\nx\ty\u007f","obis":"1.8.0","unit":"kWh","time":"2026-11-01T00:00:00Z","value":4}
EOF
awk 'BEGIN { printf "{\"meter\":\""; for (i = 0; i < 120; i++) printf "é0"; printf "\",\"obis\":\"1.8.0\",\"unit\":\"kWh\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":3}\n" }' >>all.jsonl
sme-csv -z UTC all.jsonl >sheet.csv
sme-csv -P -z UTC all.jsonl >plain.csv
mkdir eval
cp sheet.csv eval/sheet.csv
cp plain.csv eval/plain.csv

# the cells of an .xlsx as LibreOffice saved them, against the CSV that
# sme-csv wrote: argv[1] the mode (defaults, evaluated), [2] the form
# (sheet, plain), [3] the xlsx, [4] the CSV written, [5] the -P CSV
cat >cells.py <<'EOF'
import csv, re, sys, zipfile
import xml.etree.ElementTree as ET
mode, form, xlsx, wrote, plainf = sys.argv[1:6]
ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
z = zipfile.ZipFile(xlsx)
ss = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns):
        ss.append(''.join(t.text or '' for t in si.iter('{%s}t' % ns['m'])))
cells = {}
for c in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter('{%s}c' % ns['m']):
    col, row = re.match(r'([A-Z]+)(\d+)', c.get('r')).groups()
    f, v = c.find('m:f', ns), c.find('m:v', ns)
    t, v = c.get('t', 'n'), v.text if v is not None else ''
    if t == 's':
        v = ss[int(v)]
    cells[(int(row) - 1, ord(col) - 65)] = (t, f is not None, v)
def read(p):
    return list(csv.reader(open(p, newline='', encoding='utf-8'), delimiter=';'))
written, plain = read(wrote), read(plainf)
bad, ids, nums = [], 0, 0
for r in range(1, len(plain)):
    for col in range(len(plain[r])):
        want, got = plain[r][col], cells.get((r, col))
        if want == '':
            if got is not None:
                bad.append(('cell should be empty', r, col, got))
            continue
        if got is None:
            bad.append(('cell missing', r, col, want))
            continue
        t, isf, v = got
        if col <= 1:
            ids += 1
            if form == 'plain':
                ok = t in ('s', 'str') and not isf and v == want
            elif mode == 'evaluated':
                # the formula's value is the ID, as text
                ok = t == 'str' and isf and v == want
            else:
                # formulas not evaluated: the cell is the formula's text
                ok = t == 's' and not isf and v == written[r][col]
            if not ok:
                bad.append(('ID', r, col, want, got))
        elif col == 2:
            if t != 's' or isf or v != want:
                bad.append(('time not the text written', r, col, want, got))
        else:
            nums += 1
            if t != 'n' or isf or float(v) != float(want):
                bad.append(('value not the number written', r, col, want, got))
print('%d IDs, %d values; wrong: %r' % (ids, nums, bad[:4]))
sys.exit(1 if bad or not ids or not nums else 0)
EOF

# LibreOffice in headless mode has no dialog: the import options are
# given as the filter options that the dialog would pass (tokens: separators
# , ; tab; text delimiter "; UTF-8; from line 1; no column types; language
# of the system; 7 quoted field as text; 8 detect special numbers; 13
# evaluate formulas)
soffice=$(command -v soffice || command -v libreoffice)
if [ -z "$soffice" ]; then
	ok 1 'soffice is not installed (make deps installs libreoffice-calc-nogui)'
	done_testing
	exit
fi
lo() {	# lo DIR QUOTED-AS-TEXT DETECT-SPECIAL EVALUATE
	(cd "$1" && "$soffice" -env:UserInstallation="file://$T/profile" --headless \
	    --infilter="CSV:44/59/9,34,76,1,,0,$2,$3,false,false,false,false,$4" \
	    --convert-to xlsx sheet.csv plain.csv >lo.out 2>&1)
}
ver=$("$soffice" --version 2>/dev/null)
echo "# $ver"

# the defaults of the import dialog, as this LibreOffice ships them
xcd=$(dirname "$(readlink -f "$soffice")")/../share/registry/main.xcd
defaults=$(/usr/bin/python3 - "$xcd" <<'EOF'
import re, sys
x = open(sys.argv[1], encoding='utf-8').read()
g = re.search(r'<group oor:name="CSVImport">(.*?)</group>', x, re.S).group(1)
for k in ('QuotedFieldAsText', 'DetectSpecialNumbers', 'EvaluateFormulas'):
    print(k, re.search(r'oor:name="%s".*?<value>(\w+)</value>' % k, g, re.S).group(1))
EOF
)
[ "$defaults" = "QuotedFieldAsText false
DetectSpecialNumbers false
EvaluateFormulas false" ]
ok $? "the import dialog's defaults: quoted field as text, detect special numbers and evaluate formulas off ($(echo $defaults))"

lo . false false false
ok $? 'LibreOffice converts both forms with the dialog defaults'
out=$(/usr/bin/python3 cells.py defaults sheet sheet.xlsx sheet.csv plain.csv)
ok $? "defaults: each ID is shown as its formula's text, =\"00123\"; values are numbers, times text; $out"
out=$(/usr/bin/python3 cells.py defaults plain plain.xlsx plain.csv plain.csv)
[ $? -ne 0 ] && case $out in *"'00123', ('n', False, '123')"*) true ;; *) false ;; esac
ok $? "defaults: the plain form (-P) turns meter 00123 into the number 123 ($out)"

lo eval false true true
ok $? 'LibreOffice converts both forms with formulas evaluated and special numbers detected'
out=$(/usr/bin/python3 cells.py evaluated sheet eval/sheet.xlsx sheet.csv plain.csv)
ok $? "evaluated: every ID is shown exactly, as text, none of the data evaluated; $out"
/usr/bin/python3 - eval/plain.xlsx <<'EOF'
import re, sys, zipfile
x = zipfile.ZipFile(sys.argv[1]).read('xl/worksheets/sheet1.xml').decode()
# meter =1+1 evaluated: a formula cell whose value is 2
sys.exit(0 if re.search(r'<c r="B\d+"[^>]*><f[^>]*>1\+1</f><v>2</v>', x) else 1)
EOF
ok $? 'evaluated: the plain form (-P) lets meter =1+1 run as a formula'
done_testing
