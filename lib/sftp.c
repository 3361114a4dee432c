/* sme: delivery over SFTP through libssh2: keys, host keys, atomic rename; licence in COPYING */
#define _GNU_SOURCE	/* getaddrinfo_a */
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh2.h>
#include <libssh2_sftp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "sme.h"

#define RID0 0x70000000u	/* ids of our own SFTP requests start here */

struct pkt {
	unsigned char *b;
	size_t len, cap;
};

struct ssh {
	int sock;
	LIBSSH2_SESSION *s;
	LIBSSH2_SFTP *sftp;
	int dead;		/* the session failed: no more requests */
	int rsakey;		/* the user key is RSA */
	int keyenc;		/* the user key is encrypted */
	LIBSSH2_CHANNEL *chan;	/* the SFTP channel, for our own requests */
	struct pkt out, in;	/* a request, a reply */
	uint32_t rid;		/* the last id of our own requests */
	double dl;		/* the deadline of the wait at hand */
	long timeout;		/* seconds */
	int timedout;		/* a wait passed its deadline: the session is done */
	int connecting;		/* one deadline for the whole login */
	char khname[600];	/* the name known_hosts is searched for */
	size_t wchunk;		/* bytes in one WRITE */
	int nq;			/* WRITEs in flight, at most: see pace() */
	int nqmax;		/* the most nq may grow to */
	int slow;		/* nq still grows with every fast reply */
	int warm;		/* replies timed so far, up to WARMUP */
	uint32_t mark;		/* the last WRITE sent before nq changed */
	double rttmin;		/* the shortest round trip of a WRITE, seconds */
	struct sme_xfer *x;	/* its stall deadline ends every wait */
};

static const struct {
	int hk;			/* LIBSSH2_HOSTKEY_TYPE_* */
	int kh;			/* LIBSSH2_KNOWNHOST_KEY_* */
	const char *name;
} ktypes[] = {
	{ LIBSSH2_HOSTKEY_TYPE_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519,
	    "ssh-ed25519" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256,
	    "ecdsa-sha2-nistp256" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384,
	    "ecdsa-sha2-nistp384" },
	{ LIBSSH2_HOSTKEY_TYPE_ECDSA_521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521,
	    "ecdsa-sha2-nistp521" },
	{ LIBSSH2_HOSTKEY_TYPE_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa" },
};
#define NKTYPES (sizeof ktypes / sizeof ktypes[0])

static const char *const fxnames[] = {
	"ok", "end of file", "no such file", "permission denied", "failure",
	"bad message", "no connection", "connection lost",
	"operation unsupported", "invalid handle", "no such path",
	"file already exists", "write protected", "no media",
	"no space left on the server", "quota exceeded", "unknown principal",
	"lock conflict", "folder not empty", "not a folder", "invalid file name",
	"link loop",
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A fresh deadline, SME_UPLOAD_TIMEOUT from now, but no later than the
 * stall deadline (the last progress + SME_UPLOAD_TIMEOUT); after a signal,
 * what is left to do (a packet to finish, the temporary file to remove)
 * gets at most SIG_GRACE seconds.
 */
#define SIG_GRACE 3.0
static void
arm(struct ssh *s)
{
	double t = (double)s->timeout;

	if (sme_sig_caught() && t > SIG_GRACE)
		t = SIG_GRACE;
	s->dl = mono() + t;
	if (!sme_sig_caught() && s->dl > s->x->stall)
		s->dl = s->x->stall;
}

/* the server took data: the stall deadline and the wait's move on */
static void
progress(struct ssh *s)
{
	sme_xfer_progress(s->x);
	arm(s);
}

/* libssh2's own waits (in its blocking calls) end at our deadline too */
static void
api_deadline(struct ssh *s)
{
	double left = s->dl - mono();

	libssh2_session_set_timeout(s->s, left > 0.001 ? (long)(left * 1000) + 1 :
	    1);
}

/*
 * Every byte from and to the server passes these two.  Past the deadline
 * they fail, however much the server sends (junk before its banner, say);
 * bytes sent after the login move the deadline on, bytes received do not.
 */
static LIBSSH2_RECV_FUNC(on_recv)
{
	struct ssh *s = *abstract;
	ssize_t r;

	if (s->timedout || mono() > s->dl) {
		s->timedout = 1;
		return -ETIMEDOUT;
	}
	do
		r = recv(socket, buffer, length, flags);
	while (r < 0 && errno == EINTR && !(s->connecting && sme_sig_caught()));
	return r < 0 ? -errno : r;
}

static LIBSSH2_SEND_FUNC(on_send)
{
	struct ssh *s = *abstract;
	ssize_t r;

	if (s->timedout || mono() > s->dl) {
		s->timedout = 1;
		return -ETIMEDOUT;
	}
	do
		r = send(socket, buffer, length, flags | MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR && !(s->connecting && sme_sig_caught()));
	if (r > 0 && !s->connecting)
		arm(s);
	return r < 0 ? -errno : r;
}

/* libssh2's memory: what it frees (keys, passwords in packets) is wiped */
static LIBSSH2_ALLOC_FUNC(on_alloc)
{
	(void)abstract;
	return malloc(count ? count : 1);
}

static LIBSSH2_FREE_FUNC(on_free)
{
	(void)abstract;
	sme_secret_freemem(ptr);
}

static LIBSSH2_REALLOC_FUNC(on_realloc)
{
	(void)abstract;
	return sme_secret_realloc(ptr, count);
}

/* ---- the user's key, checked before it goes to libssh2 ----------------- */

static int
pwcb(char *buf, int size, int rw, void *arg)
{
	const char *pw = arg;
	int n;

	(void)rw;
	if (!pw)
		return 0;
	n = (int)strlen(pw);
	if (n > size)
		n = size;
	memcpy(buf, pw, (size_t)n);
	return n;
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	    p[3];
}

/* the next SSH string of b[*off..len), or NULL */
static const unsigned char *
sshstr(const unsigned char *b, size_t len, size_t *off, size_t *n)
{
	const unsigned char *s;

	if (len - *off < 4)
		return NULL;
	*n = get32(b + *off);
	if (*n > len - *off - 4)
		return NULL;
	s = b + *off + 4;
	*off += 4 + *n;
	return s;
}

/* the cipher and key type of an OpenSSH private key; -1 when not one */
static int
openssh_key(const char *pem, int *enc, int *rsa)
{
	static const char beg[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	const char *b = strstr(pem, beg), *e;
	unsigned char *raw = NULL;
	const unsigned char *s;
	char *b64;
	size_t n = 0, off = 15, sl, pl, poff = 0;
	const unsigned char *pub;
	int len, rc = -1;

	if (!b || !(e = strstr(b, "-----END OPENSSH PRIVATE KEY-----")))
		return -1;
	b += sizeof beg - 1;
	b64 = emalloc((size_t)(e - b) + 1);
	for (; b < e; b++)
		if (!strchr(" \t\r\n", *b))
			b64[n++] = *b;
	raw = emalloc(n + 1);
	len = EVP_DecodeBlock(raw, (unsigned char *)b64, (int)n);
	free(b64);
	if (len < 15 || memcmp(raw, "openssh-key-v1", 15) != 0)
		goto out;
	if (!(s = sshstr(raw, (size_t)len, &off, &sl)))	/* cipher */
		goto out;
	*enc = !(sl == 4 && !memcmp(s, "none", 4));
	if (!sshstr(raw, (size_t)len, &off, &sl) ||	/* kdf */
	    !sshstr(raw, (size_t)len, &off, &sl) ||	/* kdf options */
	    (size_t)len - off < 4)
		goto out;
	off += 4;					/* number of keys */
	if (!(pub = sshstr(raw, (size_t)len, &off, &pl)) ||
	    !(s = sshstr(pub, pl, &poff, &sl)))
		goto out;
	*rsa = sl == 7 && !memcmp(s, "ssh-rsa", 7);
	rc = 0;
out:
	free(raw);
	return rc;
}

static int
key_check(struct sme_xfer *x, struct ssh *s)
{
	const char *path = x->opt->keyfile, *pass = x->opt->passphrase;
	char buf[65536];
	struct stat st;
	ssize_t r;
	size_t len = 0;
	int fd, rc = 0;
	BIO *bio;
	EVP_PKEY *pk;

	if (stat(path, &st) < 0)
		return sme_xfer_fail(x, SME_EX_LOCAL, "cannot read key file %s: %s",
		    path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sme_xfer_fail(x, SME_EX_LOCAL, "key file %s is not a "
		    "regular file", path);
	if (st.st_mode & 077)
		return sme_xfer_fail(x, SME_EX_SAFETY, "key file %s is open to "
		    "others (mode %04o): chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return sme_xfer_fail(x, SME_EX_LOCAL, "cannot read key file %s: %s",
		    path, strerror(errno));
	while (len < sizeof buf - 1 && (r = read(fd, buf + len,
	    sizeof buf - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	if (openssh_key(buf, &s->keyenc, &s->rsakey) == 0) {
		if (s->keyenc && !pass)
			rc = -1;
	} else if (strstr(buf, "-----BEGIN ") && strstr(buf, "PRIVATE KEY-----")) {
		s->keyenc = strstr(buf, "ENCRYPTED") != NULL;
		if (s->keyenc && !pass) {
			rc = -1;
		} else {
			bio = BIO_new_mem_buf(buf, (int)len);
			pk = bio ? PEM_read_bio_PrivateKey(bio, NULL, pwcb,
			    (void *)pass) : NULL;
			BIO_free(bio);
			ERR_clear_error();
			if (!pk)
				rc = s->keyenc ? sme_xfer_fail(x, SME_EX_SAFETY,
				    "wrong passphrase for key file %s", path) :
				    sme_xfer_fail(x, SME_EX_DATA, "key file %s: "
				    "cannot read the private key in it", path);
			else
				s->rsakey = EVP_PKEY_base_id(pk) == EVP_PKEY_RSA;
			EVP_PKEY_free(pk);
		}
	} else {
		rc = sme_xfer_fail(x, SME_EX_DATA, "key file %s is not a private "
		    "key (PEM or OpenSSH format)", path);
	}
	OPENSSL_cleanse(buf, sizeof buf);
	if (rc < 0)
		rc = sme_xfer_fail(x, SME_EX_USAGE, "key file %s is encrypted: "
		    "give its passphrase in SME_UPLOAD_PASSPHRASE or a file (-Q)",
		    path);
	return rc;
}

/* ---- connection --------------------------------------------------------- */

/*
 * The host's addresses, by the deadline dl: getaddrinfo(3) alone waits as
 * long as the resolver's timeouts and attempts say (minutes, when a name
 * server does not answer).  A lookup that cannot be cancelled goes on in
 * glibc's thread: its request stays allocated for it, and reachable.
 */
struct lookup {
	struct gaicb g;
	char *host, *port;
	struct lookup *next;
};

static struct lookup *abandoned;

static int
resolve(struct sme_xfer *x, const char *port, double dl, struct addrinfo **res)
{
	static const struct addrinfo hints = { .ai_family = AF_UNSPEC,
	    .ai_socktype = SOCK_STREAM };
	struct lookup *l = ecalloc(1, sizeof *l);
	struct gaicb *list[1] = { &l->g };
	struct timespec ts;
	double left;
	int e, rc = 0;

	l->host = estrdup(x->url->host);
	l->port = estrdup(port);
	l->g.ar_name = l->host;
	l->g.ar_service = l->port;
	l->g.ar_request = &hints;
	if ((e = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) == 0)
		while ((e = gai_error(&l->g)) == EAI_INPROGRESS) {
			left = dl - mono();
			if (left > 0 && !sme_sig_caught()) {
				ts.tv_sec = (time_t)left;
				ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
				gai_suspend((const struct gaicb *const *)list, 1, &ts);
				continue;
			}
			rc = sme_sig_caught() ? sme_xfer_fail(x, SME_EX_REMOTE,
			    "cannot resolve host %s: interrupted", x->url->host) :
			    sme_xfer_fail(x, SME_XF_AGAIN, "cannot resolve host %s: "
			    "no answer within %ld s", x->url->host, x->opt->timeout);
			if (gai_cancel(&l->g) != EAI_CANCELED) {
				l->next = abandoned;
				abandoned = l;
				return rc;
			}
			break;
		}
	if (rc == 0 && e != 0)
		rc = sme_xfer_fail(x, SME_XF_AGAIN, "cannot resolve host %s: %s",
		    x->url->host, gai_strerror(e));
	if (rc == 0)
		*res = l->g.ar_result;
	else if (l->g.ar_result)
		freeaddrinfo(l->g.ar_result);
	free(l->host);
	free(l->port);
	free(l);
	return rc;
}

static int
tcp_connect(struct sme_xfer *x, int *fdp, double dl)
{
	struct addrinfo *res = NULL, *ai;
	struct pollfd pfd;
	char port[16];
	socklen_t sl;
	int fd = -1, e, err = 0, one = 1;

	snprintf(port, sizeof port, "%d", x->url->port);
	if ((e = resolve(x, port, dl, &res)) != 0)
		return e;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			err = errno;
			if (errno == EINPROGRESS) {
				pfd.fd = fd;
				pfd.events = POLLOUT;
				e = dl > mono() ? poll(&pfd, 1,
				    (int)((dl - mono()) * 1000) + 1) : 0;
				sl = sizeof err;
				if (e == 0)
					err = ETIMEDOUT;
				else if (e < 0 || getsockopt(fd, SOL_SOCKET,
				    SO_ERROR, &err, &sl) < 0)
					err = errno;
			}
			if (err) {
				close(fd);
				fd = -1;
				continue;
			}
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		break;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return sme_xfer_fail(x, SME_XF_AGAIN, "cannot connect: %s",
		    strerror(err));
	*fdp = fd;
	return 0;
}

/* an error of the session (not of one SFTP request) */
static int
session_err(struct sme_xfer *x, struct ssh *s, const char *what)
{
	char *msg = NULL;
	int e = libssh2_session_last_error(s->s, &msg, NULL, 0);

	s->dead = 1;
	if (s->timedout || e == LIBSSH2_ERROR_TIMEOUT ||
	    e == LIBSSH2_ERROR_SOCKET_TIMEOUT) {
		if (sme_sig_caught())
			return sme_xfer_fail(x, SME_EX_REMOTE, "%s: interrupted", what);
		return sme_xfer_fail(x, SME_XF_AGAIN, "%s: no answer within %ld s",
		    what, x->opt->timeout);
	}
	if (sme_sig_caught())
		return sme_xfer_fail(x, SME_EX_REMOTE, "%s: interrupted", what);
	if (e == LIBSSH2_ERROR_NONE || (s->chan && libssh2_channel_eof(s->chan)))
		return sme_xfer_fail(x, SME_XF_AGAIN, "%s: connection lost (the "
		    "server closed the SFTP channel)", what);
	switch (e) {
	case LIBSSH2_ERROR_TIMEOUT:
	case LIBSSH2_ERROR_SOCKET_TIMEOUT:
		return sme_xfer_fail(x, SME_XF_AGAIN, "%s: no answer within %ld s",
		    what, x->opt->timeout);
	case LIBSSH2_ERROR_SOCKET_NONE:
	case LIBSSH2_ERROR_BANNER_RECV:
	case LIBSSH2_ERROR_BANNER_SEND:
	case LIBSSH2_ERROR_SOCKET_SEND:
	case LIBSSH2_ERROR_SOCKET_RECV:
	case LIBSSH2_ERROR_SOCKET_DISCONNECT:
	case LIBSSH2_ERROR_CHANNEL_CLOSED:
	case LIBSSH2_ERROR_CHANNEL_EOF_SENT:
	case LIBSSH2_ERROR_CHANNEL_FAILURE:
	case LIBSSH2_ERROR_DECRYPT:
	case LIBSSH2_ERROR_INVALID_MAC:
		return sme_xfer_fail(x, SME_XF_AGAIN, "%s: connection lost (%s)",
		    what, msg ? msg : "?");
	default:
		return sme_xfer_fail(x, SME_EX_REMOTE, "%s: %s", what,
		    msg ? msg : "?");
	}
}

/* an SFTP request failed: the server's status, or the session's error */
static int
sftp_err(struct sme_xfer *x, struct ssh *s, const char *what,
    unsigned long *fxp)
{
	unsigned long fx;
	int soft;

	if (libssh2_session_last_errno(s->s) != LIBSSH2_ERROR_SFTP_PROTOCOL) {
		if (fxp)
			*fxp = (unsigned long)-1;
		return session_err(x, s, what);
	}
	fx = libssh2_sftp_last_error(s->sftp);
	if (fxp)
		*fxp = fx;
	soft = fx == LIBSSH2_FX_FAILURE || fx == LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM ||
	    fx == LIBSSH2_FX_QUOTA_EXCEEDED || fx == LIBSSH2_FX_CONNECTION_LOST ||
	    fx == LIBSSH2_FX_NO_CONNECTION || fx == LIBSSH2_FX_LOCK_CONFLICT;
	return sme_xfer_fail(x, soft ? SME_XF_AGAIN : SME_EX_REMOTE, "%s: %s",
	    what, fx < sizeof fxnames / sizeof fxnames[0] ? fxnames[fx] :
	    "unknown SFTP status");
}

static void
b64(char *out, const unsigned char *in, int n)
{
	int len = EVP_EncodeBlock((unsigned char *)out, in, n);

	while (len > 0 && out[len - 1] == '=')
		out[--len] = '\0';
}

static int
hostkey_check(struct sme_xfer *x, struct ssh *s, const struct sme_kh *kh,
    const char *khpath)
{
	const struct sme_xfer_opt *o = x->opt;
	const char *key, *hash, *tname = "unknown", *want;
	char fp[64];
	size_t klen, i;
	int type, kt = 0;

	key = libssh2_session_hostkey(s->s, &klen, &type);
	hash = libssh2_hostkey_hash(s->s, LIBSSH2_HOSTKEY_HASH_SHA256);
	if (!key || !hash)
		return sme_xfer_fail(x, SME_EX_SAFETY, "the server showed no host "
		    "key");
	for (i = 0; i < NKTYPES; i++)
		if (ktypes[i].hk == type) {
			tname = ktypes[i].name;
			kt = 1;
		}
	memcpy(fp, "SHA256:", 7);
	b64(fp + 7, (const unsigned char *)hash, 32);
	if (o->insecure) {
		sme_warn("warning: -k: the host key of %s is not checked (%s %s)",
		    sme_shown(x->site), tname, fp);
		return 0;
	}
	if (o->fingerprint) {
		want = o->fingerprint + (strncmp(o->fingerprint, "SHA256:", 7) ?
		    0 : 7);
		i = strlen(want);
		while (i > 0 && want[i - 1] == '=')
			i--;
		if (i == strlen(fp + 7) && !strncmp(want, fp + 7, i))
			return 0;
		return sme_xfer_fail(x, SME_EX_SAFETY, "host key %s %s does not "
		    "match the fingerprint given with -H", tname, fp);
	}
	switch (kt ? sme_kh_check(kh, key, klen, tname) : SME_KH_UNKNOWN) {
	case SME_KH_OK:
		return 0;
	case SME_KH_REVOKED:
		return sme_xfer_fail(x, SME_EX_SAFETY, "host key %s %s is marked "
		    "@revoked in %s", tname, fp, khpath);
	case SME_KH_CHANGED:
		return sme_xfer_fail(x, SME_EX_SAFETY, "host key changed: the "
		    "server shows %s %s, which %s does not hold; if the change is "
		    "expected, check the fingerprint and update %s, else someone "
		    "may be in the middle", tname, fp, khpath, khpath);
	default:
		return sme_xfer_fail(x, SME_EX_SAFETY, "unknown host key %s %s "
		    "(not in %s for %s): check this fingerprint, then add the key "
		    "to %s or pin it with -H", tname, fp, khpath, s->khname, khpath);
	}
}

/* host key algorithms: those known_hosts holds for this host first */
static void
hostkey_prefs(struct ssh *s, const struct sme_kh *kh)
{
	char pref[256] = "";
	int known[NKTYPES];
	size_t i;
	int pass;

	for (i = 0; i < NKTYPES; i++)
		known[i] = kh && sme_kh_has_type(kh, ktypes[i].name);
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < NKTYPES; i++)
			if (known[i] == pass) {
				if (*pref)
					strcat(pref, ",");
				strcat(pref, ktypes[i].name);
			}
	libssh2_session_method_pref(s->s, LIBSSH2_METHOD_HOSTKEY, pref);
}

static int
auth(struct sme_xfer *x, struct ssh *s)
{
	const struct sme_xfer_opt *o = x->opt;
	const char *user = x->url->user, *key = o->keyfile;
	unsigned int ulen = (unsigned int)strlen(user);
	char *list;
	int rc;

	api_deadline(s);
	list = libssh2_userauth_list(s->s, user, ulen);
	if (!list) {
		if (libssh2_userauth_authenticated(s->s))
			return 0;
		return session_err(x, s, "login");
	}
	if (key) {
		if (!strstr(list, "publickey"))
			return sme_xfer_fail(x, SME_EX_SAFETY, "the server does not "
			    "take key logins (it offers: %s)", list);
		api_deadline(s);
		rc = libssh2_userauth_publickey_fromfile_ex(s->s, user, ulen, NULL,
		    key, o->passphrase ? o->passphrase : "");
		if (rc == 0)
			return 0;
		if (rc == LIBSSH2_ERROR_FILE)
			return s->keyenc ? sme_xfer_fail(x, SME_EX_SAFETY, "wrong "
			    "passphrase for key file %s", key) : sme_xfer_fail(x,
			    SME_EX_DATA, "key file %s: libssh2 cannot read the key "
			    "in it", key);
		if (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED &&
		    rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED)
			return session_err(x, s, "login");
		if (s->rsakey && !libssh2_version(0x010b00))
			return sme_xfer_fail(x, SME_EX_SAFETY, "the server refused "
			    "the RSA key %s for user %s: if the key is authorized "
			    "there, the cause is that libssh2 %s signs with RSA only "
			    "as ssh-rsa (SHA-1), which OpenSSH 8.8 and later refuse; "
			    "use an ed25519 key (ssh-keygen -t ed25519), or a server "
			    "that accepts ssh-rsa", key, user, libssh2_version(0));
		return sme_xfer_fail(x, SME_EX_SAFETY, "the server refused the key "
		    "%s for user %s", key, user);
	}
	if (!strstr(list, "password"))
		return sme_xfer_fail(x, SME_EX_SAFETY, "the server does not take "
		    "password logins (it offers: %s); use a key (-i)", list);
	api_deadline(s);
	rc = libssh2_userauth_password_ex(s->s, user, ulen, o->password,
	    (unsigned int)strlen(o->password), NULL);
	if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED)
		return sme_xfer_fail(x, SME_EX_SAFETY, "login refused for user %s "
		    "(password)", user);
	if (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED)
		return sme_xfer_fail(x, SME_EX_SAFETY, "the password of user %s has "
		    "expired", user);
	return rc ? session_err(x, s, "login") : 0;
}

static void
ssh_close(struct sme_xfer *x)
{
	struct ssh *s = x->conn;

	if (!s)
		return;
	/*
	 * A dead session is not spoken to: with the socket shut, libssh2
	 * frees all it holds at once, waiting for nothing.
	 */
	if (s->dead && s->sock >= 0)
		shutdown(s->sock, SHUT_RDWR);
	s->timedout = 0;
	s->connecting = 1;
	s->dl = mono() + (s->dead ? 1 : (s->timeout < 5 ? (double)s->timeout : 5));
	if (!s->dead && !sme_sig_caught() && s->dl > s->x->stall)
		s->dl = s->x->stall;
	if (s->s) {
		libssh2_session_set_blocking(s->s, 1);
		api_deadline(s);
	}
	if (s->sftp)
		libssh2_sftp_shutdown(s->sftp);
	if (s->s) {
		if (!s->dead)
			libssh2_session_disconnect(s->s, "done");
		libssh2_session_free(s->s);
	}
	if (s->sock >= 0)
		close(s->sock);
	free(s->out.b);
	free(s->in.b);
	free(s);
	x->conn = NULL;
}

static int sftp_limits(struct ssh *);

static int
ssh_connect(struct sme_xfer *x)
{
	static int once;
	const struct sme_xfer_opt *o = x->opt;
	struct ssh *s;
	struct sme_kh kh = { NULL, 0 };
	char *khpath = NULL;
	const char *home;
	int rc = 0;

	if (!once++ && libssh2_init(0) != 0)
		sme_die(SME_EX_LOCAL, "cannot initialise libssh2");
	s = ecalloc(1, sizeof *s);
	s->sock = -1;
	s->timeout = o->timeout;
	s->x = x;
	s->connecting = 1;	/* the whole login: one deadline */
	arm(s);
	x->conn = s;
	if (o->keyfile && (rc = key_check(x, s)) != 0)
		goto out;
	if ((rc = tcp_connect(x, &s->sock, s->dl)) != 0)
		goto out;
	if (!(s->s = libssh2_session_init_ex(on_alloc, on_free, on_realloc, s)))
		sme_die(SME_EX_LOCAL, "out of memory");
	libssh2_session_callback_set(s->s, LIBSSH2_CALLBACK_RECV,
	    (void *)on_recv);
	libssh2_session_callback_set(s->s, LIBSSH2_CALLBACK_SEND,
	    (void *)on_send);
	libssh2_session_set_blocking(s->s, 1);
	api_deadline(s);
	if (!o->insecure && !o->fingerprint) {
		if (o->known_hosts) {
			khpath = estrdup(o->known_hosts);
		} else {
			home = getenv("HOME");
			khpath = emalloc(strlen(home ? home : "") + 24);
			sprintf(khpath, "%s/.ssh/known_hosts", home ? home : "");
		}
		if (sme_kh_load(&kh, khpath, x->url->host, x->url->port,
		    o->known_hosts != NULL, x->err, sizeof x->err) != 0) {
			rc = SME_EX_LOCAL;
			goto out;
		}
	}
	if (x->url->port == 22)
		snprintf(s->khname, sizeof s->khname, "%s", x->url->host);
	else
		snprintf(s->khname, sizeof s->khname, "[%s]:%d", x->url->host,
		    x->url->port);
	hostkey_prefs(s, &kh);
	api_deadline(s);
	if (libssh2_session_handshake(s->s, s->sock) != 0) {
		rc = session_err(x, s, "ssh handshake failed");
		goto out;
	}
	if ((rc = hostkey_check(x, s, &kh, khpath)) != 0)
		goto out;
	if ((rc = auth(x, s)) != 0)
		goto out;
	api_deadline(s);
	if (!(s->sftp = libssh2_sftp_init(s->s))) {
		rc = session_err(x, s, "the server offers no SFTP");
		goto out;
	}
	s->chan = libssh2_sftp_get_channel(s->sftp);
	s->rid = RID0;
	if (sftp_limits(s) < 0) {
		rc = session_err(x, s, "the server offers no SFTP");
		goto out;
	}
	s->connecting = 0;
	arm(s);
out:
	sme_kh_free(&kh);
	free(khpath);
	if (rc)
		ssh_close(x);
	return rc;
}

/* ---- files -------------------------------------------------------------- */

static int
is_dir(struct ssh *s, const char *path, int *isdir)
{
	LIBSSH2_SFTP_ATTRIBUTES a;

	arm(s);
	api_deadline(s);
	if (libssh2_sftp_stat_ex(s->sftp, path, (unsigned int)strlen(path),
	    LIBSSH2_SFTP_STAT, &a) != 0)
		return -1;
	*isdir = (a.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) &&
	    LIBSSH2_SFTP_S_ISDIR(a.permissions);
	return 0;
}

/* why the folder cannot take a file: it is missing or no folder */
static int
folder_err(struct sme_xfer *x, struct ssh *s)
{
	char *d = estrdup(x->url->dir);
	size_t n = strlen(d);
	int isdir = 0, rc;

	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	if (is_dir(s, d, &isdir) == 0 && !isdir)
		rc = sme_xfer_fail(x, SME_EX_REMOTE, "%s is not a folder", d);
	else
		rc = sme_xfer_fail(x, SME_EX_REMOTE, "folder %s does not exist%s",
		    x->url->dir, x->opt->mkdirs ? "" : " (-m creates it)");
	free(d);
	return rc;
}

static int
mkdirs(struct sme_xfer *x, struct ssh *s)
{
	char *d = estrdup(x->url->dir), *p;
	unsigned long fx;
	int rc = 0, isdir;

	for (p = d + (d[0] == '/'); *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		arm(s);
		api_deadline(s);
		if (libssh2_sftp_mkdir_ex(s->sftp, d, (unsigned int)strlen(d),
		    0777) != 0) {
			rc = sftp_err(x, s, "cannot create folder", &fx);
			if (fx != (unsigned long)-1 && is_dir(s, d, &isdir) == 0)
				rc = isdir ? 0 : sme_xfer_fail(x, SME_EX_REMOTE,
				    "%s is not a folder", d);
			else if (fx != (unsigned long)-1)
				rc = sme_xfer_fail(x, rc, "cannot create folder %s: %s",
				    d, fx < sizeof fxnames / sizeof fxnames[0] ?
				    fxnames[fx] : "failure");
		}
		*p = '/';
	}
	free(d);
	return rc;
}

/*
 * ---- SFTP requests of our own, on libssh2's SFTP channel ----------------
 * libssh2 1.10 waits for each reply before it sends the next request, and
 * lacks posix-rename.  Files are therefore written with requests made
 * here: OPEN; the WRITEs, INFLIGHT bytes of them, then FSTAT and CLOSE
 * behind them; then the rename.  Three round trips for a small file.  They
 * go out only while libssh2 itself has no request outstanding, and every
 * reply to them is read here, so the two never see each other's packets.
 */
enum {
	FXP_OPEN = 3, FXP_CLOSE = 4, FXP_WRITE = 6, FXP_FSTAT = 8, FXP_REMOVE = 13,
	FXP_RENAME = 18,
	FXP_EXTENDED = 200, FXP_EXTENDED_REPLY = 201, FXP_STATUS = 101,
	FXP_HANDLE = 102, FXP_ATTRS = 105
};
#define FXF_WRITE 0x02
#define FXF_CREAT 0x08
#define FXF_TRUNC 0x10
#define FXF_EXCL 0x20
#define WCHUNK (64u << 10)	/* bytes in one WRITE, unless the server says */
#define WCHUNK_MAX (255u << 10)	/* the most, whatever it says */
/*
 * Bytes of WRITEs in flight: INFLIGHT at first, then what pace() finds,
 * up to INFLIGHT_MAX or the channel's window, whichever is less.  Too
 * much does not go faster: what the server has not written yet waits in
 * its buffers, and OpenSSH's sshd grows and copies those as they fill; at
 * 4 MiB on 127.0.0.1 it spent 3 times the CPU curl costs it.  Too little
 * is slow far away: 512 KiB a round trip is 5 MiB/s at 100 ms.
 */
#define INFLIGHT (512u << 10)
#define INFLIGHT_MAX (4u << 20)
#define MAXREPLY (256u << 10)

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
pk_room(struct pkt *k, size_t n)
{
	if (k->len + n > k->cap) {
		k->cap = (k->len + n) * 2;
		k->b = erealloc(k->b, k->cap);
	}
}

static void
pk_u32(struct pkt *k, uint32_t v)
{
	pk_room(k, 4);
	put32(k->b + k->len, v);
	k->len += 4;
}

static void
pk_str(struct pkt *k, const void *s, size_t n)
{
	pk_u32(k, (uint32_t)n);
	pk_room(k, n);
	memcpy(k->b + k->len, s, n);
	k->len += n;
}

static uint32_t
pk_start(struct ssh *s, int type)
{
	struct pkt *k = &s->out;

	k->len = 0;
	pk_u32(k, 0);		/* the length, set by pk_send */
	pk_room(k, 1);
	k->b[k->len++] = (unsigned char)type;
	pk_u32(k, ++s->rid);
	return s->rid;
}

/*
 * All of b through the SFTP channel, without blocking in libssh2: the
 * waits are ours, up to the deadline; a signal does not cut a packet.
 */
static int
chan_io(struct ssh *s, unsigned char *b, size_t n, int wr)
{
	struct pollfd pfd;
	ssize_t r;
	double left;
	int dir, rc = 0;

	libssh2_session_set_blocking(s->s, 0);
	while (n > 0 && rc == 0) {
		r = wr ? libssh2_channel_write(s->chan, (char *)b, n) :
		    libssh2_channel_read(s->chan, (char *)b, n);
		if (r > 0) {
			b += r;
			n -= (size_t)r;
			continue;
		}
		if (r != LIBSSH2_ERROR_EAGAIN) {
			rc = -1;
			break;
		}
		for (;;) {
			if ((left = s->dl - mono()) <= 0) {
				s->timedout = 1;
				rc = -1;
				break;
			}
			dir = libssh2_session_block_directions(s->s);
			pfd.fd = s->sock;
			pfd.events = (dir & LIBSSH2_SESSION_BLOCK_INBOUND ? POLLIN : 0) |
			    (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND ? POLLOUT : 0);
			if (!pfd.events)
				pfd.events = POLLIN;
			pfd.revents = 0;
			r = poll(&pfd, 1, (int)(left * 1000) + 1);
			if (r > 0)
				break;
			if (r < 0 && errno == EINTR && sme_sig_caught() &&
			    s->dl > mono() + SIG_GRACE)
				s->dl = mono() + SIG_GRACE;
			if (r < 0 && errno != EINTR) {
				rc = -1;
				break;
			}
		}
	}
	libssh2_session_set_blocking(s->s, 1);
	return rc;
}

static int
pk_send(struct ssh *s)
{
	put32(s->out.b, (uint32_t)(s->out.len - 4));
	if (chan_io(s, s->out.b, s->out.len, 1) < 0) {
		s->dead = 1;
		return -1;
	}
	return 0;
}

/*
 * The next reply: its type, and in s->in its id (bytes 1..4) and body
 * (from byte 5); -1 when the session failed.
 */
static int
pk_recv(struct ssh *s, uint32_t *id)
{
	struct pkt *k = &s->in;
	unsigned char n[4];
	size_t len;

	if (chan_io(s, n, 4, 0) < 0)
		goto dead;
	len = get32(n);
	if (len < 5 || len > MAXREPLY)
		goto dead;
	k->len = 0;
	pk_room(k, len);
	if (chan_io(s, k->b, len, 0) < 0)
		goto dead;
	k->len = len;
	*id = get32(k->b + 1);
	return k->b[0];
dead:
	s->dead = 1;
	return -1;
}

/* the status code of a STATUS reply in s->in */
static long
pk_status(struct ssh *s)
{
	return s->in.len >= 9 ? (long)get32(s->in.b + 5) :
	    (long)LIBSSH2_FX_BAD_MESSAGE;
}

/* sends the request in s->out and reads its reply: the type, -1 if dead */
static int
pk_call(struct ssh *s, uint32_t id)
{
	uint32_t rid;
	int type;

	if (pk_send(s) < 0)
		return -1;
	while ((type = pk_recv(s, &rid)) >= 0 && rid != id)
		;		/* not ours: a late reply to an abandoned request */
	return type;
}

static int
fx_fail(struct sme_xfer *x, const char *what, long fx)
{
	int soft = fx == LIBSSH2_FX_FAILURE ||
	    fx == LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM ||
	    fx == LIBSSH2_FX_QUOTA_EXCEEDED || fx == LIBSSH2_FX_CONNECTION_LOST ||
	    fx == LIBSSH2_FX_NO_CONNECTION || fx == LIBSSH2_FX_LOCK_CONFLICT;

	return sme_xfer_fail(x, soft ? SME_XF_AGAIN : SME_EX_REMOTE, "%s: %s",
	    what, fx >= 0 && (size_t)fx < sizeof fxnames / sizeof fxnames[0] ?
	    fxnames[fx] : "unknown SFTP status");
}

/*
 * rename with replace, atomically: the OpenSSH extension
 * posix-rename@openssh.com.  Returns the SFTP status, or -1 when the
 * session failed.
 */
static long
posix_rename(struct ssh *s, const char *from, const char *to)
{
	static const char ext[] = "posix-rename@openssh.com";
	uint32_t id = pk_start(s, FXP_EXTENDED);
	int type;

	pk_str(&s->out, ext, sizeof ext - 1);
	pk_str(&s->out, from, strlen(from));
	pk_str(&s->out, to, strlen(to));
	type = pk_call(s, id);
	if (type < 0)
		return -1;
	return type == FXP_STATUS ? pk_status(s) : (long)LIBSSH2_FX_BAD_MESSAGE;
}

/*
 * The WRITE size: the server's max-write-length (limits@openssh.com) up
 * to WCHUNK_MAX, else WCHUNK.  Few large WRITEs are what makes a large
 * file fast: each one costs the server a request.  -1 when the session
 * failed.
 */
static int
sftp_limits(struct ssh *s)
{
	static const char ext[] = "limits@openssh.com";
	uint32_t id = pk_start(s, FXP_EXTENDED);
	uint64_t w;
	unsigned long win = 0, n;
	int type;

	s->wchunk = WCHUNK;
	pk_str(&s->out, ext, sizeof ext - 1);
	if ((type = pk_call(s, id)) < 0)
		return -1;
	/* uint64 max-packet-length, max-read-length, max-write-length, ... */
	if (type == FXP_EXTENDED_REPLY && s->in.len >= 5 + 24) {
		w = (uint64_t)get32(s->in.b + 5 + 16) << 32 |
		    get32(s->in.b + 5 + 20);
		if (w >= 1024)
			s->wchunk = w > WCHUNK_MAX ? WCHUNK_MAX : (size_t)w;
	}
	/* no more in flight than the server's window on the channel takes */
	n = libssh2_channel_window_write_ex(s->chan, &win);
	if (win < n)	/* libssh2 1.10 gives no initial size: what is left */
		win = n;
	if (win == 0 || win > INFLIGHT_MAX)
		win = INFLIGHT_MAX;
	s->nqmax = (int)(win / (s->wchunk + 300));	/* 300: a WRITE's header */
	if (s->nqmax < 2)
		s->nqmax = 2;
	s->nq = (int)(INFLIGHT / s->wchunk);
	if (s->nq < 2)
		s->nq = 2;
	if (s->nq > s->nqmax)
		s->nq = s->nqmax;
	s->slow = 1;
	s->warm = 0;
	s->mark = s->rid;
	s->rttmin = 0;
	return 0;
}

/* OPEN: 0 with the handle in h, else -1 and the status in *fx (-1: dead) */
static int
fx_open(struct ssh *s, const char *path, uint32_t flags, struct pkt *h,
    long *fx)
{
	uint32_t id = pk_start(s, FXP_OPEN);
	size_t n;
	int type;

	pk_str(&s->out, path, strlen(path));
	pk_u32(&s->out, flags);
	pk_u32(&s->out, 0x4);		/* attributes: permissions */
	pk_u32(&s->out, 0666);
	type = pk_call(s, id);
	*fx = -1;
	if (type == FXP_HANDLE && s->in.len >= 9 &&
	    (n = get32(s->in.b + 5)) <= s->in.len - 9 && n <= 256) {
		h->len = 0;
		pk_room(h, n);
		memcpy(h->b, s->in.b + 9, n);
		h->len = n;
		return 0;
	}
	if (type == FXP_STATUS)
		*fx = pk_status(s);
	else if (type >= 0)
		*fx = LIBSSH2_FX_BAD_MESSAGE;
	return -1;
}

/* our own REMOVE: late replies to WRITEs given up on are skipped */
static int
ssh_remove(struct sme_xfer *x, const char *name)
{
	struct ssh *s = x->conn;
	char *path;
	uint32_t id;
	long st;
	int type;

	if (!s || s->dead)
		return -1;
	path = sme_xfer_path(x, name);
	arm(s);
	id = pk_start(s, FXP_REMOVE);
	pk_str(&s->out, path, strlen(path));
	free(path);
	if ((type = pk_call(s, id)) != FXP_STATUS)
		return -1;
	st = pk_status(s);
	return st == 0 || st == LIBSSH2_FX_NO_SUCH_FILE ? 0 : -1;
}

/* SSH_FXP_RENAME of version 3 (no flags): the SFTP status, -1 when dead */
static long
fx_rename(struct ssh *s, const char *from, const char *to)
{
	uint32_t id = pk_start(s, FXP_RENAME);
	int type;

	pk_str(&s->out, from, strlen(from));
	pk_str(&s->out, to, strlen(to));
	if ((type = pk_call(s, id)) < 0)
		return -1;
	return type == FXP_STATUS ? pk_status(s) : (long)LIBSSH2_FX_BAD_MESSAGE;
}

static const char *
fxname(long fx)
{
	return fx >= 0 && (size_t)fx < sizeof fxnames / sizeof fxnames[0] ?
	    fxnames[fx] : "unknown SFTP status";
}

/*
 * tmp to final, replacing final.  posix-rename@openssh.com does it
 * atomically.  Without it, RENAME of version 3 does not replace: final is
 * then moved aside to a name of its own, tmp takes its place, and the old
 * file is removed only once the new one stands there; when tmp cannot
 * take it, the old file is moved back.  The final name is never removed,
 * and a file that cannot be renamed stays and is named (*keep is set).
 */
static int
ssh_rename(struct sme_xfer *x, struct ssh *s, const char *tmp,
    const char *final, const char *name, int *keep)
{
	long st = posix_rename(s, tmp, final), st2;
	char *aside, *asidepath, *u;
	int rc;

	*keep = 0;
	if (st == 0)
		return 0;
	if (st < 0)
		return sme_xfer_fail(x, SME_XF_AGAIN, "rename: connection lost");
	if (st != (long)LIBSSH2_FX_OP_UNSUPPORTED) {
		*keep = 1;
		return sme_xfer_fail(x, SME_EX_REMOTE, "cannot rename the "
		    "temporary file: %s", fxname(st));
	}
	/* a server without the extension: RENAME, which may not replace */
	if ((st = fx_rename(s, tmp, final)) == 0)
		return 0;
	if (st < 0)
		return sme_xfer_fail(x, SME_XF_AGAIN, "rename: connection lost");
	if (st != LIBSSH2_FX_FAILURE && st != LIBSSH2_FX_FILE_ALREADY_EXISTS) {
		*keep = 1;
		return sme_xfer_fail(x, SME_EX_REMOTE, "cannot rename the "
		    "temporary file: %s", fxname(st));
	}
	aside = sme_tmpname(name);
	memcpy(aside + strlen(aside) - 5, ".old", 5);	/* ".NAME.sme-XXXXXX.old" */
	asidepath = sme_xfer_path(x, aside);
	*keep = 1;
	if ((st = fx_rename(s, final, asidepath)) != 0) {
		/* final stands as it was; the new file waits under tmp */
		rc = sme_xfer_fail(x, st < 0 ? SME_XF_AGAIN : SME_EX_REMOTE,
		    "cannot rename the temporary file (the server has no "
		    "posix-rename, and RENAME: %s)", st < 0 ? "connection lost" :
		    fxname(st));
		if (st < 0) {
			/* the server may have moved it before the link broke */
			*keep = 0;
			u = sme_url_string(x->url, aside);
			sme_warn("%s: the old %s may be here: the connection was "
			    "lost while it was moved aside", sme_shown(u), sme_shown(name));
			free(u);
		}
	} else if ((st2 = fx_rename(s, tmp, final)) != 0) {
		/* put the old file back where it was */
		st = st2 < 0 ? -1 : fx_rename(s, asidepath, final);
		u = sme_url_string(x->url, aside);
		if (st != 0)
			sme_warn("%s: the old %s is here: the server took it aside "
			    "and did not take it back", sme_shown(u), sme_shown(name));
		free(u);
		rc = sme_xfer_fail(x, st2 < 0 ? SME_XF_AGAIN : SME_EX_REMOTE,
		    "cannot rename the temporary file (the server has no "
		    "posix-rename, and RENAME: %s)", st2 < 0 ?
		    "connection lost" : fxname(st2));
		if (st2 < 0)
			*keep = 0;
	} else {
		*keep = 0;
		rc = 0;
		sme_warn("warning: %s: the server cannot replace files atomically "
		    "(no posix-rename): the old %s was moved aside, then removed",
		    sme_shown(x->site), sme_shown(name));
		if (ssh_remove(x, aside) != 0) {
			u = sme_url_string(x->url, aside);
			sme_warn("%s: the old %s remains here", sme_shown(u), sme_shown(name));
			free(u);
		}
	}
	free(asidepath);
	free(aside);
	return rc;
}

/* a failed WRITE or CLOSE: a full disk, most likely */
static int
write_err(struct sme_xfer *x, long fx)
{
	if (fx == LIBSSH2_FX_FAILURE || fx == LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM)
		return sme_xfer_fail(x, SME_XF_AGAIN, "upload failed: the server "
		    "could not write (a full disk?)");
	return fx_fail(x, "upload failed", fx);
}

/*
 * How many WRITEs go out before the next reply is awaited (s->nq), from
 * the round trip of each, its sending to its STATUS, in the way of TCP
 * Vegas.  The shortest round trip seen (s->rttmin) is the path's own; a
 * longer one means WRITEs wait in the server's buffers, and
 *	queued = nq x (rtt - rttmin) / rtt
 * WRITEs of those in flight are such waiting ones, not moving ones.  Below
 * Q_GROW of them, one more WRITE may fly; beyond Q_SHRINK, one fewer, not
 * below 2; between the two the limit stays.  A change is judged only by
 * replies to WRITEs sent after it (past s->mark): one change a round trip,
 * except at first (s->slow): until the first reply that shows a queue,
 * each reply without one adds a WRITE, doubling the limit each round trip.
 * The first WARMUP replies of a session only measure: the first round
 * trips carry one-off costs (20 ms on 127.0.0.1, not 5), and growing on
 * them stalled the upload.
 *
 * The limit is at most the channel's window (s->nqmax: what one round trip
 * carries anyway), and at most RATE_MAX x rttmin: on 127.0.0.1 the round
 * trip hardly grows with more WRITEs in flight, yet with 3 or more
 * OpenSSH's sshd fills its buffers and the replies stall for 100 to 300 ms
 * at a time; 2 WRITEs carry 100 MiB/s there, and round trips of 20 ms or
 * more are not held back.  w holds the sending time of each WRITE in
 * flight, by id modulo s->nqmax: a reply to anything else (a duplicate, a
 * stray id, a WRITE whose slot was reused) is not timed.
 */
#define WARMUP 4
#define Q_GROW 1.0
#define Q_SHRINK 2.0
#define RATE_MAX (100.0 * 1048576)	/* bytes a second */

struct sent {
	uint32_t id;
	double t;
};

static void
pace(struct ssh *s, struct sent *w, uint32_t id)
{
	struct sent *e = &w[id % (uint32_t)s->nqmax];
	double rtt, q, lim;
	int after;

	if (e->id != id || e->t == 0)
		return;
	rtt = mono() - e->t;
	e->t = 0;
	if (s->rttmin == 0 || rtt < s->rttmin)
		s->rttmin = rtt;
	if (s->warm < WARMUP) {
		s->warm++;
		return;
	}
	q = rtt > 0 ? s->nq * (rtt - s->rttmin) / rtt : 0;
	lim = RATE_MAX * s->rttmin / (double)s->wchunk;
	if (lim > s->nqmax)
		lim = s->nqmax;
	if (lim < 2)
		lim = 2;
	after = (int32_t)(id - s->mark) > 0;
	if (s->nq > (int)lim) {
		s->nq = (int)lim;
		s->mark = s->rid;
	} else if (q < Q_GROW) {
		if (s->nq < (int)lim && (s->slow || after)) {
			s->nq++;
			s->mark = s->rid;
		}
	} else {
		s->slow = 0;
		if (q > Q_SHRINK && s->nq > 2 && after) {
			s->nq--;
			s->mark = s->rid;
		}
	}
}

/*
 * Sends the file as WRITEs of s->wchunk bytes, s->nq in flight, then FSTAT and
 * CLOSE, and reads every reply.  *werr gets the first failed status of a
 * WRITE or CLOSE, *rsize the size FSTAT saw (-1: unknown).  Returns 0,
 * SME_EX_LOCAL when the local file failed, or -1 when the session did.
 */
static int
send_file(struct sme_xfer *x, struct ssh *s, struct sme_put *p,
    const struct pkt *h, long *werr, long long *rsize)
{
	const unsigned char *a;
	uint64_t off = 0;
	uint32_t id, fstat_id, close_id;
	long n = 1, st;
	int inflight = 0, type, rc = 0;
	struct sent *w = ecalloc((size_t)s->nqmax, sizeof *w);

	*werr = 0;
	*rsize = -1;
	for (;;) {
		while (inflight >= s->nq) {
			if ((type = pk_recv(s, &id)) < 0)
				goto dead;
			if (type == FXP_STATUS && pk_status(s) == 0)
				progress(s);	/* a WRITE done */
			if (type == FXP_STATUS && (st = pk_status(s)) && !*werr)
				*werr = st;
			inflight--;
			pace(s, w, id);
		}
		id = pk_start(s, FXP_WRITE);
		pk_str(&s->out, h->b, h->len);
		pk_u32(&s->out, (uint32_t)(off >> 32));
		pk_u32(&s->out, (uint32_t)off);
		pk_room(&s->out, 4 + s->wchunk);
		n = sme_put_read(x, p, (char *)s->out.b + s->out.len + 4,
		    s->wchunk);
		if (n <= 0)
			break;
		put32(s->out.b + s->out.len, (uint32_t)n);
		s->out.len += 4 + (size_t)n;
		w[id % (uint32_t)s->nqmax].id = id;
		w[id % (uint32_t)s->nqmax].t = mono();
		if (pk_send(s) < 0)
			goto dead;
		off += (uint64_t)n;
		inflight++;
	}
	free(w);
	w = NULL;
	if (n < 0)
		rc = SME_EX_LOCAL;	/* sme_put_read said why */
	fstat_id = pk_start(s, FXP_FSTAT);
	pk_str(&s->out, h->b, h->len);
	if (pk_send(s) < 0)
		return -1;
	close_id = pk_start(s, FXP_CLOSE);
	pk_str(&s->out, h->b, h->len);
	if (pk_send(s) < 0)
		return -1;
	for (inflight += 2; inflight > 0; inflight--) {
		if ((type = pk_recv(s, &id)) < 0)
			return -1;
		if (type == FXP_STATUS && pk_status(s) == 0)
			progress(s);	/* a WRITE or the CLOSE done */
		if (id == fstat_id && type == FXP_ATTRS) {
			a = s->in.b + 5;
			if (s->in.len >= 17 && (get32(a) & 0x1))	/* size */
				*rsize = (long long)((uint64_t)get32(a + 4) << 32 |
				    get32(a + 8));
		} else if (type == FXP_STATUS && (st = pk_status(s)) && !*werr) {
			*werr = st;
		} else if (id == close_id && type != FXP_STATUS && !*werr) {
			*werr = LIBSSH2_FX_BAD_MESSAGE;
		}
	}
	return rc;
dead:
	free(w);
	return -1;
}

/* the size STAT gives for path, -1 when none */
static long long
stat_size(struct ssh *s, const char *path)
{
	LIBSSH2_SFTP_ATTRIBUTES a;

	if (s->dead)
		return -1;
	arm(s);
	api_deadline(s);
	if (libssh2_sftp_stat_ex(s->sftp, path,
	    (unsigned int)strlen(path), LIBSSH2_SFTP_STAT, &a) != 0 ||
	    !(a.flags & LIBSSH2_SFTP_ATTR_SIZE))
		return -1;
	return (long long)a.filesize;
}

static int
ssh_put(struct sme_xfer *x, struct sme_put *p)
{
	struct ssh *s = x->conn;
	char *tmp = sme_xfer_path(x, p->tmp), *final = sme_xfer_path(x, p->name);
	struct pkt h = { NULL, 0, 0 };
	uint32_t flags = FXF_WRITE | FXF_CREAT;
	long long rsize;
	long fx;
	int rc = 0, tried = 0, keep = 0;

	flags |= x->opt->direct ? FXF_TRUNC : FXF_EXCL;
	for (;;) {
		p->left = 1;	/* OPEN goes out: the server may make the file */
		if (fx_open(s, tmp, flags, &h, &fx) == 0)
			break;
		if (fx >= 0)
			p->left = 0;	/* the server said no: there is none */
		if (fx < 0) {
			rc = session_err(x, s, "cannot create a file");
			goto out;
		}
		if (fx == LIBSSH2_FX_NO_SUCH_FILE && x->opt->mkdirs && !tried++) {
			if ((rc = mkdirs(x, s)) != 0)
				goto out;
			continue;
		}
		if (fx == LIBSSH2_FX_NO_SUCH_FILE)
			rc = folder_err(x, s);
		else if (fx == LIBSSH2_FX_PERMISSION_DENIED)
			rc = sme_xfer_fail(x, SME_EX_REMOTE, "no permission to "
			    "create a file in %s", *x->url->dir ? x->url->dir :
			    "the login folder");
		else
			rc = fx_fail(x, "cannot create a file", fx);
		goto out;
	}
	rc = send_file(x, s, p, &h, &fx, &rsize);
	if (rc == 0 && !fx && rsize < 0)	/* FSTAT gave no size: STAT */
		rsize = stat_size(s, tmp);
	if (rc < 0)
		rc = session_err(x, s, "upload failed");
	else if (rc == 0 && fx)
		rc = write_err(x, fx);
	else if (rc == 0 && rsize < 0 && p->tmp != p->name)
		rc = sme_xfer_fail(x, SME_EX_REMOTE, "the server cannot tell the "
		    "size of the file (FSTAT and STAT gave none); not renamed");
	else if (rc == 0 && rsize >= 0 && rsize != (long long)p->size)
		rc = sme_xfer_fail(x, SME_XF_AGAIN, "the server holds %lld bytes, "
		    "not %lld", rsize, (long long)p->size);
	if (rc == 0 && p->tmp != p->name &&
	    (rc = ssh_rename(x, s, tmp, final, p->name, &keep)) != 0 && keep) {
		/* whole and checked, but not renamed: it stays, named */
		sme_xfer_kept(x, p);
	}
	if (rc == 0)
		p->left = 0;
out:
	if (rc && p->left && ssh_remove(x, p->tmp) == 0)
		p->left = 0;
	free(h.b);
	free(tmp);
	free(final);
	return rc;
}

const struct sme_proto sme_proto_sftp = {
	ssh_connect, ssh_put, ssh_remove, ssh_close
};
