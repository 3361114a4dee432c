#!/bin/sh
# sme-fetch: the inventory (-L devices, -L folders) and virtual tariffs (-v, -T)
. "$(dirname "$0")/lib.sh"
. "$top/tests/standin.sh"
standin
AE='"format":"mscons 2.2e","upload":"SFTP","interval":"daily"'
TS='-T Solar=1 -T "Netz HT=2" -T "Netz NT=3"'
N=533a1729-e9bd-5884-980a-bef35449006e

check 'usage: -L with a period' 'sme-fetch -L devices -f 2026-11-01' <<EOF
>>>2
sme-fetch: -L lists the inventory: no meter, -f, -t, -m or -u
>>>= 2
EOF

check 'usage: -L of something else' 'sme-fetch -L meters' <<EOF
>>>2
sme-fetch: -L: "meters": devices or folders
>>>= 2
EOF

check 'usage: -v needs folders and no meters' 'sme-fetch -v -f 2026-11-01 -t 2026-11-02 1001' <<EOF
>>>2
sme-fetch: -v reads the virtual tariffs of folders: give -F and no meter
>>>= 2
EOF

check 'usage: -T without -v' 'sme-fetch -T Solar=1 -F /Nord -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
usage: sme-fetch [-a url] [-A auth-file] [-F folder] ... [-f from] [-t to] [-i interval] [-z zone] [-j jobs] [-m mpid] [-u scale] [-v [-T name=number ...]] [-L devices | folders] [meter ...]
>>>= 2
EOF

check 'usage: -T with a bad number' 'sme-fetch -v -T Solar=256 -F /Nord -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
sme-fetch: -T: "Solar=256": the number is 0 to 255
>>>= 2
EOF

check '-L devices: serials as strings (negative, above 2^53), energy by name, folder and Auto Export' 'sme-fetch -L devices' <<EOF
>>>
{"id":"474635c3-bbf3-5f44-9595-7b1d4609c5bc","serial":"-231328692","name":"#1 Parkplatz oben (#1)","energy":"electricity","folder":"/Nord/Haus 4","mpid":"CH1234501234500000000000000104001",$AE}
{"id":"c4658dba-e558-5f13-8895-58fe59086a94","serial":"1001","name":"Haus 3 Wohnung 1","energy":"electricity","folder":"/Nord/Haus 3","mpid":"CH1234501234500000000000000101001",$AE}
{"id":"df8e860e-10ef-545d-bcaa-b19538213505","serial":"1002","name":"Haus 3 Wohnung 2","energy":"electricity","folder":"/Nord/Haus 3","mpid":"CH1234501234500000000000000101002",$AE}
{"id":"440e64c2-8c73-5954-be7d-3b069bbcce41","serial":"1003","name":"Haus 3 Garage (offline)","energy":"electricity","folder":"/Sued/Haus 3"}
{"id":"ff0104dd-19ff-5978-ac34-a55486c9e5b7","serial":"1004","name":"Haus 3 Keller","energy":"electricity","folder":"/Sued/Haus 3"}
{"id":"f4d51c8d-861e-5010-88c7-4cc30a56d424","serial":"1005","name":"Labor (fits no scale)","energy":"electricity","folder":"/Labor"}
{"id":"8cc33ee1-39ab-575a-9922-49d488f9660e","serial":"2001","name":"Wasser Haus 3","energy":"water","folder":"/Sued/Wasser"}
{"id":"16296fda-8797-5b3a-bd60-7316bc4355ff","serial":"12345","name":"Haus 3 Allgemein","energy":"electricity","folder":"/Sued/Haus 3"}
{"id":"fb49f7d6-9a6b-59d7-90d5-46f0c8bdae87","serial":"9007199254740993","name":"Haus 3 Waermepumpe","energy":"electricity","folder":"/Sued/Haus 3"}
EOF

check '-L devices -F: the devices under a folder' 'sme-fetch -L devices -F "/Nord/Haus 3" | cut -d, -f2' <<EOF
>>>
"serial":"1001"
"serial":"1002"
EOF

check '-L folders: paths, meter counts, Auto Export settings; sorted by path' 'sme-fetch -L folders' <<EOF
>>>
{"id":"3e41cf07-644b-5465-b0a4-8ea67144430d","name":"Labor","folder":"/Labor","meters":1}
{"id":"$N","name":"Nord","folder":"/Nord","meters":3,"mpid":"CH1234501234500000000000000100000",$AE}
{"id":"ce0d21b2-af05-593e-ba9d-c45cbfb80ff7","name":"Haus 3","folder":"/Nord/Haus 3","meters":2}
{"id":"8e6000c5-4ee6-5cdc-8a5a-6e6f18686ba6","name":"Haus 4","folder":"/Nord/Haus 4","meters":1}
{"id":"535ee914-bfa8-53fe-9931-c5d47991d76f","name":"Sued","folder":"/Sued","meters":5}
{"id":"e514445a-5058-587b-9a13-6915d1afbed0","name":"Haus 3","folder":"/Sued/Haus 3","meters":4}
{"id":"83c042a7-2eff-500c-ad82-2f9d42242115","name":"Wasser","folder":"/Sued/Wasser","meters":1}
EOF

check '-L folders -F: one subtree' 'sme-fetch -L folders -F Sued | cut -d, -f3' <<EOF
>>>
"folder":"/Sued"
"folder":"/Sued/Haus 3"
"folder":"/Sued/Wasser"
EOF

check '-v: a tariff without a number is an error naming it' 'sme-fetch -v -T Solar=1 -F /Nord -f 2026-11-01 -t 2026-11-02' <<EOF
>>>2
sme-fetch: virtual tariff "Netz HT" of /Nord has no number: give -T 'Netz HT=N'
>>>= 2
EOF

check '-v: the tariff registers on the grid, by time and tariff number, with the folder mpid' \
    "sme-fetch -v $TS -F /Nord -i 1h -f 2026-11-01 -t 2026-11-01T01:00:00Z" <<EOF
>>>
{"meter":"$N","mpid":"CH1234501234500000000000000100000","obis":"1-0:1.8.0*255","time":"2026-10-31T23:00:00Z","value":1179.660,"unit":"kWh","tariff":1}
{"meter":"$N","mpid":"CH1234501234500000000000000100000","obis":"1-0:1.8.0*255","time":"2026-10-31T23:00:00Z","value":3468.160,"unit":"kWh","tariff":2}
{"meter":"$N","mpid":"CH1234501234500000000000000100000","obis":"1-0:1.8.0*255","time":"2026-10-31T23:00:00Z","value":2167.520,"unit":"kWh","tariff":3}
{"meter":"$N","mpid":"CH1234501234500000000000000100000","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":1179.808,"unit":"kWh","tariff":1}
{"meter":"$N","mpid":"CH1234501234500000000000000100000","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":3468.608,"unit":"kWh","tariff":2}
{"meter":"$N","mpid":"CH1234501234500000000000000100000","obis":"1-0:1.8.0*255","time":"2026-11-01T00:00:00Z","value":2167.776,"unit":"kWh","tariff":3}
EOF

check '-v: grid points after the last calculation are missing: exit 1' \
    "sme-fetch -v $TS -F /Nord -i 1d -f 2026-11-30 -t 2026-12-02T23:00:00Z | cut -d, -f4 | uniq -c | sed 's/^ *//'" <<EOF
>>>
3 "time":"2026-11-29T23:00:00Z"
3 "time":"2026-11-30T23:00:00Z"
>>>2
sme-fetch: /Nord: no virtual tariff values from 2026-12-01T23:00:00Z to 2026-12-02T23:00:00Z (last calculated at 2026-12-01T06:00:00Z)
EOF
sh -c "sme-fetch -v $TS -F /Nord -i 1d -f 2026-11-30 -t 2026-12-02T23:00:00Z" >/dev/null 2>&1
[ $? -eq 1 ]
ok $? "... and exits 1"

check '-v into sme-obis: feed values for IS-E' \
    "sme-fetch -v $TS -F /Nord -i 1d -f 2026-11-29 -t 2026-12-01 | sme-obis -v -f -t ise | cut -d, -f3,6 " <<EOF
>>>
"obis":"1-5:1.9.1*255","value":3.552
"obis":"1-5:1.9.2*255","value":10.752
"obis":"1-5:1.9.3*255","value":6.144
EOF

done_testing
