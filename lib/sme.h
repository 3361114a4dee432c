/* sme: the one public header of libsme; licence in COPYING */
#ifndef SME_H
#define SME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <signal.h>
#include <sys/types.h>

#ifndef SME_VERSION
#define SME_VERSION "0.1.0"
#endif

/*
 * jansson ownership rule, for every call site in sme:
 *   json_object_set_new(), json_array_append_new() and json_pack("o")
 *   STEAL the reference they are given; json_object_set(),
 *   json_array_append() and json_pack("O") take a new one.
 *   json_object_get(), json_array_get() return BORROWED references:
 *   never json_decref() them, json_incref() to keep them.
 *   json_loads*() and json_pack() return a NEW reference that the caller
 *   owns and must json_decref().  We always use the _new forms when a
 *   fresh value is handed over, so each value has exactly one owner.
 * The record stream itself does not go through jansson (see record.c):
 * it is the hot path.
 */

/* ---- err: messages and exit status (err.c) ---------------------------- */

enum {
	SME_EX_OK = 0,		/* done */
	SME_EX_INCOMPLETE = 1,	/* nothing wrong, but not done yet */
	SME_EX_USAGE = 2,	/* bad option or argument */
	SME_EX_DATA = 3,	/* bad input data */
	SME_EX_REMOTE = 4,	/* network, server refused, after retries */
	SME_EX_SAFETY = 5,	/* authentication or trust refused */
	SME_EX_LOCAL = 6	/* out of memory, cannot write */
};

extern const char *sme_prog;

/* set the program name once, from argv[0]; SIGPIPE becomes a write error */
void sme_setprog(const char *argv0);
/*
 * All messages: "prog: message" or "prog: file:line: message" on stderr.
 * A format ending in ':' gets ": strerror(errno)" appended, as in sbase.
 */
void sme_warn(const char *fmt, ...);
void sme_warn_at(const char *file, long line, const char *fmt, ...);
void sme_vwarn(const char *file, long line, const char *fmt, va_list ap);
_Noreturn void sme_die(int status, const char *fmt, ...);
_Noreturn void sme_die_at(int status, const char *file, long line,
    const char *fmt, ...);
/* -h: "usage: USAGE" on stdout and exit 0 (6 on a write error) */
_Noreturn void sme_help(const char *usage);
/*
 * getopt_long, or getopt when longs is NULL, with getopt's messages (as
 * "prog: ...") showing the option escaped; returns what getopt returns
 */
struct option;
int sme_getopt(int argc, char *const argv[], const char *opts,
    const struct option *longs);
/* "usage: USAGE" and exit 2 */
_Noreturn void sme_usage(const char *usage);
/* "prog VERSION" on stdout and exit 0 */
_Noreturn void sme_version(void);
/*
 * "line N" (in buf), or "file:N" when file is not here (the file as
 * sme_shown shows it, and lives as long): where another record was
 */
const char *sme_where(char *buf, size_t n, const char *file, long line,
    const char *here);
/* the display name of a path: "<stdin>" for "-" */
const char *sme_filename(const char *path);
/*
 * Text from outside (names, paths, URLs, server replies, record fields) as
 * a message may show it: a backslash as \\, LF, CR, TAB and ESC as \n \r
 * \t \e, and as \xHH each byte of the other controls (C0, DEL, C1), of
 * U+2028 to U+202E and U+2066 to U+2069, and each byte that is not UTF-8.
 * sme_vwarn shows its file so.  sme_shown keeps all of s (file names must
 * stay whole); sme_shown_cut stops after SME_SHOWN_MAX characters, adding
 * "...", for text that may be endless; sme_shown_n shows n bytes of s (a
 * NUL as \x00), at most max characters (0: all).  The result lives until
 * the eighth call after this one: a message may show eight at once.
 */
#define SME_SHOWN_MAX 120
const char *sme_shown(const char *s);
const char *sme_shown_cut(const char *s);
const char *sme_shown_n(const char *s, size_t n, size_t max);

void *emalloc(size_t n);
void *ecalloc(size_t n, size_t m);
void *erealloc(void *p, size_t n);
char *estrdup(const char *s);
char *estrndup(const char *s, size_t n);

/* ---- out: standard output, held back until the input was good (out.c) -- */

/*
 * Programs write stdout through these.  With sme_out_hold(1) nothing
 * reaches stdout before sme_out_finish(): output is held in memory up to
 * SME_OUT_MEM bytes, then in an unlinked temporary file in $TMPDIR, so
 * that a program that dies on bad input leaves no partial output; at
 * the end the temporary file goes out with sendfile(2).  Into a regular
 * file of its own (not shared with stderr) output is written in place
 * and cut back on failure; into /dev/null it is not held.
 * Write errors exit 6.
 */
#define SME_OUT_MEM (4u << 20)
void sme_out_hold(int hold);
/* room for n bytes in the buffer; commit what was used with _commit */
char *sme_out_reserve(size_t n);
void sme_out_commit(size_t used);
/*
 * Held output can be rewritten in place: sme_out_offset() is where the
 * next byte goes; sme_out_patch() overwrites n bytes written at off
 * (0, or -1 when output is not held).  A no-op into /dev/null.
 */
off_t sme_out_offset(void);
int sme_out_patch(off_t off, const void *p, size_t n);
/* forget everything held so far (nothing has reached stdout yet) */
void sme_out_discard(void);
/* copy held output to stdout, flush, check ferror and close; exits 6 */
void sme_out_finish(void);
/* write(2) all of p, again after EINTR; 0, or -1 with errno */
int sme_write_all(int fd, const void *p, size_t n);
/* an unlinked temporary file in $TMPDIR (or /tmp), open for update; exits 6 */
FILE *sme_tmpfile(void);
/*
 * 1 when reading fd would read what stdout writes: stdout is a regular
 * file and fd is that same file (as cat(1) checks).  Input readers refuse
 * it with exit 2: the output would grow without limit.
 */
int sme_out_isinput(int fd);
/*
 * Held output written straight into a regular file is cut back to the
 * file's old size on exit without sme_out_finish() and on SIGTERM, SIGINT
 * and SIGHUP (through sig.c; the program then dies of the signal).
 */

/* ---- decimal: exact decimal values (decimal.c) -------------------------- */

/* value = v / 10^scale; at most 18 significant digits, scale 0..18 */
struct sme_dec {
	int64_t v;
	int scale;
};
#define SME_DEC_DIGITS 18
/*
 * sme_dec_parse: SME_DEC_RANGE, more than 18 significant digits;
 * SME_DEC_BIG, a magnitude of 10^18 or more; SME_DEC_FINE, more than 18
 * decimal places.
 */
enum { SME_DEC_OK = 0, SME_DEC_SYNTAX = -1, SME_DEC_RANGE = -2,
    SME_DEC_BIG = -3, SME_DEC_FINE = -4 };
/* JSON number syntax; keeps the digits given (1.50 stays 1.50) */
int sme_dec_parse(struct sme_dec *d, const char *s, size_t n);
/* exact r = a - b, r = a + b; SME_DEC_RANGE when the result overflows */
int sme_dec_sub(struct sme_dec *r, struct sme_dec a, struct sme_dec b);
int sme_dec_add(struct sme_dec *r, struct sme_dec a, struct sme_dec b);
int sme_dec_cmp(struct sme_dec a, struct sme_dec b);
/* exact d = d * 10^k; SME_DEC_BIG or SME_DEC_FINE when it cannot be held */
int sme_dec_shift(struct sme_dec *d, int k);
int sme_dec_sign(struct sme_dec a);
/* writes at most SME_DEC_MAX bytes, no NUL; point is '.' or ',' */
#define SME_DEC_MAX 24
size_t sme_dec_format(struct sme_dec d, char *buf, char point);

/* ---- obis: OBIS codes (obis.c) ------------------------------------------ */

/* groups A-B:C.D.E*F; mask has bit i set when group i was given */
struct sme_obis {
	uint8_t g[6];
	uint8_t mask;
};
#define SME_OBIS_FULL 0x3f
#define SME_OBIS_MAX 24		/* "255-255:255.255.255*255" and NUL */
enum { SME_OBIS_A, SME_OBIS_B, SME_OBIS_C, SME_OBIS_D, SME_OBIS_E,
    SME_OBIS_F };
/*
 * Parses "1-0:1.8.0*255", "1-0:1.8.0", "1.8.0", "0100010800FF", with
 * spaces anywhere ("1-0 : 1.8.0 * 255"); 0 or -1.
 * sme_obis_parse fills absent groups with the defaults A=1, B=0, F=255;
 * sme_obis_pattern leaves them unset in mask (they then match anything).
 */
int sme_obis_parse(struct sme_obis *o, const char *s, size_t n);
int sme_obis_pattern(struct sme_obis *o, const char *s, size_t n);
/* full form, NUL-terminated; returns the length */
size_t sme_obis_format(const struct sme_obis *o, char *buf);
/* "1-1:1.8.0" (IS-E style, no F) */
size_t sme_obis_format_short(const struct sme_obis *o, char *buf);
int sme_obis_cmp(const struct sme_obis *a, const struct sme_obis *b);
int sme_obis_match(const struct sme_obis *pattern, const struct sme_obis *o);
/* the same quantity: equal, but B=0 and B=1 both name the main channel */
int sme_obis_same(const struct sme_obis *a, const struct sme_obis *b);
/*
 * A list "a;b, c;" (the product's column syntax): full codes when full is
 * set (sme_obis_parse), else patterns; the count, or -1 (bad entry in *bad).
 */
int sme_obis_list(const char *s, int full, struct sme_obis **v, char **bad);

enum sme_dialect { SME_DIALECT_NONE, SME_DIALECT_CSV, SME_DIALECT_ISE,
    SME_DIALECT_MSCONS };
int sme_dialect_parse(const char *name);	/* -1 when unknown */
const char *sme_dialect_name(int d);
/* rewrite o into dialect d; -1 when that format cannot carry it */
int sme_obis_map(struct sme_obis *o, int dialect);

struct sme_obis_info {
	const char *medium;	/* "electricity", "heat", ... */
	const char *quantity;	/* "active energy import", ... */
	const char *unit;	/* "kWh", "kvarh", "m3" or NULL */
};
void sme_obis_describe(const struct sme_obis *o, struct sme_obis_info *info);
/* the known code tables, in the order of the product page */
struct sme_obis_entry {
	const char *code;
	int dialect;
	const char *description;
	const char *unit;
};
extern const struct sme_obis_entry sme_obis_table[];
extern const size_t sme_obis_ntable;

/* ---- time: UTC, zones, intervals (timeutil.c) --------------------------- */

/* instants are int64 nanoseconds since 1970-01-01T00:00:00Z */
#define SME_NS 1000000000LL
/*
 * RFC 3339 with Z or an offset, converted to UTC; 0, SME_TIME_SYNTAX, or
 * for valid RFC 3339 beyond the limits: SME_TIME_LEAP (a leap second,
 * :60), SME_TIME_RANGE (a year outside 1678 to 2261), SME_TIME_FINE
 * (non-zero digits past the ninth fraction digit).
 */
enum { SME_TIME_SYNTAX = -1, SME_TIME_LEAP = -2, SME_TIME_RANGE = -3,
    SME_TIME_FINE = -4 };
#define SME_TIME_YMIN 1678
#define SME_TIME_YMAX 2261
int sme_time_parse(int64_t *ns, const char *s, size_t n);
/* the value of n ASCII digits at s, or -1 when one is not a digit */
int sme_time_digits(const char *s, int n);
/* "2026-11-01T00:15:00Z" (fraction only when non-zero); returns length */
#define SME_TIME_MAX 40
size_t sme_time_format(int64_t ns, char *buf);

/*
 * Zones come from the system zone database (TZDIR or
 * /usr/share/zoneinfo).  A process works in one zone at a time:
 * sme_zone_set() selects it; -1 when the name is unknown, -2 when there
 * is no zone database (no sme_zone_dir() holding a TZif file "UTC").
 */
int sme_zone_set(const char *name);
const char *sme_zone_dir(void);
/* seconds east of UTC at instant sec, and the local broken-down time */
int sme_zone_local(int64_t sec, struct tm *tm);
/* "2026-11-01T01:15:00+01:00"; returns length */
size_t sme_time_format_local(int64_t ns, char *buf);
/*
 * Local wall time to UTC seconds.  On a day of 25 hours the first
 * (summer-time) instance of an ambiguous time is taken; a time that does
 * not exist (the skipped hour) maps to the instant after the gap.
 */
int64_t sme_zone_mktime(int y, int mon, int d, int h, int mi, int s);

enum sme_interval { SME_IV_15MIN, SME_IV_HOUR, SME_IV_DAY, SME_IV_WEEK,
    SME_IV_MONTH, SME_IV_QUARTER, SME_IV_HALFYEAR, SME_IV_YEAR };
int sme_interval_parse(const char *name);	/* -1 when unknown */
const char *sme_interval_name(int iv);
/* start of the local period containing sec; start of the next one */
int64_t sme_interval_floor(int iv, int64_t sec);
int64_t sme_interval_next(int iv, int64_t sec);
/* "15m", "1h", "90s", "900" (seconds) to seconds; -1 when bad */
int64_t sme_duration_parse(const char *s);

/* ---- record: the JSON-lines record stream (record.c) -------------------- */

enum sme_quality { SME_Q_MEASURED, SME_Q_ESTIMATED, SME_Q_SUBSTITUTED,
    SME_Q_MISSING };
extern const char *const sme_quality_names[];

/* a string field: decoded bytes, NUL-terminated (except extra); p == NULL when absent */
struct sme_str {
	const char *p;
	size_t n;
};

enum {
	SME_R_TIME = 1 << 0,		/* time is set */
	SME_R_INTERVAL = 1 << 1,	/* start and end are set */
	SME_R_VALUE = 1 << 2,		/* value is set */
	SME_R_TARIFF = 1 << 3,		/* tariff is set */
	SME_R_QUALITY = 1 << 4		/* quality was given explicitly */
};

struct sme_record {
	const char *file;	/* display name ("<stdin>") */
	long line;
	unsigned flags;
	struct sme_str meter, device, mpid, unit;
	struct sme_obis obis;
	int64_t time, start, end;	/* ns, UTC */
	struct sme_dec value;
	int quality;
	long tariff;
	/* unknown members, verbatim: "\"k\":v,\"k2\":[1,2]" (n == 0: none) */
	struct sme_str extra;
};

/*
 * Parses one line (without its newline) into r.  Strings in r point into
 * line or into r-owned scratch (valid until the next parse into the same
 * sme_parser).  Returns 0, or -1 with a message in err (the record's
 * text in it already escaped by sme_shown: print it as it is).
 */
struct sme_parser;
struct sme_parser *sme_parser_new(void);
void sme_parser_free(struct sme_parser *p);
int sme_record_parse(struct sme_parser *p, struct sme_record *r,
    const char *line, size_t len, char *err, size_t errlen);

/*
 * Reads records from files in order ("-" or no file: stdin).  Bad input
 * exits 3 with "file:line: message"; a read error exits 6.  Blank lines
 * are skipped; lines longer than SME_LINE_MAX are bad input.
 */
#define SME_LINE_MAX (1u << 20)
struct sme_reader;
struct sme_reader *sme_reader_open(char **files, int nfiles);
/* 1 with a record, 0 at the end of all input */
int sme_reader_next(struct sme_reader *rd, struct sme_record *r);
long sme_reader_count(const struct sme_reader *rd);
void sme_reader_close(struct sme_reader *rd);

/* writes r as one JSON line through out.c, fields in the record order */
void sme_record_write(const struct sme_record *r);

/* orders meters: integers numerically and before other names, which go by bytes */
int sme_meter_cmp(struct sme_str a, struct sme_str b);

/* ---- profile: register readings to interval values (profile.c) ------- */

/*
 * mode 'p': each pair of consecutive readings of a (meter, code) becomes
 * one interval value [t1, t2) with the difference, D group 29; 'f': one
 * feed value over the whole span per pair, D group 9, at the end.
 * A step longer than interval (ns) is a gap: the interval is emitted with
 * quality "missing" and a warning names meter and period.  A register
 * that goes backwards, a duplicate or out-of-order reading exits 3.
 * emit() receives records that are valid only during the call.
 * sme_profile_finish() returns how many gaps and lone readings were met.
 */
struct sme_profile;
struct sme_profile *sme_profile_new(int mode, int64_t interval);
void sme_profile_add(struct sme_profile *pf, const struct sme_record *r,
    void (*emit)(struct sme_record *, void *), void *arg);
long sme_profile_finish(struct sme_profile *pf,
    void (*emit)(struct sme_record *, void *), void *arg);

/* ---- csv: CSV fields, sorting, interned strings (csv.c, extsort.c, intern.c) */

/*
 * Writes s as one CSV field at o, quoted as RFC 4180 says when it holds
 * delim, '"', CR or LF; needs room for 2n + 2 bytes; returns the end.
 */
char *sme_csv_field(char *o, const char *s, size_t n, int delim);
/*
 * Writes s as the formula ="s" that spreadsheets show as exactly the text
 * s ('"' and control characters as CHAR(n), literals of at most 255
 * bytes); needs room for 13n + 3 bytes; returns the length, no NUL.
 */
#define SME_CSV_FORMULA(n) (13 * (n) + 3)
size_t sme_csv_formula(char *o, const char *s, size_t n);

/*
 * Sorts entries of a fixed size in about mem bytes of memory, whatever
 * their number: full chunks go to an unlinked temporary file in $TMPDIR
 * as sorted runs, which reading merges.  Entries that arrive in order are
 * never sorted, only written and read back.  _add copies the entry; the
 * first _next ends adding, and its pointer is valid until the next call.
 * Write and read errors on the temporary file exit 6.
 */
struct sme_extsort;
struct sme_extsort *sme_extsort_new(size_t size, size_t mem,
    int (*cmp)(const void *, const void *));
void sme_extsort_add(struct sme_extsort *s, const void *e);
const void *sme_extsort_next(struct sme_extsort *s);
void sme_extsort_free(struct sme_extsort *s);

/*
 * Interned strings: sme_intern() returns the id of the string p, n (a
 * copy is kept): 0, 1, 2, ... in order of first appearance; v[id] is the
 * string, NUL-terminated.  A zeroed struct is an empty table.
 */
struct sme_intern {
	struct sme_str *v;
	uint32_t n, last;
	uint32_t *slot;
	size_t nslot;
};
uint32_t sme_intern(struct sme_intern *t, const char *p, size_t n);
void sme_intern_free(struct sme_intern *t);

/* ---- edifact: EDIFACT segments (edifact.c) ---------------------------- */

/* s with ? before each of ? ' + : (the release character first); needs 2n */
size_t sme_edi_escape(char *o, const char *s, size_t n);

/*
 * A tokenizer: sme_edi_next() fills s with the next segment (UNA is read
 * and obeyed, line ends between segments skipped), components unescaped
 * and NUL-terminated; 1, or 0 at the end.  Bad syntax exits 3.
 */
#define SME_EDI_MAXEL 32
#define SME_EDI_MAXCOMP 16
struct sme_edi_seg {
	const char *tag;
	int nel;		/* elements, the tag included */
	struct {
		int ncomp;
		char *comp[SME_EDI_MAXCOMP];
	} el[SME_EDI_MAXEL];
	long line;		/* where the segment starts */
	long n;			/* its number in the interchange, from 1 */
	char buf[8192];
};
struct sme_edi;
struct sme_edi *sme_edi_open(FILE *f, const char *name);
int sme_edi_next(struct sme_edi *e, struct sme_edi_seg *s);
/* component comp of element el ("" when absent) */
const char *sme_edi_get(const struct sme_edi_seg *s, int el, int comp);
char sme_edi_point(const struct sme_edi *e);	/* the UNA decimal mark */
void sme_edi_close(struct sme_edi *e);

/* ---- mscons: MSCONS 2.2e / 2.4a load profiles (mscons.c, msconsread.c) - */

struct sme_mscons_opt {
	int release;		/* 22: 2.2e, 24: 2.4a */
	const char *sender, *receiver;
	int squal, rqual;	/* UNB code qualifiers 500 or 14 */
	const char *mpid;	/* -m: every record's metering point */
	const char *pid;	/* Pruefidentifikator */
	const char *ref;	/* -n, or NULL: derived from the content */
	const char *docno;	/* -N, or NULL: derived from the content */
	int missing;		/* -e: send missing intervals as the release allows */
	int fullobis;		/* -F: PIA codes with *F */
	int rffmg;		/* -M: RFF+MG meter number (outside MIG/AHB) */
	const char *stsmethod, *stsreason;	/* -S: 2.4a STS Z32, Z40 with QTY 67 */
};
/*
 * Writes one interchange through out.c (held output: UNB is completed at
 * the end).  Bad records exit 3 with file:line.  _finish writes UNZ and
 * gives the interchange reference and the day of its date (yyyymmdd).
 */
struct sme_mscons;
struct sme_mscons *sme_mscons_new(const struct sme_mscons_opt *o);
void sme_mscons_add(struct sme_mscons *m, const struct sme_record *r);
void sme_mscons_finish(struct sme_mscons *m, char ref[32], char day[9]);
/* 1 when s holds only printable ASCII (what goes into IDs) */
int sme_mscons_plain(const char *s, size_t n);
/* -d: an interchange back into interval records (sme_record_write) */
long sme_mscons_read(FILE *f, const char *name);

/* ---- ise: innosolv IS-E rows, an inferred layout (ise.c) -------------- */

enum { SME_ISE_READING, SME_ISE_FEED, SME_ISE_PROFILE, SME_ISE_PEAK };
#define SME_ISE_MAXCOLS 16
#define SME_ISE_TIMEMAX 64	/* -t: bytes of the time format */
struct sme_ise_opt {
	int kind;		/* -k */
	int basic;		/* -b: kWh only */
	char delim;		/* -d */
	const char *timefmt;	/* -t: %Y %m %d %H %M %S %z %:z %% */
	int cols[SME_ISE_MAXCOLS];	/* -c */
	int ncols;
};
int sme_ise_kind(const char *s);	/* -1 when unknown */
/* "mpid;meter;obis;time;value;unit;status" (also start, end); count or -1 */
int sme_ise_columns(struct sme_ise_opt *o, const char *s, char **bad);
int sme_ise_timefmt(const char *f);	/* 0, or -1 when bad */
void sme_ise_header(const struct sme_ise_opt *o);
/* one row through out.c (a gap: one row per quarter-hour); 1 when -b drops it */
int sme_ise_write(const struct sme_ise_opt *o, const struct sme_record *r);

/* ---- dupes: duplicates over the whole input (dupes.c) ------------------- */

/*
 * Collects every record's meter, code (B=0 and B=1 as one), virtual tariff
 * and time or interval in bounded memory (an external sort); _finish dies,
 * exit 3, at the first record that repeats another or whose interval
 * overlaps another's, naming both lines, and frees d.  File names given
 * in records must live until _finish.
 */
struct sme_dupes;
/*
 * The key of r's series into *key (grown as needed, *cap its size): the
 * meter, a NUL, the code with B=0 and B=1 as one, the virtual tariff when
 * there is one; returns its length.  sme-obis -p and -f use it too.
 */
size_t sme_series_key(char **key, size_t *cap, const struct sme_record *r);
struct sme_dupes *sme_dupes_new(void);
void sme_dupes_add(struct sme_dupes *d, const struct sme_record *r);
void sme_dupes_finish(struct sme_dupes *d);

/* ---- transfer: delivery of files (url.c, netrc.c, tmpname.c, receipt.c,
 * transfer.c, ftp.c, sftp.c, localfile.c) ---------------------------------- */
/*
 * URLs: scheme://[user@]host[:port]/path.  The path after the host's '/'
 * is relative to the login folder; "//srv/in/" or "/%2Fsrv/in/" makes it
 * absolute (file:// paths are always absolute).  A trailing '/' names a
 * folder, anything else the remote file.  A password in the URL is refused.
 */
enum sme_scheme { SME_FTP, SME_FTPS, SME_FTPES, SME_SFTP, SME_FILE };
struct sme_url {
	int scheme;
	char *user;		/* NULL when the URL has none */
	char *host;		/* "" for file://; IPv6 without brackets */
	int port;		/* the scheme's default when not given */
	int portgiven;
	char *dir;		/* "", "Export/", "/srv/in/": '/' at the end */
	char *name;		/* the remote file name; NULL for a folder */
};
/* 0, or -1 with a message (never a secret, the url escaped) in err */
int sme_url_parse(struct sme_url *u, const char *s, char *err, size_t errlen);
void sme_url_free(struct sme_url *u);
/* "scheme://host[:port]/dir/name" without user or password; caller frees */
char *sme_url_string(const struct sme_url *u, const char *name);
/* 0 when name can be a remote file name (no '/', no control characters) */
int sme_name_check(const char *name);

/*
 * login and password for host (and user, when given) from $HOME/.netrc
 * (netrc.c); both secrets (sme_secret_free).  0 when an entry matched, -1
 * when none did or there is no file; a file others can read exits 5, a
 * login or password with CR, LF or NUL exits 2.
 */
int sme_netrc_find(const char *host, const char *user, char **login,
    char **password);
/* ".NAME.sme-XXXXXX.part", beside NAME (tmpname.c); caller frees */
char *sme_tmpname(const char *name);

struct sme_xfer_opt {
	const char *cafile;	/* -C: TLS trust anchors */
	const char *known_hosts; /* -K, else ~/.ssh/known_hosts */
	const char *fingerprint; /* -H SHA256:... pins the SSH host key */
	const char *keyfile;	/* -i */
	char *password;		/* owned; wiped and freed by sme_xfer_free */
	char *passphrase;	/* owned; likewise */
	int retries;		/* transient failures retried this often */
	int mkdirs;		/* -m */
	int insecure;		/* -k */
	int direct;		/* -R: no temporary name */
	int progress;		/* a bar on stderr */
	long timeout;		/* seconds: connect, each reply, a stall */
	double backoff;		/* seconds before the first retry; doubles */
	int tlsmax;		/* 0, 12 or 13: highest TLS version */
};

struct sme_xfer;
/* the connection is made on the first put and kept for the next ones */
struct sme_xfer *sme_xfer_new(const struct sme_url *u, struct sme_xfer_opt *o);
/*
 * Delivers the open local file fd (path as given, "-" for stdin) as name
 * in the URL's folder: under a temporary name, size checked on the
 * server, then renamed; prints the receipt on stdout.  Retries transient
 * failures.  Returns 0, or an SME_EX_* status after a message.
 */
int sme_xfer_put(struct sme_xfer *x, const char *path, int fd,
    const char *name);
void sme_xfer_free(struct sme_xfer *x);
/*
 * a descriptor for fd's bytes in an unlinked temporary file; -1 when fd
 * cannot be read, -2 when the copy cannot be written (errno says why)
 */
int sme_spool(int fd);
/*
 * file://: exits 2 when file (or "-", standard input) is the file it
 * would be delivered to as name (the same device and inode)
 */
void sme_file_notself(const struct sme_url *u, const char *file,
    const char *name);

/*
 * SHA-256 of the bytes sent (receipt.c): large files on a second thread.
 * _start begins again; _stop waits until all that was added is hashed.
 */
struct sme_digest;
struct sme_digest *sme_digest_new(void);
void sme_digest_start(struct sme_digest *d, int64_t size);
void sme_digest_add(struct sme_digest *d, const char *p, size_t n);
void sme_digest_stop(struct sme_digest *d);
void sme_digest_free(struct sme_digest *d);

/* between transfer.c and the protocol modules (ftp.c, sftp.c, localfile.c) */
enum { SME_XF_AGAIN = -1 };	/* transient failure: worth a retry */
struct sme_put {
	int fd;
	const char *path;	/* local display name */
	const char *name;	/* final remote name */
	char *tmp;		/* temporary remote name; == name with -R */
	int64_t size;		/* bytes to send */
	int64_t done;		/* bytes read so far */
	int left;		/* set when tmp may remain on the server */
	struct sme_digest *md;	/* the digest of the bytes read */
};
struct sme_proto {
	int (*connect)(struct sme_xfer *x);
	int (*put)(struct sme_xfer *x, struct sme_put *p);
	int (*remove)(struct sme_xfer *x, const char *name); /* 0 when gone */
	void (*close)(struct sme_xfer *x);
};
extern const struct sme_proto sme_proto_ftp, sme_proto_sftp, sme_proto_file;
struct sme_xfer {
	const struct sme_url *url;
	const struct sme_xfer_opt *opt;
	const struct sme_proto *proto;
	void *conn;		/* the protocol's state */
	int connected;
	char *site;		/* "sftp://host:port", for messages */
	char err[1024];		/* why the last step failed: raw, shown escaped */
	char **stale;		/* temporaries that failed attempts left */
	size_t nstale;
	double t0, tlast;	/* progress */
	double stall;		/* monotonic: the last progress + SME_UPLOAD_TIMEOUT */
};
/* sets x->err; returns status */
int sme_xfer_fail(struct sme_xfer *x, int status, const char *fmt, ...);
/* the next bytes of the file: > 0, 0 at its end, -1 (x->err set) */
long sme_put_read(struct sme_xfer *x, struct sme_put *p, char *buf,
    size_t n);
/* "dir" + name for the server: a path relative to the login folder */
char *sme_xfer_path(struct sme_xfer *x, const char *name);
/*
 * Progress on the delivery (data the server took, a file done): the stall
 * deadline moves to SME_UPLOAD_TIMEOUT from now.  Every wait on the server
 * ends by x->stall at the latest, retries and their pauses included.
 */
void sme_xfer_progress(struct sme_xfer *x);
/* p, whole and checked, stays under its temporary name: says where, and
 * that nothing is to be removed */
void sme_xfer_kept(struct sme_xfer *x, struct sme_put *p);
double sme_xfer_now(void);	/* CLOCK_MONOTONIC, in seconds */

/*
 * known_hosts as OpenSSH reads it (knownhosts.c): the lines for host at
 * port (looked up as "host" on port 22, else as "[host]:port"; comma
 * lists of patterns with '*' and '?', '!' negating; "|1|" hashed names;
 * @revoked).  @cert-authority lines and keys in other forms are skipped.
 */
enum { SME_KH_OK, SME_KH_UNKNOWN, SME_KH_CHANGED, SME_KH_REVOKED };
struct sme_khent {
	int revoked;
	char type[40];		/* "ssh-ed25519" */
	unsigned char *blob;	/* the key, decoded */
	size_t len;
};
struct sme_kh {
	struct sme_khent *v;
	size_t n;
};
/* 0, or -1 with a message in err (a missing file is none unless must) */
int sme_kh_load(struct sme_kh *kh, const char *path, const char *host,
    int port, int must, char *err, size_t errlen);
/* SME_KH_*: the server's key blob of the type named */
int sme_kh_check(const struct sme_kh *kh, const void *key, size_t klen,
    const char *type);
int sme_kh_has_type(const struct sme_kh *kh, const char *type);
void sme_kh_free(struct sme_kh *kh);
/* a name against a pattern list "a,*.b,!c": 1 match, -1 negated, 0 none */
int sme_kh_match(const char *name, const char *list);

/* 0 when s is UTF-8, which a receipt can hold; -1 otherwise (receipt.c) */
int sme_receipt_utf8(const char *s);
/* the receipt line of a delivered file on stdout (receipt.c); exits 6 */
void sme_receipt(struct sme_xfer *x, struct sme_put *p, double secs);

/* ---- end transfer -------------------------------------------------------- */

/* ---- secret: passwords, passphrases, API keys and tokens (secret.c) ---- */

/*
 * A secret lives in one heap copy, made by the functions below and given
 * back with sme_secret_free(), which wipes it.  No message ever shows one.
 */
/* no core dump, no ptrace by the same user: before any secret is read */
void sme_secret_protect(void);
/* 0 when the n bytes of s hold no CR, LF or NUL; -1 otherwise */
int sme_secret_clean(const char *s, size_t n);
/* what is wrong with a secret, never showing it: "is empty", "holds a NUL
 * byte", "holds a carriage return", "holds a line feed"; NULL: nothing */
const char *sme_secret_flaw(const char *s, size_t n);
/* $name as a secret, or NULL when unset; a CR or LF in it exits 2 */
char *sme_secret_env(const char *name);
/*
 * The whole of a file (at most max bytes), NUL-terminated, its length in
 * *len; messages call it "WHAT file PATH".  A pipe or FIFO (<(pass show x))
 * is read to its end, which must come within SME_SECRET_WAIT seconds of
 * the open.  Exits 6 when unreadable, neither a regular file nor a pipe, or
 * too slow; 5 when private is set and group or others may read it (a FIFO's
 * mode counts as a file's).  Give it back wiped.
 */
#define SME_SECRET_WAIT 10
char *sme_secret_load(const char *path, const char *what, size_t max,
    size_t *len, int private);
/* the first line of a file (LF or CRLF ends it); empty or CR/NUL exit 2 */
char *sme_secret_file(const char *path, const char *what);
void sme_secret_wipe(void *p, size_t n);
void sme_secret_free(char *s);
/*
 * free() and realloc() that wipe what they give back, for libraries that
 * take allocators (libssh2_session_init_ex, curl_global_init_mem): the
 * copies of secrets they make do not outlive their use.
 */
void sme_secret_freemem(void *p);
void *sme_secret_realloc(void *p, size_t n);

/* ---- sig: SIGTERM, SIGINT, SIGHUP (sig.c) -------------------------------- */

/*
 * sme_sig_catch() catches the three signals.  The handler runs the
 * clean-ups registered (last first; they must be async-signal-safe, e.g.
 * ftruncate, unlink), then dies of the signal with its default action, so
 * that the exit status says which.  Deferred, the first signal is only
 * noted (blocking calls return EINTR): the program polls sme_sig_caught(),
 * cleans up what needs more than a signal handler may do, and calls
 * sme_sig_die(); a second signal dies at once.
 */
void sme_sig_catch(void);
void sme_sig_atcleanup(void (*fn)(void));
void sme_sig_defer(int on);
int sme_sig_caught(void);
/* when a signal was caught: run the clean-ups and die of it */
void sme_sig_die(void);

/* ---- export: sme-export's config, periods, state, children -------------- */

/* jsonpos.c: the line where each value of a JSON text starts, by path */
struct sme_jpos {
	struct { char *path; long line; } *v;	/* "jobs[2].format" */
	size_t n, cap;
};
void sme_jpos_scan(struct sme_jpos *jp, const char *text, size_t n);
long sme_jpos_line(const struct sme_jpos *jp, const char *path); /* 0: none */
void sme_jpos_free(struct sme_jpos *jp);

/* config.c: partner (shared) and user settings; every error exits 3 */
enum { SME_FMT_MSCONS, SME_FMT_CSV, SME_FMT_ISE };
enum { SME_TRIG_COMPLETE, SME_TRIG_12H };
struct sme_target {
	char *name, *url;
	char *key, *known_hosts, *cafile, *password_file, *passphrase_file;
	int scheme;		/* SME_FTP ... SME_FILE */
	int shared;		/* from the partner file */
	const char *file;	/* where it was defined */
	long line;
};
struct sme_format {
	char *name;
	int type;		/* SME_FMT_* */
	char *release, *sender, *receiver, *pid;	/* mscons */
	char *columns, *delimiter, *decimal, *time_format; /* csv (delimiter: ise too) */
	int header, crlf;	/* csv: 1, 0 by default */
	int plain;		/* csv: "plain_ids", sme-csv -P */
	char *kind;		/* ise: reading, feed, profile, peak */
	int basic;		/* ise -b */
	int shared;
	const char *file;
	long line;
};
struct sme_job {
	char *name, *mpid, *folder, *zone, *start;
	char **devices;
	size_t ndevices;
	char **tariffs;		/* "NAME=N", for sme-fetch -T */
	size_t ntariffs;
	struct sme_format *format;
	struct sme_target *target;
	int interval;		/* SME_IV_HOUR ... SME_IV_YEAR */
	int trigger;		/* SME_TRIG_* */
	int virtual;		/* "values": "virtual-tariffs" */
	int skip_empty;		/* "on_empty": "skip" */
	char *grid;		/* reading interval for sme-fetch -i, "15m" */
	const char *file;
	long line;
};
struct sme_config {
	char *partner, *user;	/* the files read (partner: NULL if none) */
	struct sme_target **targets;
	size_t ntargets;
	struct sme_format **formats;
	size_t nformats;
	struct sme_job **jobs;
	size_t njobs;
	char *api_url, *api_auth_file;	/* from the user file's "api" */
};
/* partner: NULL for none; partner_named: a missing file is an error */
struct sme_config *sme_config_load(const char *partner, int partner_named,
    const char *user);
void sme_config_free(struct sme_config *c);
struct sme_job *sme_config_job(const struct sme_config *c, const char *name);
/* 0 when name can name an entry (and a state file): [A-Za-z0-9][A-Za-z0-9._-]* */
int sme_config_name_check(const char *name);

/* period.c: a job's periods in its zone (call sme_zone_set first) */
struct sme_period {
	int64_t start, end;	/* seconds, UTC: [start, end) */
};
/* the job's "start": a local date or an RFC 3339 time; -1 with a message */
int sme_period_first(const struct sme_job *j, int64_t *start, char *err,
    size_t errlen);
struct sme_period sme_period_at(int iv, int64_t start);
/* the instant the period becomes due for its trigger */
int64_t sme_period_due(const struct sme_job *j, struct sme_period p);
/* "2026-11-01" local (hourly: "2026-11-01T13:00+01:00") */
#define SME_LABEL_MAX 48
void sme_period_label(int iv, struct sme_period p, char *buf);
/* the file name of a job's period: "job_20261101.edi" */
char *sme_period_filename(const struct sme_job *j, struct sme_period p);

/* state.c: per job, the next period; atomic writes, one lock per job */
struct sme_state {
	char *start;		/* the config "start" that next was counted from */
	int64_t next;		/* the next period's start; valid when start set */
	char *last_period, *last_file, *last_sha256, *last_url;
	int64_t last_sent;
	char *wait_period, *wait_status, *wait_why;
	int64_t wait_since;	/* 0: not waiting */
};
/* 1 loaded, 0 no state yet, -1: message in err (corrupt: exit 3, else 6) */
int sme_state_load(const char *dir, const char *job, struct sme_state *st,
    char *err, size_t errlen, int *status);
/* temporary file, fsync, rename (no fsync of the folder: see state.c); 0 or -1 */
int sme_state_save(const char *dir, const char *job,
    const struct sme_state *st);
void sme_state_free(struct sme_state *st);
/* flock on dir/job.lock: fd, -1 when another run holds it, -2 (errno) */
int sme_state_lock(const char *dir, const char *job);
/* a NEW JSON string of s; bytes that are not UTF-8 become '?' */
struct json_t *sme_state_text(const char *s);

/* pipeline.c: the programs that export one period, as argv lists */
struct sme_pipeline {
	char **fetch, **map, **format, **upload;	/* NULL-terminated */
};
/* file: the formatted file that sme-upload sends (its base name is kept) */
void sme_pipeline_build(struct sme_pipeline *pl, const struct sme_config *c,
    const struct sme_job *j, struct sme_period p, const char *file);
void sme_pipeline_free(struct sme_pipeline *pl);
/* as a shell command: fetch | map | format >file && upload */
void sme_pipeline_print(FILE *fp, const struct sme_pipeline *pl,
    const char *file);

/* export.c: running, showing and listing jobs */
struct sme_run {
	const struct sme_config *cfg;
	const char *statedir;
	int64_t now;		/* seconds */
	int dry;		/* -n */
	int tty;		/* stdout is a terminal (list) */
	unsigned timeout;	/* seconds a step may take */
	int status;		/* the exit status so far */
	long sent, waiting, empty, failed;
	int64_t inside;		/* ns while a step's programs ran */
	FILE *err, *rcpt;	/* a period's messages and receipt */
	int null;		/* /dev/null, the children's stdin */
};
/* CLOCK_MONOTONIC in ns */
int64_t sme_export_clock(void);
/* exports every due period of j; updates r->status */
void sme_export_job(struct sme_run *r, const struct sme_job *j);
/* -p: the pipeline of the job's next period */
void sme_export_print(struct sme_run *r, const struct sme_job *j);
void sme_export_status(struct sme_run *r, const struct sme_job *j);
void sme_export_list(struct sme_run *r, int json);
/* --shard: the shard (0 .. n-1) of a job's name */
unsigned sme_export_shard(const char *name, unsigned n);

/* spawn.c: child processes that die with us */
extern volatile sig_atomic_t sme_spawn_signal;	/* SIGTERM/INT/HUP caught */
extern volatile sig_atomic_t sme_spawn_timedout; /* the deadline passed */
/* SIGTERM to the children after this many seconds (0: none) */
void sme_spawn_deadline(unsigned seconds);
void sme_spawn_init(const char *argv0);	/* handlers; where the programs are */
/* fork and exec argv[0] (ours first, then PATH) with these fds; pid or -1 */
pid_t sme_spawn(char *const argv[], int in, int out, int err);
/* waits for pid; its exit status, 128+signal when killed */
int sme_spawn_wait(pid_t pid);
/* the children still running get SIGTERM */
void sme_spawn_kill(void);
/* argv as one shell line, each word quoted when it needs it; caller frees */
char *sme_spawn_shell(char *const argv[]);
/* ---- http: many HTTP requests at once, libcurl multi (http.c) ---------- */

/*
 * At most jobs transfers are in flight, on connections that are kept and
 * reused (HTTP/2 where the server offers it).  429, 500, 502, 503, 504 and
 * transient network failures are retried up to retries times, after
 * backoff * 2^(n-1) seconds with jitter (x 0.5 to 1.5), or Retry-After when
 * the server asks for longer; never longer than maxwait at once or
 * maxtime in all.  Proxies from the environment and ~/.netrc are ignored.
 */
struct curl_slist;
struct sme_http_req;
struct sme_http_opt {
	int jobs;
	long timeout;		/* seconds: connect; no byte for this long */
	int retries;
	double backoff, maxwait, maxtime;	/* seconds */
	size_t maxbody;		/* a longer reply fails (64 MiB when 0) */
	const char *cafile;
	/* the request headers of each attempt; freed (wiped) after it */
	struct curl_slist *(*headers)(struct sme_http_req *rq, void *arg);
	void *arg;
};
struct sme_http_req {
	char *url;		/* owned; never holds a secret */
	char *post;		/* owned form body, or NULL for GET */
	void (*done)(struct sme_http_req *rq);	/* once, at the end */
	void *arg;		/* the caller's */
	long tag;		/* the caller's */
	long gen;		/* the credentials' generation it was sent with */
	int reauth;		/* sent again after a 401 */
	long status;		/* HTTP status; 0 when no reply (err says why) */
	char *body;		/* the reply, NUL-terminated; done() may take it */
	size_t len, cap, max;
	char ctype[128];	/* content-type of the reply */
	char err[256];
	int attempt;
	double retry_after, when, t0;
	struct sme_http_req *next;
};
struct sme_http;
struct sme_http *sme_http_new(const struct sme_http_opt *o);
void sme_http_free(struct sme_http *h);
struct sme_http_req *sme_http_req_new(const char *url,
    void (*done)(struct sme_http_req *), void *arg);
void sme_http_req_free(struct sme_http_req *rq);
/* queues rq (the driver owns it; done() may queue more) */
void sme_http_add(struct sme_http *h, struct sme_http_req *rq);
/* the same, before all that wait */
void sme_http_add_first(struct sme_http *h, struct sme_http_req *rq);
/* runs until every request queued is done */
void sme_http_run(struct sme_http *h);
long sme_http_count(const struct sme_http *h);

/* ---- api: the smart-me API's JSON (api.c) and credentials (apiauth.c) -- */

/*
 * sme_api_parse() reads a reply keeping every number as its raw text
 * (sme_api_numtext, sme_api_dec), so no value goes through double.  Keys
 * are found in any casing; null and absent are the same (NULL); enums
 * come as integers or names.  The json_t returned is a NEW reference.
 */
typedef struct json_t json_t;
json_t *sme_api_parse(const char *s, size_t n);
json_t *sme_api_get(json_t *o, const char *key);	/* BORROWED */
const char *sme_api_numtext(json_t *v);
const char *sme_api_str(json_t *v);	/* a string that is no number */
int sme_api_dec(json_t *v, struct sme_dec *d);
int sme_api_int(json_t *v, long long *out);
int sme_api_enum(json_t *v, const char *const *names, int n, long *out);
int sme_api_time(json_t *v, int64_t *ns);
char *sme_api_esc(const char *s);	/* percent-encoded; caller frees */
/*
 * A /ValuesInPastMultiple reply ([{"Date":..,"Values":[{"Obis":..,
 * "Value":..}]}], keys in any casing) without building it in memory: fn
 * gets each value's instant, code and raw number text (num NULL when null
 * or absent, "" with nnum 0 when it is no number).  0; -1 when the body is no such JSON (truncated, malformed);
 * -2 when a Date is missing or bad, or fn returned -1.
 */
typedef int sme_api_value_fn(void *arg, int64_t t, const char *code,
    size_t ncode, const char *num, size_t nnum);
int sme_api_values(const char *body, size_t len, sme_api_value_fn *fn,
    void *arg);
char *sme_api_url(const char *base, const char *fmt, ...);

enum { SME_AUTH_KEY = 1, SME_AUTH_OAUTH, SME_AUTH_BASIC };
struct sme_auth {
	int kind;
	char *key, *id, *secret, *user, *password, *token;	/* secrets */
	double expires;		/* monotonic seconds */
	long generation;	/* counts the tokens obtained */
	char *tokenurl;
	const char *scope;
	int bodyauth;		/* client id and secret in the form body */
	const struct sme_http_opt *http;
};
/*
 * From file (NAME = value lines, refused when others can read it: exit 5)
 * or, without one, the environment: SME_API_KEY, else SME_CLIENT_ID and
 * SME_CLIENT_SECRET, else SME_USER and SME_PASSWORD (with a warning).
 */
void sme_auth_load(struct sme_auth *a, const char *file, const char *base,
    const struct sme_http_opt *http);
void sme_auth_free(struct sme_auth *a);
/* Authorization and Accept; an OAuth token is fetched when needed */
struct curl_slist *sme_auth_headers(struct sme_auth *a, long *generation);
/* after a 401: a new token unless one came since; 0 when nothing helps */
int sme_auth_refresh(struct sme_auth *a, long generation);

/* ---- fetch: readings and inventory from the smart-me API (fetch.c) ---- */

struct sme_fetch_tariff {
	char *name;
	long number;
};
struct sme_fetch_meter {
	char *serial, *id, *mpid;
	char *path, *name;	/* its folder's path and its name, when known */
	int64_t valuedate;	/* ns: its last value, when hasvd */
	int hasvd;
};
struct sme_fetch {
	const char *base;	/* no '/' at the end */
	struct sme_auth auth;
	struct sme_http *http;
	int64_t from, to, interval;	/* ns: [from, to) on the grid */
	long cap;		/* values a call may return */
	int shift;		/* -u: 0, 3, 6; -1: calibrate */
	const char *mpid;	/* -m */
	int jobs, progress;
	struct sme_fetch_tariff *tariffs;
	int ntariffs;
	int incomplete;		/* set when values were missing */
	json_t *menu, *devices;
	struct sme_fetch_meter *m;
	size_t nm;
};
/* sets the header callback of the requests */
struct sme_http_opt *sme_fetch_httpopt(struct sme_http_opt *o);
/* the base URL, checked (no credentials in it); exits 2 */
char *sme_fetch_base(const char *url, const char *what);
void sme_fetch_get(const char *url, void (*done)(struct sme_http_req *),
    void *arg, long tag);
json_t *sme_fetch_json(struct sme_http_req *rq, int may404);
/* the checks of sme_fetch_json without parsing: 0 good, 1 sent again */
int sme_fetch_check(struct sme_http_req *rq, int may404);
json_t *sme_fetch_folder(const char *spec, char **path);
/* needvd: 1 reads /Devices for folder meters, 2 always */
void sme_fetch_resolve(struct sme_fetch *f, char **ops, int nops,
    char **folders, int nfolders, int needvd);
/* the /FolderMenu item of device id and its folder's path (caller frees) */
json_t *sme_fetch_menuitem(const char *id, char **path);
void sme_fetch_meter_free(struct sme_fetch_meter *m);
/* writes the records, sorted by meter, time, code */
void sme_fetch_readings(struct sme_fetch *f, char **ops, int nops,
    char **folders, int nfolders);
/* -L: devices (folders == 0) or folders as records (inventory.c) */
void sme_fetch_list(struct sme_fetch *f, int folders, char **spec, int nspec);
/* -v: the folders' virtual tariffs as register records (inventory.c) */
void sme_fetch_tariffs(struct sme_fetch *f, char **spec, int nspec);

#endif
