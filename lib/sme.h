/* sme: the one public header of libsme; licence in COPYING */
#ifndef SME_H
#define SME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

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
/* "usage: USAGE" and exit 2 */
_Noreturn void sme_usage(const char *usage);
/* "prog VERSION" on stdout and exit 0 */
_Noreturn void sme_version(void);
/* "line N", or "file:N" when file is not here: where another record was */
const char *sme_where(char *buf, size_t n, const char *file, long line,
    const char *here);
/* the display name of a path: "<stdin>" for "-" */
const char *sme_filename(const char *path);

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
 * that a program that dies on bad input leaves no partial output.
 * Write errors exit 6.
 */
#define SME_OUT_MEM (4u << 20)
void sme_out_hold(int hold);
/* room for n bytes in the buffer; commit what was used with _commit */
char *sme_out_reserve(size_t n);
void sme_out_commit(size_t used);
/* forget everything held so far (nothing has reached stdout yet) */
void sme_out_discard(void);
/* copy held output to stdout, flush, check ferror and close; exits 6 */
void sme_out_finish(void);
/* write(2) all of p, again after EINTR; 0, or -1 with errno */
int sme_write_all(int fd, const void *p, size_t n);
/* an unlinked temporary file in $TMPDIR (or /tmp), open for update; exits 6 */
FILE *sme_tmpfile(void);

/* ---- decimal: exact decimal values (decimal.c) -------------------------- */

/* value = v / 10^scale; at most 18 significant digits, scale 0..18 */
struct sme_dec {
	int64_t v;
	int scale;
};
#define SME_DEC_DIGITS 18
enum { SME_DEC_OK = 0, SME_DEC_SYNTAX = -1, SME_DEC_RANGE = -2 };
/* JSON number syntax; keeps the digits given (1.50 stays 1.50) */
int sme_dec_parse(struct sme_dec *d, const char *s, size_t n);
/* exact r = a - b, r = a + b; SME_DEC_RANGE when the result overflows */
int sme_dec_sub(struct sme_dec *r, struct sme_dec a, struct sme_dec b);
int sme_dec_add(struct sme_dec *r, struct sme_dec a, struct sme_dec b);
int sme_dec_cmp(struct sme_dec a, struct sme_dec b);
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
/* RFC 3339 with Z or an offset, converted to UTC; 0 or -1 */
int sme_time_parse(int64_t *ns, const char *s, size_t n);
/* "2026-11-01T00:15:00Z" (fraction only when non-zero); returns length */
#define SME_TIME_MAX 40
size_t sme_time_format(int64_t ns, char *buf);

/*
 * Zones come from the system zone database (TZDIR or
 * /usr/share/zoneinfo).  A process works in one zone at a time:
 * sme_zone_set() selects it; -1 when the name is unknown.
 */
int sme_zone_set(const char *name);
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
 * sme_parser).  Returns 0, or -1 with a message in err.
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
/* 0, or -1 with a message (never a secret) in err */
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
/* a descriptor for fd's bytes in an unlinked temporary file; -1 on error */
int sme_spool(int fd);

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
	char err[1024];		/* why the last step failed */
	char **stale;		/* temporaries that failed attempts left */
	size_t nstale;
	double t0, tlast;	/* progress */
};
/* sets x->err; returns status */
int sme_xfer_fail(struct sme_xfer *x, int status, const char *fmt, ...);
/* the next bytes of the file: > 0, 0 at its end, -1 (x->err set) */
long sme_put_read(struct sme_xfer *x, struct sme_put *p, char *buf,
    size_t n);
/* "dir" + name for the server: a path relative to the login folder */
char *sme_xfer_path(struct sme_xfer *x, const char *name);

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
/* $name as a secret, or NULL when unset; a CR or LF in it exits 2 */
char *sme_secret_env(const char *name);
/*
 * The whole of a file (at most max bytes), NUL-terminated, its length in
 * *len; messages call it "WHAT file PATH"; exits 6 when unreadable or not a regular file, 5 when private is
 * set and group or others may read it.  Give it back wiped.
 */
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

#endif
