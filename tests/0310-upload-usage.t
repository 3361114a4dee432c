#!/bin/sh
# sme-upload: options, urls, local files, secrets: all refused before any connection; licence in COPYING
. "$(dirname "$0")/lib.sh"
sum() { sha256sum <"$1" | cut -d' ' -f1; }
unset SME_UPLOAD_TIMEOUT SME_UPLOAD_BACKOFF SME_UPLOAD_TLS_MAX
HOME=$T
export HOME
U='usage: sme-upload [-C cafile] [-K known_hosts] [-H sha256-fingerprint] [-i keyfile] [-P password-file] [-Q passphrase-file] [-r retries] [-n name] [-m] [-k] [-R] url [file ...]'
echo 'a;b' >a.csv
mkdir out folder
: >empty

check 'no url: usage, exit 2' 'sme-upload' <<EOF
>>>2
$U
>>>= 2
EOF

check 'a bad option: usage, exit 2' 'sme-upload -x ftp://h/ a.csv' <<EOF
>>>2
sme-upload: invalid option -- 'x'
$U
>>>= 2
EOF

check '-h prints the usage on stdout' 'sme-upload -h' <<EOF
>>>
$U
EOF

check '-r wants a number from 0 to 100' 'sme-upload -r 3x ftp://h/ a.csv' <<EOF
>>>2
sme-upload: bad retries: 3x (want 0 to 100)
>>>= 2
EOF

check 'an unknown url scheme' 'sme-upload http://h/in/ a.csv' <<EOF
>>>2
sme-upload: unknown url scheme "http" (want ftp, ftps, ftpes, sftp or file)
>>>= 2
EOF

check 'not a url' 'sme-upload h/in/ a.csv' <<EOF
>>>2
sme-upload: not a url: h/in/ (want ftp://, ftps://, ftpes://, sftp:// or file://)
>>>= 2
EOF

check 'a url without a host' 'sme-upload ftp:///in/ a.csv' <<EOF
>>>2
sme-upload: missing host in url: ftp:///in/
>>>= 2
EOF

check 'a url with a user but no host' 'sme-upload sftp://u@:22/in/ a.csv' <<EOF
>>>2
sme-upload: missing host in url: sftp://u@:22/in/
>>>= 2
EOF

check 'a password in the url is refused and not repeated' \
    'sme-upload sftp://u:s3cret@h/in/ a.csv' <<EOF
>>>2
sme-upload: password in the url refused: give it in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc
>>>= 2
EOF

check 'a password with a / in it is refused and not repeated' \
    'sme-upload ftp://u:se/cret@h/ a.csv' <<EOF
>>>2
sme-upload: password in the url refused: give it in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc (an @ in the path is written %40)
>>>= 2
EOF

check 'a password that looks like a port and a path is refused too' \
    'sme-upload ftp://u:12/cret@h/in/ a.csv' <<EOF
>>>2
sme-upload: password in the url refused: give it in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc (an @ in the path is written %40)
>>>= 2
EOF

check 'an scp-style target with a password is not repeated' 'sme-upload u:s3cret@h:/in/ a.csv' <<EOF
>>>2
sme-upload: not a url: ... (want ftp://, ftps://, ftpes://, sftp:// or file://)
>>>= 2
EOF

check 'an empty password in the url is refused too' 'sme-upload ftp://u:@h/in/ a.csv' <<EOF
>>>2
sme-upload: password in the url refused: give it in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc
>>>= 2
EOF

check 'port 0' 'sme-upload ftp://h:0/ a.csv' <<EOF
>>>2
sme-upload: bad port in url (want 1 to 65535 after the host's ':'; a password goes in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc)
>>>= 2
EOF

check 'port 65536' 'sme-upload ftps://h:65536/ a.csv' <<EOF
>>>2
sme-upload: bad port in url (want 1 to 65535 after the host's ':'; a password goes in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc)
>>>= 2
EOF

check 'a port that is no number' 'sme-upload ftp://h:ftp/ a.csv' <<EOF
>>>2
sme-upload: bad port in url (want 1 to 65535 after the host's ':'; a password goes in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc)
>>>= 2
EOF

check 'a bad percent escape' 'sme-upload ftp://h/in%2/ a.csv' <<EOF
>>>2
sme-upload: bad path in url: ftp://h/in%2/
>>>= 2
EOF

check 'an escaped control character' 'sme-upload ftp://h/in/a%0A.csv a.csv' <<EOF
>>>2
sme-upload: bad path in url: ftp://h/in/a%0A.csv
>>>= 2
EOF

check 'a file:// url for another host' 'sme-upload file://other/in/ a.csv' <<EOF
>>>2
sme-upload: file:// url for another host: file://other/in/
>>>= 2
EOF

check 'a file:// url with a user' 'sme-upload file://u@/in/ a.csv' <<EOF
>>>2
sme-upload: a file:// url has no user or port: file://u@/in/
>>>= 2
EOF

check 'an unclosed IPv6 address' 'sme-upload ftp://[::1/in/ a.csv' <<EOF
>>>2
sme-upload: missing ']' in url host
>>>= 2
EOF

check 'several files need a folder url' 'sme-upload file://$T/out/x.csv a.csv a.csv' <<EOF
>>>2
sme-upload: 2 files need a folder url (ending in /)
>>>= 2
EOF

check 'standard input twice' 'sme-upload -n x file://$T/out/ - -' <<EOF
>>>2
sme-upload: standard input (-) given more than once
>>>= 2
EOF

check 'standard input needs a remote name' 'sme-upload file://$T/out/' <<EOF
>>>2
sme-upload: standard input needs a remote name: -n name, or a file name in the url
>>>= 2
EOF

check '-n without standard input' 'sme-upload -n x.csv file://$T/out/ a.csv' <<EOF
>>>2
sme-upload: -n names standard input (-), which is not among the files
>>>= 2
EOF

check '-n and a file name in the url' 'sme-upload -n x.csv file://$T/out/y.csv -' <<EOF
>>>2
sme-upload: -n and a file name in the url: give one
>>>= 2
EOF

check '-n with a slash' 'sme-upload -n a/b file://$T/out/' <<EOF
>>>2
sme-upload: bad remote name: a/b
>>>= 2
EOF

check '-H wants a SHA256 fingerprint' 'sme-upload -H MD5:00 sftp://u@h/ a.csv' <<EOF
>>>2
sme-upload: bad fingerprint: MD5:00 (want SHA256:...)
>>>= 2
EOF

for o in '-H SHA256:x' '-K kh' '-i key' '-Q pass'; do
	for u in ftp://u@h/ ftps://u@h/ ftpes://u@h/ file:///tmp/; do
		check "${o%% *} does not apply to ${u%%:*}" "sme-upload $o $u a.csv" <<EOF
>>>2
sme-upload: ${o%% *} is for sftp:// urls only
>>>= 2
EOF
	done
done

for u in sftp://u@h/ file:///tmp/ ftp://u@h/; do
	check "-C does not apply to ${u%%:*}" "sme-upload -C ca.pem $u a.csv" <<EOF
>>>2
sme-upload: -C is for ftps:// and ftpes:// urls only
>>>= 2
EOF
done

check '-k contradicts -H' 'sme-upload -k -H SHA256:x sftp://u@h/ a.csv' <<EOF
>>>2
sme-upload: -k and -H contradict each other: give one
>>>= 2
EOF

check 'a bad SME_UPLOAD_TIMEOUT' 'SME_UPLOAD_TIMEOUT=0 sme-upload file://$T/out/ a.csv' <<EOF
>>>2
sme-upload: bad SME_UPLOAD_TIMEOUT: 0 (want 1 to 86400)
>>>= 2
EOF

check 'a bad SME_UPLOAD_BACKOFF' 'SME_UPLOAD_BACKOFF=-1 sme-upload file://$T/out/ a.csv' <<EOF
>>>2
sme-upload: bad SME_UPLOAD_BACKOFF: -1 (want seconds, 0 to 3600)
>>>= 2
EOF

check 'a bad SME_UPLOAD_TLS_MAX' 'SME_UPLOAD_TLS_MAX=1.1 sme-upload file://$T/out/ a.csv' <<EOF
>>>2
sme-upload: bad SME_UPLOAD_TLS_MAX: 1.1 (want 1.2 or 1.3)
>>>= 2
EOF

check 'no password anywhere' 'sme-upload ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: no password for u at 127.0.0.1: set SME_UPLOAD_PASSWORD, give a file with -P, or add the host to ~/.netrc
>>>= 2
EOF

check 'no password for sftp without a key' 'sme-upload sftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: no password for u at 127.0.0.1: set SME_UPLOAD_PASSWORD, give a file with -P, or add the host to ~/.netrc (or use a key: -i)
>>>= 2
EOF

check 'no user name anywhere' 'SME_UPLOAD_PASSWORD=pw sme-upload ftp://127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: no user name for 127.0.0.1: give it in the url (ftp://user@127.0.0.1/) or in ~/.netrc
>>>= 2
EOF

check 'an empty password file' 'sme-upload -P empty ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: password file empty: no password on its first line
>>>= 2
EOF

check 'a password file that cannot be read' 'sme-upload -P nosuch ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: cannot read password file nosuch: No such file or directory
>>>= 6
EOF

check 'a local file that does not exist: exit 6, nothing sent' \
    'sme-upload file://$T/out/ a.csv nosuch.csv; r=$?; ls out; exit $r' <<EOF
>>>2
sme-upload: cannot open nosuch.csv: No such file or directory
>>>= 6
EOF

check 'a local file that cannot be read (a folder)' 'sme-upload file://$T/out/ folder' <<EOF
>>>2
sme-upload: cannot read folder: Is a directory
>>>= 6
EOF

check 'local files are checked before connecting' \
    'SME_UPLOAD_PASSWORD=pw sme-upload ftp://u@127.0.0.1:1/ nosuch.csv' <<EOF
>>>2
sme-upload: cannot open nosuch.csv: No such file or directory
>>>= 6
EOF

check 'a local name that cannot be a remote name' 'sme-upload file://$T/out/ .' <<EOF
>>>2
sme-upload: .: cannot name a remote file after it; give the name in the url
>>>= 2
EOF

check 'standard input is held in \$TMPDIR: a missing one is a local failure' \
    'printf "x\n" | TMPDIR=$T/nosuch sme-upload -n x.csv file://$T/out/' <<EOF
>>>2
sme-upload: cannot create a temporary file in $T/nosuch: No such file or directory
>>>= 6
EOF
[ ! -e out/x.csv ]
ok $? 'nothing was delivered without the temporary file'

# ~/.netrc; a password found there makes sme-upload connect (to port 1: refused)
N='sme-upload: warning: ftp:// sends the password in clear text; prefer ftpes:// or sftp://
sme-upload: ftp://127.0.0.1:1/a.csv: cannot connect: Connection refused'
printf '# default login u password p\n#machine 127.0.0.1 login u password p\n' >.netrc
chmod 600 .netrc
check '~/.netrc: comment lines are skipped, as curl does' \
    'sme-upload -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: no password for u at 127.0.0.1: set SME_UPLOAD_PASSWORD, give a file with -P, or add the host to ~/.netrc
>>>= 2
EOF

# a password may start with '#': a value is never a comment, so the next
# entry stays whole (else 127.0.0.1 would not be found: "no user name")
printf 'machine other.invalid login u password #x1\nmachine 127.0.0.1 login v password y\n' >.netrc
check '~/.netrc: a password that starts with # is a password' \
    'sme-upload -r 0 ftp://127.0.0.1:1/ a.csv' <<EOF
>>>2
$N
>>>= 4
EOF

printf 'machine 127.0.0.1 login u password p # the test server\n' >.netrc
check '~/.netrc: a comment after an entry' 'sme-upload -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
$N
>>>= 4
EOF

printf 'macdef init\r\ncd in\r\n\r\nmachine 127.0.0.1 login u password p\r\n' >.netrc
check '~/.netrc with CRLF: a macdef ends at an empty line' \
    'sme-upload -r 0 ftp://127.0.0.1:1/ a.csv' <<EOF
>>>2
$N
>>>= 4
EOF

chmod 644 .netrc
check '~/.netrc that others can read is refused' 'sme-upload -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: netrc file $T/.netrc: others can read it (mode 644): refused; chmod 600 it
>>>= 5
EOF
rm -f .netrc

# ---- issue 6: CR, LF and NUL in user names and passwords, from every source
# (port 1 would refuse: the failures come before any connection)
printf 'machine 127.0.0.1 login u password "pw\r\nDELE important.csv"\n' >.netrc
chmod 600 .netrc
check '~/.netrc: a quoted password spanning lines is refused, not echoed' \
    'sme-upload -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: $T/.netrc: a password holds a line break: refused
>>>= 2
EOF
printf 'machine 127.0.0.1 login "u\nDELE x" password p\n' >.netrc
check '~/.netrc: a login with a line break is refused' \
    'sme-upload -r 0 ftp://127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: $T/.netrc: a login holds a line break: refused
>>>= 2
EOF
printf 'machine 127.0.0.1 login "" password p\n' >.netrc
check '~/.netrc: an empty login is refused, no "USER " is sent' \
    'sme-upload -r 0 ftp://127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: $T/.netrc: empty login: refused
>>>= 2
EOF
printf 'machine 127.0.0.1 login u password p\n\0\n' >.netrc
check '~/.netrc: a NUL byte is refused' \
    'sme-upload -r 0 ftp://127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: $T/.netrc: holds a NUL byte: refused
>>>= 2
EOF
rm -f .netrc
mkdir .netrc
check '~/.netrc that is a folder is no empty file' \
    'sme-upload -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: netrc file $T/.netrc: not a regular file
>>>= 6
EOF
rmdir .netrc
check 'SME_UPLOAD_PASSWORD with CR LF is refused, not echoed' \
    'SME_UPLOAD_PASSWORD="$(printf "pw\r\nDELE important.csv")" sme-upload -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: SME_UPLOAD_PASSWORD holds a line break: refused
>>>= 2
EOF
printf 'k\n' >key
chmod 600 key
check 'SME_UPLOAD_PASSPHRASE with LF is refused' \
    'SME_UPLOAD_PASSPHRASE="$(printf "a\nb")" sme-upload -r 0 -i key sftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: SME_UPLOAD_PASSPHRASE holds a line break: refused
>>>= 2
EOF
printf 'pw\rDELE x\n' >crpw
check 'a password file with a CR in its line is refused' \
    'sme-upload -P crpw -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: password file crpw: the password holds a carriage return or NUL: refused
>>>= 2
EOF
printf 'pw\0DELE x\n' >nulpw
check 'a password file with a NUL is refused' \
    'sme-upload -P nulpw -r 0 ftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: password file nulpw: the password holds a carriage return or NUL: refused
>>>= 2
EOF
for e in %0D%0A %0A %00; do
	check "a user name with $e in the url is refused" \
	    "SME_UPLOAD_PASSWORD=pw sme-upload -r 0 ftp://u${e}DELE@127.0.0.1:1/ a.csv" <<EOF
>>>2
sme-upload: bad user name in url
>>>= 2
EOF
done

# ---- issue 6: nothing that may be a password is repeated
check 'a password where the port goes is not repeated' 'sme-upload ftp://u@h:Pw1/x/ a.csv' <<EOF
>>>2
sme-upload: bad port in url (want 1 to 65535 after the host's ':'; a password goes in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc)
>>>= 2
EOF
check 'a password as %3A in the user name is refused, not repeated' \
    'sme-upload ftp://u%3APw1@h/ a.csv' <<EOF
>>>2
sme-upload: password in the url refused (a %3A in the user name): give it in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc
>>>= 2
EOF
check 'a host with characters no host has' 'sme-upload "ftp://u@h?x/in/" a.csv' <<EOF
>>>2
sme-upload: bad host in url: ftp://u@h?x/in/
>>>= 2
EOF
check 'brackets hold an IPv6 address, nothing else, and what stands there is not repeated' \
    'sme-upload "ftp://u@[::1:Secret9]/in/" a.csv; sme-upload "sftp://u@[Secret9]:22/in/" a.csv' <<EOF
>>>2
sme-upload: bad host in url: not an IPv6 address in brackets
sme-upload: bad host in url: not an IPv6 address in brackets
>>>= 2
EOF

# ---- issue 6: IPv6 literals, for every scheme (nothing listens on port 1)
for sc in ftp ftpes ftps sftp; do
	check "$sc:// with an IPv6 literal connects to it" \
	    "SME_UPLOAD_PASSWORD=pw sme-upload -k -r 0 $sc://u@[::1]:1/in/ a.csv 2>&1 | grep -v warning" <<EOF
>>>
sme-upload: $sc://[::1]:1/in/a.csv: cannot connect: Connection refused
EOF
done

# ---- issue 6: two files, one remote name; names a receipt cannot hold
mkdir -p a b
echo 1 >a/x.txt
echo 2 >b/x.txt
check 'two local files with one base name: refused, nothing sent' \
    'sme-upload file://$T/out/ a.csv a/x.txt b/x.txt; r=$?; ls out; exit $r' <<EOF
>>>2
sme-upload: two files for the remote name x.txt: nothing sent
>>>= 2
EOF
check 'a file named twice: refused' 'sme-upload file://$T/out/ a.csv ./a.csv' <<EOF
>>>2
sme-upload: two files for the remote name a.csv: nothing sent
>>>= 2
EOF
bad=$(printf 'caf\351.csv')
good=$(printf 'caf\303\251.csv')
cp a.csv "$bad"
cp a.csv "$good"
export bad good
H=$(sum a.csv)
check 'a local name that is not UTF-8: refused before anything is sent, the byte shown as \xe9' \
    'sme-upload file://$T/out/ a.csv "$bad"; r=$?; ls out; exit $r' <<'EOF'
>>>2
sme-upload: caf\xe9.csv: the name is not UTF-8, which a receipt cannot hold: rename the file, or send it from standard input (-n name)
>>>= 2
EOF
check 'a UTF-8 name is delivered, its receipt names it' \
    'sme-upload file://$T/out/ "$good" | sed "s/\"seconds\":[0-9.]*/S/"; rm -f out/*' <<EOF
>>>
{"file":"$good","url":"file://$T/out/caf%C3%A9.csv","bytes":4,"sha256":"$H",S}
EOF
check 'a name that is not UTF-8 goes from standard input with -n' \
    'sme-upload -n "$bad" file://$T/out/ <a.csv | sed "s/\"seconds\":[0-9.]*/S/"; rm -f out/*' <<EOF
>>>
{"file":"-","url":"file://$T/out/caf%E9.csv","bytes":4,"sha256":"$H",S}
EOF

# ---- issue 6: -K and -C that are no files
check '-K naming a folder does not read as an empty file' \
    'sme-upload -K folder sftp://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: known hosts file folder: not a regular file
>>>= 6
EOF
check '-C naming a folder' 'sme-upload -C folder ftpes://u@127.0.0.1:1/ a.csv' <<EOF
>>>2
sme-upload: CA file folder: not a regular file
>>>= 6
EOF

done_testing
