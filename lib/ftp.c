/* sme: delivery over FTP, FTPS (implicit TLS) and FTPES (AUTH TLS) through libcurl; licence in COPYING */
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include <poll.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "sme.h"

struct ftp {
	CURL *h;
	CURLM *m;		/* drives h; holds the connection between files */
	char errbuf[CURL_ERROR_SIZE];
	char reply[512];	/* the server's last reply line */
	char *dirurl;		/* the folder, as a curl URL ending in '/' */
	struct sme_xfer *x;
	struct sme_put *p;
	int data;		/* 150 or 125 seen: data flows */
	int ended;		/* the reply that ends the transfer seen */
	int sized;		/* SIZE answered after the transfer */
	int sizefail;		/* SIZE failed: its reply is in sizereply */
	char sizereply[512];
	long long rsize;
	int readerr;
	int cleaning;		/* removing after a signal: not to be stopped */
	int tlsup;		/* AUTH TLS was taken (234): the login went over TLS */
	curl_off_t took;	/* bytes of the upload the server's side took */
	curl_socket_t dsock;	/* the data connection's socket */
	curl_socket_t csock;	/* the control connection's */
	int pasv;		/* 229 or 227 seen: the next socket is the data's */
	int paused;		/* at the end of the file, until the server took it */
};

static int tls12;		/* held to TLS 1.2 after a 426 over TLS 1.3 */
/*
 * One easy handle for the whole run: it is given the password once, and
 * our copy is wiped then; every later login (retries, the removal of a
 * temporary file) uses libcurl's.
 */
static CURL *easy;

static void
cat(char **b, size_t *len, const char *s, int enc)
{
	size_t n = strlen(s);

	*b = erealloc(*b, *len + 3 * n + 1);
	for (; *s; s++) {
		if (!enc || isalnum((unsigned char)*s) || strchr("-._~/", *s))
			(*b)[(*len)++] = *s;
		else
			*len += (size_t)sprintf(*b + *len, "%%%02X",
			    (unsigned char)*s);
	}
	(*b)[*len] = '\0';
}

static char *
url_for(struct ftp *f, const char *name)
{
	char *b = NULL;
	size_t len = 0;

	cat(&b, &len, f->dirurl, 0);
	cat(&b, &len, name, 1);
	return b;
}

/* bytes sent on the data connection that the server's side has not taken */
static int
unacked(struct ftp *f)
{
	int q = 0;

	if (!f->data || f->dsock == CURL_SOCKET_BAD ||
	    ioctl(f->dsock, SIOCOUTQ, &q) < 0)
		return 0;
	return q;
}

/*
 * At the end of the file the kernel may still hold megabytes of it, which
 * the server takes at its pace before it answers 226: the upload pauses
 * until no more than DRAINED bytes are left, so that the wait for that
 * reply starts then (and what the server takes meanwhile is progress).
 * Not to 0: the last segment's ACK may be delayed (40 ms on Linux).
 */
#define DRAINED (128 << 10)
static size_t
on_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct ftp *f = arg;
	long n = sme_put_read(f->x, f->p, buf, size * nmemb);

	if (n < 0) {
		f->readerr = 1;
		return CURL_READFUNC_ABORT;
	}
	if (n == 0 && !f->paused && unacked(f) > DRAINED) {
		f->paused = 1;
		return CURL_READFUNC_PAUSE;
	}
	return (size_t)n;
}

/* the socket libcurl opens after a 229 or 227 is the data connection's */
static int
on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct ftp *f = arg;

	(void)purpose;
	if (f && f->pasv)
		f->dsock = fd;
	else if (f)
		f->csock = fd;
	return CURL_SOCKOPT_OK;
}

/* the server said something while the upload is paused: 451, say */
static int
replied(struct ftp *f)
{
	struct pollfd pfd;

	pfd.fd = f->csock;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return f->csock != CURL_SOCKET_BAD && poll(&pfd, 1, 0) > 0;
}

/* bytes of the file the server's side (TCP) took: progress */
static void
took(struct ftp *f)
{
	curl_off_t n;
	int q;

	if (!f->p || curl_easy_getinfo(f->h, CURLINFO_SIZE_UPLOAD_T, &n) !=
	    CURLE_OK)
		return;
	q = unacked(f);
	if (n - q > f->took) {
		f->took = n - q;
		sme_xfer_progress(f->x);
	}
	if (f->paused == 1 && (q <= DRAINED || replied(f))) {
		f->paused = 2;	/* the server took all, or replied: on to it */
		curl_easy_pause(f->h, CURLPAUSE_CONT);
	}
}

/*
 * every server reply passes here; after the reply that ends the transfer
 * comes the one to SIZE: a wrong size stops the rename (and a failed SIZE,
 * through curl's QUOTE_ERROR, unless it is optional)
 */
static size_t
on_reply(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct ftp *f = arg;
	size_t n = size * nmemb, k = n;
	int final;

	while (k && (buf[k - 1] == '\r' || buf[k - 1] == '\n'))
		k--;
	if (k >= sizeof f->reply)
		k = sizeof f->reply - 1;
	memcpy(f->reply, buf, k);
	f->reply[k] = '\0';
	final = k >= 4 && isdigit((unsigned char)f->reply[0]) &&
	    isdigit((unsigned char)f->reply[1]) &&
	    isdigit((unsigned char)f->reply[2]) && f->reply[3] == ' ';
	if (!strncmp(f->reply, "234", 3))
		f->tlsup = 1;
	if (!strncmp(f->reply, "150", 3) || !strncmp(f->reply, "125", 3)) {
		f->data = 1;
	} else if (f->p && (!strncmp(f->reply, "229 ", 4) ||
	    !strncmp(f->reply, "227 ", 4))) {
		f->pasv = 1;
		/* the data connection is set: STOR goes out next, so the
		 * server may make the file from now on */
		f->p->left = 1;
	} else if (!final || !f->data || !f->p || f->sized || f->sizefail) {
		;
	} else if (!f->ended) {
		f->ended = 1;
	} else if (!strncmp(f->reply, "213 ", 4)) {
		f->rsize = strtoll(f->reply + 4, NULL, 10);
		f->sized = 1;
		if (f->rsize != f->p->size)
			return 0;
	} else {
		f->sizefail = 1;
		snprintf(f->sizereply, sizeof f->sizereply, "%s", f->reply);
	}
	return n;
}

static void
ftp_close(struct sme_xfer *x)
{
	struct ftp *f = x->conn;

	if (!f)
		return;
	if (f->m && f->h)
		curl_multi_remove_handle(f->m, f->h);
	if (f->m)
		curl_multi_cleanup(f->m);
	curl_easy_setopt(f->h, CURLOPT_SOCKOPTDATA, NULL);
	free(f->dirurl);
	free(f);
	x->conn = NULL;
}

static int
ftp_connect(struct sme_xfer *x)
{
	static int once, warned;
	const struct sme_url *u = x->url;
	const struct sme_xfer_opt *o = x->opt;
	struct ftp *f;
	char *b = NULL, port[16];
	size_t len = 0;
	long ver;

	/* curl_global_init_mem() was called by main(): this is a no-op then */
	if (!once++ && curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
	if (!warned++) {
		if (u->scheme == SME_FTP)
			sme_warn("warning: ftp:// sends the password in clear "
			    "text; prefer ftpes:// or sftp://");
		else if (o->insecure)
			sme_warn("warning: -k: the server's certificate is not "
			    "checked; anyone on the way can read the password");
	}
	f = ecalloc(1, sizeof *f);
	f->x = x;
	f->dsock = f->csock = CURL_SOCKET_BAD;
	x->conn = f;
	if (!easy) {
		if (!(easy = curl_easy_init()))
			sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
		curl_easy_setopt(easy, CURLOPT_PASSWORD, o->password ?
		    o->password : "");
		sme_secret_free(((struct sme_xfer_opt *)o)->password);
		((struct sme_xfer_opt *)o)->password = NULL;
	}
	f->h = easy;
	if (!(f->m = curl_multi_init()))
		sme_die(SME_EX_LOCAL, "cannot initialise libcurl");

	cat(&b, &len, u->scheme == SME_FTPS ? "ftps://" : "ftp://", 0);
	if (strchr(u->host, ':'))
		cat(&b, &len, "[", 0);
	/* the host as it is: sme_url_parse let through no '%', space or control */
	cat(&b, &len, u->host, 0);
	if (strchr(u->host, ':'))
		cat(&b, &len, "]", 0);
	snprintf(port, sizeof port, ":%d/", u->port);
	cat(&b, &len, port, 0);
	if (u->dir[0] == '/') {
		cat(&b, &len, "%2F", 0);
		cat(&b, &len, u->dir + 1, 1);
	} else {
		cat(&b, &len, u->dir, 1);
	}
	f->dirurl = b;

	curl_easy_setopt(f->h, CURLOPT_ERRORBUFFER, f->errbuf);
	curl_easy_setopt(f->h, CURLOPT_NOSIGNAL, 1L);
	/*
	 * A name lookup past the deadline is left to its thread: without this,
	 * the cleanup would wait for it as long as the resolver's own timeouts
	 */
	curl_easy_setopt(f->h, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(f->h, CURLOPT_PROTOCOLS_STR, "ftp,ftps");
	/* never a proxy: it would get the password and skip SIZE and RNTO */
	curl_easy_setopt(f->h, CURLOPT_PROXY, "");
	curl_easy_setopt(f->h, CURLOPT_USERNAME, u->user);
	curl_easy_setopt(f->h, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(f->h, CURLOPT_SOCKOPTDATA, f);
	curl_easy_setopt(f->h, CURLOPT_SERVER_RESPONSE_TIMEOUT, o->timeout);
	/* a stalled transfer: perform() sees it, from what the server takes */
	curl_easy_setopt(f->h, CURLOPT_LOW_SPEED_TIME, 0L);
	curl_easy_setopt(f->h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(f->h, CURLOPT_UPLOAD_BUFFERSIZE, 1L << 20);
	curl_easy_setopt(f->h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(f->h, CURLOPT_READDATA, f);
	curl_easy_setopt(f->h, CURLOPT_HEADERFUNCTION, on_reply);
	curl_easy_setopt(f->h, CURLOPT_HEADERDATA, f);
	if (o->mkdirs)
		curl_easy_setopt(f->h, CURLOPT_FTP_CREATE_MISSING_DIRS,
		    (long)CURLFTP_CREATE_DIR_RETRY);
	if (u->scheme != SME_FTP) {
		curl_easy_setopt(f->h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		curl_easy_setopt(f->h, CURLOPT_FTPSSLAUTH, (long)CURLFTPAUTH_TLS);
		if (o->cafile)
			curl_easy_setopt(f->h, CURLOPT_CAINFO, o->cafile);
		if (o->insecure) {
			curl_easy_setopt(f->h, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(f->h, CURLOPT_SSL_VERIFYHOST, 0L);
		}
		ver = CURL_SSLVERSION_TLSv1_2;
		if (o->tlsmax == 12 || tls12)
			ver |= CURL_SSLVERSION_MAX_TLSv1_2;
		curl_easy_setopt(f->h, CURLOPT_SSLVERSION, ver);
	}
	return 0;
}

/*
 * curl_easy_perform(), but driven through our own multi handle: libcurl
 * 7.88 sets no timer after an EPSV reply and then sleeps a whole second
 * before it opens the data connection, in 1 to 20 % of transfers.  Polling
 * with a short timeout moves it on at once.  Every wait in it ends by the
 * stall deadline: bytes of the file sent move that on, nothing else does.
 */
static CURLcode
perform(struct ftp *f)
{
	CURLcode rc = CURLE_OK;
	CURLMcode mc;
	CURLMsg *msg;
	double left = f->x->stall - sme_xfer_now();
	long ms = f->x->opt->timeout * 1000;
	int running = 1, nmsg, sig = sme_sig_caught();

	/*
	 * The connection (and, with libcurl 7.88, the login) by the stall
	 * deadline; each reply (SME_UPLOAD_TIMEOUT) by it too, in the loop
	 * below, which knows when the upload moves it on.  After a signal,
	 * curl's timeouts alone.
	 */
	if (!sig && left * 1000 < (double)ms)
		ms = left > 0.001 ? (long)(left * 1000) : 1;
	curl_easy_setopt(f->h, CURLOPT_CONNECTTIMEOUT_MS, ms);
	f->took = 0;
	f->paused = f->pasv = 0;
	f->dsock = CURL_SOCKET_BAD;
	if (curl_multi_add_handle(f->m, f->h) != CURLM_OK)
		return CURLE_OUT_OF_MEMORY;
	while (running) {
		if (sme_sig_caught() && !f->cleaning) {
			/* SIGTERM, SIGINT, SIGHUP: stop; the caller cleans up */
			curl_multi_remove_handle(f->m, f->h);
			return CURLE_ABORTED_BY_CALLBACK;
		}
		took(f);
		if (!sig && sme_xfer_now() > f->x->stall) {
			/* no progress for SME_UPLOAD_TIMEOUT: as curl's timeouts */
			curl_multi_remove_handle(f->m, f->h);
			return CURLE_OPERATION_TIMEDOUT;
		}
		if ((mc = curl_multi_perform(f->m, &running)) != CURLM_OK)
			break;
		if (running && (mc = curl_multi_poll(f->m, NULL, 0, 10, NULL)) != CURLM_OK)
			break;
	}
	while ((msg = curl_multi_info_read(f->m, &nmsg)) != NULL)
		if (msg->msg == CURLMSG_DONE)
			rc = msg->data.result;
	curl_multi_remove_handle(f->m, f->h);
	if (running)
		rc = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_RECV_ERROR;
	return rc;
}

/* what went wrong, and whether another attempt may help */
static int
classify(struct sme_xfer *x, struct ftp *f, CURLcode c)
{
	const struct sme_xfer_opt *o = x->opt;
	const char *eb = f->errbuf[0] ? f->errbuf : curl_easy_strerror(c);
	const char *said = f->reply[0] ? f->reply : eb;
	long resp = 0, oserr = 0;
	int tls = x->url->scheme != SME_FTP;
	int soft;

	curl_easy_getinfo(f->h, CURLINFO_RESPONSE_CODE, &resp);
	curl_easy_getinfo(f->h, CURLINFO_OS_ERRNO, &oserr);
	soft = resp >= 400 && resp < 500 ? SME_XF_AGAIN : SME_EX_REMOTE;
	switch (c) {
	case CURLE_LOGIN_DENIED:
		return sme_xfer_fail(x, SME_EX_SAFETY, "login refused for user "
		    "%s: %s", x->url->user, said);
	case CURLE_PEER_FAILED_VERIFICATION:
		return sme_xfer_fail(x, SME_EX_SAFETY, "certificate not trusted: "
		    "%s", eb);
	case CURLE_SSL_CACERT_BADFILE:
		return sme_xfer_fail(x, SME_EX_LOCAL, "cannot use CA file %s: %s",
		    o->cafile ? o->cafile : "(system)", eb);
	case CURLE_USE_SSL_FAILED:
		if (f->tlsup || x->url->scheme == SME_FTPS)
			return sme_xfer_fail(x, SME_EX_SAFETY, "the server refuses "
			    "to protect the data connection with TLS (%s): no file "
			    "is sent in clear", said);
		return sme_xfer_fail(x, SME_EX_SAFETY, "the server does not offer "
		    "TLS (%s): the password is not sent in clear", said);
	case CURLE_SSL_CONNECT_ERROR:
		if (strstr(eb, "wrong version number"))
			return sme_xfer_fail(x, SME_EX_REMOTE, "TLS handshake failed: "
			    "the server does not speak TLS there%s",
			    x->url->scheme == SME_FTPS ? " (a plain FTP port? then "
			    "use ftpes://)" : "");
		/* the connection broke during the handshake: worth a retry */
		if (oserr == ECONNRESET || oserr == EPIPE ||
		    strstr(eb, "reset by peer"))
			return sme_xfer_fail(x, SME_XF_AGAIN, "TLS handshake failed: "
			    "the server reset the connection");
		if (strstr(eb, "SSL_ERROR_SYSCALL") || strstr(eb, "unexpected eof"))
			return sme_xfer_fail(x, SME_XF_AGAIN, "TLS handshake failed: "
			    "the server closed the connection");
		return sme_xfer_fail(x, SME_EX_REMOTE, "TLS handshake failed: %s",
		    eb);
	case CURLE_OUT_OF_MEMORY:
		return sme_xfer_fail(x, SME_EX_LOCAL, "out of memory");
	case CURLE_FAILED_INIT:
		return sme_xfer_fail(x, SME_EX_LOCAL, "cannot initialise libcurl: "
		    "%s", eb);
	case CURLE_COULDNT_RESOLVE_HOST:
		return sme_xfer_fail(x, SME_XF_AGAIN, "cannot resolve host %s",
		    x->url->host);
	case CURLE_COULDNT_CONNECT:
		/* implicit TLS: a reset right after connect is the handshake's */
		if (x->url->scheme == SME_FTPS && oserr == ECONNRESET)
			return sme_xfer_fail(x, SME_XF_AGAIN, "TLS handshake failed: "
			    "the server reset the connection");
		return sme_xfer_fail(x, SME_XF_AGAIN, "cannot connect: %s",
		    oserr ? strerror((int)oserr) : eb);
	case CURLE_OPERATION_TIMEDOUT:
		/*
		 * still looking the name up (libcurl's words, asyn-thread.c),
		 * or our deadline came first: no socket was made yet
		 */
		if (!strncmp(eb, "Resolving timed out", 19) ||
		    (f->csock == CURL_SOCKET_BAD && !f->reply[0]))
			return sme_xfer_fail(x, SME_XF_AGAIN, "cannot resolve host "
			    "%s: no answer within %ld s", x->url->host, o->timeout);
		/* curl reports a 421 (closing the session) as a timeout */
		if (!strncmp(f->reply, "421", 3))
			return sme_xfer_fail(x, SME_XF_AGAIN, "the server closed the "
			    "session: %s", f->reply);
		/* the server answered STOR, then its side took no more data */
		if (f->p && f->data && !f->ended &&
		    (f->p->done < f->p->size || f->paused == 1))
			return sme_xfer_fail(x, SME_XF_AGAIN, "upload stalled: the "
			    "server took no data for %ld s", o->timeout);
		return sme_xfer_fail(x, SME_XF_AGAIN, "no answer within %ld s%s",
		    o->timeout, !f->reply[0] && x->url->scheme != SME_FTPS ?
		    " (an implicit TLS port? then use ftps://)" : "");
	case CURLE_REMOTE_ACCESS_DENIED:
		return sme_xfer_fail(x, soft, "cannot enter folder %s: %s%s",
		    *x->url->dir ? x->url->dir : "/", said,
		    o->mkdirs ? "" : " (-m creates missing folders)");
	case CURLE_UPLOAD_FAILED:
		if (!f->data)
			return sme_xfer_fail(x, soft, "cannot create a file in "
			    "%s: %s", *x->url->dir ? x->url->dir : "the login folder",
			    said);
		if (resp == 426 && tls && !o->tlsmax && !tls12) {
			tls12 = 1;
			return sme_xfer_fail(x, SME_XF_AGAIN, "upload failed: %s "
			    "(next tries hold TLS to 1.2, as SME_UPLOAD_TLS_MAX=1.2 "
			    "would)", said);
		}
		return sme_xfer_fail(x, soft, "upload failed: %s", said);
	case CURLE_REMOTE_DISK_FULL:
		return sme_xfer_fail(x, SME_XF_AGAIN, "disk full on the server: "
		    "%s", said);
	case CURLE_QUOTE_ERROR:
		if (f->sizefail)
			return sme_xfer_fail(x, soft, "the server cannot tell the size "
			    "of the file (SIZE failed: %s); not renamed", f->sizereply);
		return sme_xfer_fail(x, soft, "cannot rename the temporary file: "
		    "%s", said);
	case CURLE_WRITE_ERROR:
		if (f->sized)
			return sme_xfer_fail(x, SME_XF_AGAIN, "the server holds %lld "
			    "bytes, not %lld", f->rsize, (long long)f->p->size);
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		if (f->readerr)
			return SME_EX_LOCAL;	/* sme_put_read said why */
		break;
	case CURLE_WEIRD_SERVER_REPLY:
		return sme_xfer_fail(x, SME_EX_REMOTE, "not an FTP server: %s", eb);
	case CURLE_PARTIAL_FILE:
		if (resp >= 400)
			return sme_xfer_fail(x, soft, "upload failed: %s", said);
		/* FALLTHROUGH */
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_FTP_WEIRD_PASV_REPLY:
	case CURLE_FTP_WEIRD_227_FORMAT:
	case CURLE_FTP_CANT_GET_HOST:
	case CURLE_FTP_ACCEPT_FAILED:
	case CURLE_FTP_ACCEPT_TIMEOUT:
	case CURLE_FTP_PORT_FAILED:
		return sme_xfer_fail(x, SME_XF_AGAIN, "connection failed: %s", eb);
	default:
		break;
	}
	if (f->reply[0] && resp >= 400)
		return sme_xfer_fail(x, soft, "%s: %s", eb, f->reply);
	return sme_xfer_fail(x, soft, "%s", eb);
}

static struct curl_slist *
cmd(struct curl_slist *l, const char *verb, const char *arg)
{
	char *s = emalloc(strlen(verb) + strlen(arg) + 2);
	struct curl_slist *n;

	sprintf(s, "%s %s", verb, arg);
	if (!(n = curl_slist_append(l, s)))
		sme_die(SME_EX_LOCAL, "out of memory");
	free(s);
	return n;
}

/* one command on the folder's URL; the server's reply code in *resp */
static CURLcode
quote(struct ftp *f, const char *verb, const char *name, long *resp)
{
	struct curl_slist *l;
	CURLcode c;

	*resp = 0;
	l = cmd(NULL, verb, name);
	f->p = NULL;
	f->data = 0;
	f->errbuf[0] = '\0';
	curl_easy_setopt(f->h, CURLOPT_URL, f->dirurl);
	curl_easy_setopt(f->h, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(f->h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(f->h, CURLOPT_POSTQUOTE, l);
	c = perform(f);
	curl_easy_setopt(f->h, CURLOPT_POSTQUOTE, NULL);
	curl_easy_setopt(f->h, CURLOPT_NOBODY, 0L);
	curl_slist_free_all(l);
	if (c == CURLE_QUOTE_ERROR)
		curl_easy_getinfo(f->h, CURLINFO_RESPONSE_CODE, resp);
	return c;
}

static int
ftp_remove(struct sme_xfer *x, const char *name)
{
	struct ftp *f = x->conn;
	long resp;

	if (!f)
		return -1;
	if (quote(f, "DELE", name, &resp) == CURLE_OK)
		return 0;
	if (resp != 550)
		return -1;
	/* 550 is "no such file", but also "not allowed": is it there? */
	return quote(f, "SIZE", name, &resp) == CURLE_QUOTE_ERROR &&
	    resp == 550 ? 0 : -1;
}

static int
ftp_put(struct sme_xfer *x, struct sme_put *p)
{
	struct ftp *f = x->conn;
	struct curl_slist *post;
	char *url = url_for(f, p->tmp), *size = emalloc(strlen(p->tmp) + 7);
	CURLcode c;
	int rc = 0;

	/* SIZE must answer before the rename; with -R ('*') it may fail */
	sprintf(size, "%sSIZE %s", p->tmp == p->name ? "*" : "", p->tmp);
	post = curl_slist_append(NULL, size);
	if (post && p->tmp != p->name) {
		post = cmd(post, "RNFR", p->tmp);
		post = cmd(post, "RNTO", p->name);
	}
	free(size);
	if (!post)
		sme_die(SME_EX_LOCAL, "out of memory");
	f->p = p;
	p->left = 0;
	f->data = f->ended = f->sized = f->sizefail = f->readerr = 0;
	f->tlsup = 0;
	f->reply[0] = f->errbuf[0] = '\0';
	curl_easy_setopt(f->h, CURLOPT_URL, url);
	curl_easy_setopt(f->h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(f->h, CURLOPT_UPLOAD, 1L);
	/* no size: the end is when on_read says so (it may pause there first) */
	curl_easy_setopt(f->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(f->h, CURLOPT_POSTQUOTE, post);
	c = perform(f);
	curl_easy_setopt(f->h, CURLOPT_POSTQUOTE, NULL);
	curl_slist_free_all(post);
	free(url);
	if (c == CURLE_QUOTE_ERROR && f->sized && !f->sizefail &&
	    p->tmp != p->name) {
		/*
		 * RNFR or RNTO refused after SIZE confirmed the whole file:
		 * it stays, named, for whoever can rename it (as over SFTP)
		 */
		rc = sme_xfer_fail(x, SME_EX_REMOTE, "cannot rename the temporary "
		    "file: %s", f->reply[0] ? f->reply : curl_easy_strerror(c));
		sme_xfer_kept(x, p);
	} else if (c != CURLE_OK) {
		rc = classify(x, f, c);
		/*
		 * With -R the file has its final name: it holds partial data
		 * only once the server took STOR (150), and an old file that
		 * STOR never reached is left alone.
		 */
		if (p->tmp == p->name && !f->data)
			p->left = 0;
		if (p->left) {
			/*
			 * STOR may have gone out: the temporary file (or, with -R, the
			 * file) may exist.  A lost connection is made again to
			 * remove it; a server that does not answer is left for
			 * the next attempt.
			 */
			f->cleaning = 1;
			p->left = c == CURLE_OPERATION_TIMEDOUT ||
			    ftp_remove(x, p->tmp) != 0;
			f->cleaning = 0;
		}
	}
	f->p = NULL;
	if (rc == 0)
		p->left = 0;
	return rc;
}

const struct sme_proto sme_proto_ftp = {
	ftp_connect, ftp_put, ftp_remove, ftp_close
};
