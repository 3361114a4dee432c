// sme tests: UN/EDIFACT D.04B definitions for the npm package edifact, from Debian's CSVs; licence in COPYING
//
//   node tests/edifact-defs.js DATADIR OUT.json
//
// DATADIR is libbusiness-edi-perl's /usr/share/perl5/Business/EDI/data/edifact
// (untdid/*.d04b.csv: the D.04B directory; iso9735/*.30000.csv: the syntax 3
// service segments).  OUT.json holds { defs, table }: defs for
// Validator.define() (segments and elements), table the MSCONS segment
// table for Tracker, built from EDMD.d04b.csv.
'use strict';
const fs = require('fs');
const path = require('path');

function rows(file) {
	return fs.readFileSync(file, 'latin1').split(/\r?\n/).filter((l) => l.trim())
		.map((l) => l.split(';'));
}

// "TAG;NAME;010;code;M;rep;020;...": positions in fours
function segments(file, defs) {
	for (const r of rows(file)) {
		const elements = [];
		let requires = 0;
		for (let i = 2; i + 3 < r.length; i += 4) {
			if (!r[i + 1])
				continue;
			const rep = parseInt(r[i + 3], 10) || 1;
			for (let k = 0; k < rep; k++) {
				elements.push(r[i + 1]);
				if (r[i + 2] === 'M' && k === 0)
					requires = elements.length;
			}
		}
		defs[r[0]] = { requires, elements };
	}
}

// "C001;NAME;010;8179;C;an..8;...": components in fours
function composites(file, defs) {
	for (const r of rows(file)) {
		const components = [];
		let requires = 0;
		for (let i = 2; i + 3 < r.length; i += 4) {
			if (!r[i + 1])
				continue;
			components.push(r[i + 3].trim());
			if (r[i + 2] === 'M')
				requires = components.length;
		}
		defs[r[0]] = { requires, components };
	}
}

// "1000;an..35;B;Document name": a simple element is one component
function simple(file, defs) {
	for (const r of rows(file))
		defs[r[0]] = { requires: 0, components: [r[1].trim()] };
}

// "MSCONS:D:04B:UN::SG1;SG01;RFF;M;1;DTM;C;9": groups by name
function table(file, msg) {
	const groups = {};
	for (const r of rows(file)) {
		const m = /^([A-Z]+):D:04B:UN::(SG[0-9]+)?$/.exec(r[0]);
		if (!m || m[1] !== msg)
			continue;
		groups[m[2] || ''] = r.slice(2);
	}
	function build(name) {
		const g = groups[name], out = [];
		if (!g)
			throw new Error(`${msg}: no group ${name || 'top'} in ${file}`);
		for (let i = 0; i + 3 <= g.length; i += 3) {
			if (!g[i])
				continue;
			const content = /^SG[0-9]+$/.test(g[i]) ? build(g[i]) : g[i];
			out.push({ content, mandatory: g[i + 1] === 'M', repetition: parseInt(g[i + 2], 10) });
		}
		return out;
	}
	return build('');
}

function generate(dir) {
	const defs = {};
	const un = path.join(dir, 'untdid'), iso = path.join(dir, 'iso9735');
	simple(path.join(un, 'EDED.d04b.csv'), defs);
	composites(path.join(un, 'EDCD.d04b.csv'), defs);
	segments(path.join(un, 'EDSD.d04b.csv'), defs);
	simple(path.join(iso, 'SDED.30000.csv'), defs);
	composites(path.join(iso, 'SDCD.30000.csv'), defs);
	segments(path.join(iso, 'SDSD.30000.csv'), defs);
	return { defs, table: table(path.join(un, 'EDMD.d04b.csv'), 'MSCONS') };
}

module.exports = generate;

if (require.main === module) {
	if (process.argv.length !== 4) {
		console.error('usage: node edifact-defs.js DATADIR OUT.json');
		process.exit(2);
	}
	const out = process.argv[3], tmp = out + '.tmp';
	fs.writeFileSync(tmp, JSON.stringify(generate(process.argv[2])));
	fs.renameSync(tmp, out);
}
