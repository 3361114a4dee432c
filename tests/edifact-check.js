// sme tests: validate MSCONS interchanges with the npm package edifact and D.04B, plus our own checks; licence in COPYING
//
//   node tests/edifact-check.js [-z zone] [-g] [-M] file ...
//
// Each file: "file: valid", or "file: invalid: reason" and exit 1.  Exit 2
// when the validator itself is missing (tests/run/node, made by make deps):
// a check that cannot run must fail, never pass.
//
// The library checks D.04B: segments, composites, element formats and
// lengths, segment order and repetition (Tracker with the MSCONS table).
// It does not check what follows; this script does: UNT and UNZ counts and
// references, code values per release, DTM formats per release (2.2e local
// time with the zone's offset, 2.4a UTC), SG10 intervals of 15 minutes
// without gaps (-g allows gaps), 92/96/100 quarter-hours per whole local
// day, quantities of at most 3 decimals and not negative, the header period.
// RFF+MG (SG7) after the period is outside MIG 2.2e and AHB 2.4a (13018)
// and rejected unless -M allows it (sme-mscons -M sends it).
'use strict';
const fs = require('fs');
const path = require('path');

const top = path.resolve(__dirname, '..');
const nodedir = path.join(top, 'tests', 'run', 'node');
let edifact, d04b;
try {
	edifact = require(path.join(nodedir, 'node_modules', 'edifact'));
	d04b = JSON.parse(fs.readFileSync(path.join(nodedir, 'd04b.json'), 'utf8'));
} catch (e) {
	console.error(`edifact-check: the validator is not installed (make deps): ${e.message}`);
	process.exit(2);
}

let zone = 'Europe/Zurich', gaps = false, rffmg = false;
const args = process.argv.slice(2);
while (args.length && args[0][0] === '-') {
	const a = args.shift();
	if (a === '-z')
		zone = args.shift();
	else if (a === '-g')
		gaps = true;
	else if (a === '-M')
		rffmg = true;
	else {
		console.error('usage: node edifact-check.js [-z zone] [-g] [-M] file ...');
		process.exit(2);
	}
}
if (!args.length) {
	console.error('usage: node edifact-check.js [-z zone] [-g] [-M] file ...');
	process.exit(2);
}

// the local wall time of a UTC instant (ms) in zone, and its offset in hours
const fmt = new Intl.DateTimeFormat('en-GB', {
	timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
	hour: '2-digit', minute: '2-digit',
});
const stsMethods = ['Z88', 'Z89', 'Z92', 'ZJ2', 'ZS0'];
const stsReasons = ['Z74', 'Z75', 'Z76', 'Z77', 'Z78', 'Z79', 'Z80', 'Z81', 'Z82', 'ZA0', 'ZA1',
	'ZA3', 'ZA4', 'ZA5', 'ZA6', 'ZA7', 'ZB0', 'ZB9'];
const cache = new Map();
function local(ms) {
	let v = cache.get(ms);
	if (v)
		return v;
	const p = {};
	for (const x of fmt.formatToParts(new Date(ms)))
		p[x.type] = x.value;
	const wall = `${p.year}${p.month}${p.day}${p.hour}${p.minute}`;
	const asutc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
	v = { wall, day: wall.slice(0, 8), off: Math.round((asutc - ms) / 3600000) };
	cache.set(ms, v);
	return v;
}

// quarter-hours of a local day (yyyymmdd): 92, 96 or 100
function dayLength(day) {
	const t0 = Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8)) - 14 * 3600000;
	let n = 0;
	for (let t = t0; t < t0 + 52 * 3600000; t += 900000)
		if (local(t).day === day)
			n++;
	return n;
}

function utc(s) {	// "CCYYMMDDHHMM" read as UTC, ms
	return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10),
	    +s.slice(10, 12));
}

function check(file) {
	const doc = fs.readFileSync(file, 'latin1');
	const validator = new edifact.Validator();
	validator.define(d04b.defs);
	const parser = new edifact.Parser(validator);
	parser.encoding('UNOC');
	const tracker = new edifact.Tracker(d04b.table);
	const segs = [];
	let cur, el, trackerr = null;
	tracker.on('error', (e) => { if (!trackerr) trackerr = e; });
	parser.on('opensegment', (name) => {
		cur = { name, el: [] };
		segs.push(cur);
		if (!['UNA', 'UNB', 'UNZ'].includes(name)) {
			if (name === 'UNH')
				tracker.reset();
			tracker.accept(name);
			if (trackerr)
				throw new Error(`${trackerr.message} (segment ${segs.length}, ${name})`);
		}
	});
	parser.on('element', () => { el = []; cur.el.push(el); });
	parser.on('component', (data) => { el.push(data); });
	parser.write(doc);
	parser.end();
	ours(segs);
}

function fail(msg) {
	throw new Error(msg);
}

function g(s, e, c) {
	return s.el[e] && s.el[e][c] !== undefined ? s.el[e][c] : '';
}

function ours(segs) {
	let i = 0, nmsg = 0, release, pid, ref;
	if (/[\r\n]/.test(segs.map((s) => s.el.flat().join('')).join('')))
		fail('line ends inside data');
	const unb = segs[i++];
	if (!unb || unb.name !== 'UNB')
		fail('no UNB');
	if (g(unb, 0, 0) !== 'UNOC' || g(unb, 0, 1) !== '3')
		fail(`UNB syntax ${g(unb, 0, 0)}:${g(unb, 0, 1)}, not UNOC:3`);
	const quals = [g(unb, 1, 1), g(unb, 2, 1)];
	for (const q of quals)
		if (q !== '500' && q !== '14')
			fail(`UNB code qualifier ${q}: 500 or 14`);
	if (g(unb, 6, 0) !== 'TL')
		fail(`UNB application reference ${g(unb, 6, 0)}, not TL`);
	if (!/^\d{6}$/.test(g(unb, 3, 0)) || !/^\d{4}$/.test(g(unb, 3, 1)))
		fail('UNB date/time');
	ref = g(unb, 4, 0);
	for (; i < segs.length && segs[i].name === 'UNH'; ) {
		const start = i, unh = segs[i];
		nmsg++;
		const m = /^(2\.2e|2\.4a)$/.exec(g(unh, 1, 4));
		if (g(unh, 1, 0) !== 'MSCONS' || g(unh, 1, 1) !== 'D' || g(unh, 1, 2) !== '04B' ||
		    g(unh, 1, 3) !== 'UN' || !m)
			fail(`UNH ${unh.el[1].join(':')}`);
		release = m[1];
		if (release === '2.4a' && /[a-z]/.test(ref))
			fail(`reference ${ref}: 2.4a allows no lower-case letters`);
		while (i < segs.length && segs[i].name !== 'UNT')
			i++;
		if (i === segs.length)
			fail('no UNT');
		const unt = segs[i];
		if (+g(unt, 0, 0) !== i - start + 1)
			fail(`UNT says ${g(unt, 0, 0)} segments, counted ${i - start + 1}`);
		if (g(unt, 1, 0) !== g(unh, 0, 0))
			fail(`UNT reference ${g(unt, 1, 0)} is not UNH's ${g(unh, 0, 0)}`);
		pid = message(segs.slice(start, i + 1), release, quals);
		i++;
	}
	const unz = segs[i];
	if (!unz || unz.name !== 'UNZ' || i !== segs.length - 1)
		fail('no UNZ at the end');
	if (+g(unz, 0, 0) !== nmsg)
		fail(`UNZ says ${g(unz, 0, 0)} messages, counted ${nmsg}`);
	if (g(unz, 1, 0) !== ref)
		fail(`UNZ reference ${g(unz, 1, 0)} is not UNB's ${ref}`);
	return pid;
}

function dtm(s, release, what) {
	const v = g(s, 0, 1), f = g(s, 0, 2);
	if (f !== '303')
		fail(`${what} DTM+${g(s, 0, 0)} format ${f}, not 303`);
	const m = /^(\d{12})([+-]\d\d)$/.exec(v);
	if (!m)
		fail(`${what} DTM+${g(s, 0, 0)} value ${v}`);
	const off = +m[2], t = utc(m[1]) - off * 3600000;
	if (release === '2.4a' && m[2] !== '+00')
		fail(`${what} DTM ${v}: 2.4a is UTC (+00)`);
	if (release === '2.2e') {
		const l = local(t);
		if (l.off !== off || l.wall !== m[1])
			fail(`${what} DTM ${v}: in ${zone} that instant is ${l.wall}${l.off >= 0 ? '+' : '-'}${String(Math.abs(l.off)).padStart(2, '0')}`);
	}
	return t;
}

function message(ms, release, quals) {
	const names = ms.map((s) => s.name).join(' ');
	const want = /^UNH BGM DTM RFF NAD NAD UNS NAD LOC DTM DTM (RFF )?(LIN PIA (QTY DTM DTM (STS )*)+)+UNT$/;
	if (!want.test(names))
		fail(`segment sequence: ${names.slice(0, 200)}`);
	const bgm = ms[1], d137 = ms[2], rff = ms[3];
	const pid = g(rff, 0, 1);
	if (g(rff, 0, 0) !== 'Z13' || !(release === '2.2e' ? ['13008'] : ['13018', '13025']).includes(pid))
		fail(`RFF+Z13 ${pid} for ${release}`);
	if (g(bgm, 0, 0) !== (pid === '13025' ? 'Z48' : '7') || g(bgm, 2, 0) !== '9')
		fail(`BGM ${g(bgm, 0, 0)} ${g(bgm, 2, 0)} for ${pid}`);
	if (g(d137, 0, 0) !== '137')
		fail('DTM+137');
	let docdate;
	if (release === '2.2e') {
		if (g(d137, 0, 2) !== '203' || !/^\d{12}$/.test(g(d137, 0, 1)))
			fail(`DTM+137 ${g(d137, 0, 1)}:${g(d137, 0, 2)}: 2.2e is format 203`);
	} else {
		if (g(d137, 0, 2) !== '303' || !/^\d{12}\+00$/.test(g(d137, 0, 1)))
			fail(`DTM+137 ${g(d137, 0, 1)}:${g(d137, 0, 2)}: 2.4a is 303 with +00`);
		docdate = utc(g(d137, 0, 1));
	}
	const nl = { 500: '293', 14: '9' };
	if (g(ms[4], 0, 0) !== 'MS' || g(ms[4], 1, 2) !== nl[quals[0]])
		fail('NAD+MS code list');
	if (g(ms[5], 0, 0) !== 'MR' || g(ms[5], 1, 2) !== nl[quals[1]])
		fail('NAD+MR code list');
	if (g(ms[6], 0, 0) !== 'D' || g(ms[7], 0, 0) !== 'DP' || g(ms[8], 0, 0) !== '172')
		fail('UNS+D, NAD+DP, LOC+172');
	if (!g(ms[8], 1, 0))
		fail('LOC+172 without an ID');
	if (g(ms[9], 0, 0) !== '163' || g(ms[10], 0, 0) !== '164')
		fail('period DTM+163/164');
	const p0 = dtm(ms[9], release, 'period'), p1 = dtm(ms[10], release, 'period');
	let i = 11, lo = Infinity, hi = -Infinity, lin = 0;
	if (ms[i].name === 'RFF') {
		if (!rffmg)
			fail('RFF in SG7 (meter number): not in MIG 2.2e or AHB 2.4a 13018 (-M allows it)');
		if (g(ms[i], 0, 0) !== 'MG' || !g(ms[i], 0, 1))
			fail('RFF in SG7: MG with a meter number');
		i++;
	}
	const quals22 = ['220', '67', '201', '20', '187', '79'], quals24 = ['220', '67', 'Z18'];
	while (ms[i].name === 'LIN') {
		if (+g(ms[i], 0, 0) !== ++lin)
			fail(`LIN ${g(ms[i], 0, 0)}, not ${lin}`);
		const pia = ms[i + 1];
		if (g(pia, 0, 0) !== '5' || g(pia, 1, 1) !== 'SRW' || !/^\d+-\d+:\d+\.29\.\d+(\*255)?$/.test(g(pia, 1, 0)))
			fail(`PIA ${pia.el.map((e) => e.join(':')).join('+')}`);
		i += 2;
		let prev = null, n = 0;
		const days = new Map();
		while (ms[i].name === 'QTY') {
			const q = g(ms[i], 0, 0), v = g(ms[i], 0, 1);
			n++;
			if (!(release === '2.2e' ? quals22 : quals24).includes(q))
				fail(`QTY qualifier ${q} in ${release}`);
			if (!/^\d{1,15}(\.\d{1,3})?$/.test(v))
				fail(`QTY value ${v}: digits, at most 3 decimals, not negative`);
			if (g(ms[i + 1], 0, 0) !== '163' || g(ms[i + 2], 0, 0) !== '164')
				fail('QTY without DTM+163 and DTM+164');
			const t0 = dtm(ms[i + 1], release, 'interval'), t1 = dtm(ms[i + 2], release, 'interval');
			if (q === '20' ? (t1 - t0) % 900000 || t1 <= t0 : t1 - t0 !== 900000)
				fail(`interval ${g(ms[i + 1], 0, 1)} to ${g(ms[i + 2], 0, 1)} is not 15 minutes`);
			if (prev !== null && (gaps ? t0 < prev : t0 !== prev))
				fail(`interval at ${g(ms[i + 1], 0, 1)} does not follow the one before`);
			if (docdate !== undefined && t1 > docdate)
				fail(`interval ends after DTM+137`);
			prev = t1;
			lo = Math.min(lo, t0);
			hi = Math.max(hi, t1);
			for (let t = t0; t < t1; t += 900000) {
				const d = local(t).day;
				days.set(d, (days.get(d) || 0) + 1);
			}
			i += 3;
			const sts = [];
			while (ms[i].name === 'STS') {
				const k = g(ms[i], 0, 0), c = g(ms[i], 2, 0);
				// the codes AHB 13018 (FV2210) allows with Z32 and Z40
				if (release === '2.4a' && k === 'Z32' && !stsMethods.includes(c))
					fail(`STS+Z32 method ${c}: not in the AHB list`);
				if (release === '2.4a' && k === 'Z40' && !stsReasons.includes(c))
					fail(`STS+Z40 reason ${c}: not in the AHB list`);
				sts.push(k);
				i++;
			}
			if (release === '2.4a' && q === '67' && !(sts.includes('Z32') && sts.includes('Z40')))
				fail('QTY+67 without STS Z32 and Z40 (2.4a)');
		}
		if (n > 9999)
			fail(`LIN with ${n} values, more than 9999`);
		// whole local days inside the period have 92, 96 or 100 quarter-hours
		for (const [d, k] of days) {
			const len = dayLength(d);
			const first = local(p0).day, last = local(p1 - 1).day;
			const whole = (d > first || local(p0).wall.slice(8) === '0000') &&
			    (d < last || local(p1).wall.slice(8) === '0000');
			if (![92, 96, 100].includes(len))
				fail(`day ${d} has ${len} quarter-hours in ${zone}`);
			if (k > len || (whole && !gaps && k !== len))
				fail(`day ${d}: ${k} quarter-hours, the day has ${len}`);
		}
	}
	if (lo !== p0 || hi !== p1)
		fail('the period DTM+163/164 is not the span of the values');
	if (ms[i].name !== 'UNT')
		fail(`${ms[i].name} before UNT`);
	return g(rff, 0, 1);
}

let bad = 0;
for (const f of args) {
	try {
		check(f);
		console.log(`${f}: valid`);
	} catch (e) {
		console.log(`${f}: invalid: ${e.message}`);
		bad = 1;
	}
}
process.exit(bad);
