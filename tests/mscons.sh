# sme tests: helpers for the sme-mscons and sme-ise tests, sourced after lib.sh; licence in COPYING

# readings MPID METER FROM N: N+1 register readings every 15 minutes from
# FROM (UTC, "2026-03-28T23:00:00Z") for 1-0:1.8.0 and 1-0:2.8.0, rising by
# varying amounts; every 7th import reading is estimated, every 11th
# substituted (so the intervals around them are too)
readings() {
	perl -e '
		use POSIX qw(strftime);
		my ($mpid, $meter, $from, $n) = @ARGV;
		my @a = split /[-T:Z]/, $from;
		use Time::Local qw(timegm);
		my $t0 = timegm($a[5], $a[4], $a[3], $a[2], $a[1] - 1, $a[0]);
		my ($imp, $exp) = (1000, 5);
		my $m = $mpid eq "" ? "" : ",\"mpid\":\"$mpid\"";
		for my $i (0 .. $n) {
			my $ts = strftime("%Y-%m-%dT%H:%M:%SZ", gmtime($t0 + 900 * $i));
			my $q = $i % 11 == 5 ? ",\"quality\":\"substituted\"" :
			    $i % 7 == 3 ? ",\"quality\":\"estimated\"" : "";
			printf "{\"meter\":\"%s\"%s,\"obis\":\"1-0:1.8.0*255\",\"time\":\"%s\",\"value\":%d.%03d,\"unit\":\"kWh\"%s}\n",
			    $meter, $m, $ts, int($imp / 1000), $imp % 1000, $q;
			printf "{\"meter\":\"%s\"%s,\"obis\":\"1-0:2.8.0*255\",\"time\":\"%s\",\"value\":%d.%03d,\"unit\":\"kWh\"}\n",
			    $meter, $m, $ts, int($exp / 1000), $exp % 1000;
			$imp += 125 + ($i * 37) % 400;
			$exp += ($i % 5 == 0) ? 0 : 3;
		}' "$@"
}

# intervals MPID METER FROM N: the load profile of readings, as sme-obis makes it
intervals() {
	readings "$@" | sme-obis -p -t mscons
}

# validate FILE...: npm edifact with D.04B, and tests/edifact-check.js's own checks
validate() {
	for _f; do
		case $_f in -z) ;; -*) ;; *) echo "$_f" >>"$T/.validated" ;; esac
	done
	node "$top/tests/edifact-check.js" "$@" >"$T/.valid" 2>&1
	_v=$?
	sed 's/^/# /' "$T/.valid"
	return $_v
}

# golden NAME FILE: FILE is byte for byte tests/golden/NAME
golden() {
	if cmp -s "$top/tests/golden/$1" "$2"; then
		return 0
	fi
	tr "'" '\n' <"$top/tests/golden/$1" >"$T/.gold"
	tr "'" '\n' <"$2" >"$T/.got"
	diff -u "$T/.gold" "$T/.got" | head -40 | sed 's/^/# /'
	return 1
}

# handmade FILE...: an interchange made by hand or broken on purpose, not by sme-mscons
handmade() {
	for _f; do echo "$_f" >>"$T/.handmade"; done
}

# validate_rest: every interchange left in $T that validate() did not see
# and that is not handmade is validated now, so that no file the tests
# produce escapes the independent check (an ok line)
validate_rest() {
	: >>"$T/.validated"
	: >>"$T/.handmade"
	(cd "$T" && find . -type f ! -name '.*' | sed 's|^\./||' | sort) >"$T/.all"
	: >"$T/.rest"
	while read -r _f; do
		case $(head -c 4 "$T/$_f") in
		UNA:|UNB+) ;;
		*) continue ;;
		esac
		grep -qxF "$_f" "$T/.validated" "$T/.handmade" || echo "$_f" >>"$T/.rest"
	done <"$T/.all"
	_n=$(wc -l <"$T/.rest")
	if [ "$_n" -eq 0 ]; then
		ok 0 "every interchange written was validated"
		return
	fi
	# shellcheck disable=SC2046
	(cd "$T" && validate $(cat "$T/.rest"))
	ok $? "the $_n other interchanges written are valid too: $(tr '\n' ' ' <"$T/.rest")"
}
