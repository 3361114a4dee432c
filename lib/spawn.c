/* sme: child processes for sme-export: started beside us, killed with us; licence in COPYING */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sme.h"

volatile sig_atomic_t sme_spawn_signal;
volatile sig_atomic_t sme_spawn_timedout;

#define MAXKIDS 8
static volatile pid_t kids[MAXKIDS];
static char *bindir;		/* the folder sme-export was started from */

static void
caught(int sig)
{
	int i;

	sme_spawn_signal = sig;
	for (i = 0; i < MAXKIDS; i++)
		if (kids[i] > 0)
			kill(-kids[i], SIGTERM);
}

static void
alarmed(int sig)
{
	int i;

	(void)sig;
	sme_spawn_timedout = 1;
	for (i = 0; i < MAXKIDS; i++)
		if (kids[i] > 0)
			kill(-kids[i], SIGTERM);
}

void
sme_spawn_deadline(unsigned seconds)
{
	sme_spawn_timedout = 0;
	alarm(seconds);
}

void
sme_spawn_init(const char *argv0)
{
	struct sigaction sa;
	char buf[PATH_MAX];
	ssize_t n;
	const char *slash;

	struct sigaction old;
	int sigs[] = { SIGTERM, SIGINT, SIGHUP }, i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = caught;
	sigemptyset(&sa.sa_mask);
	/* what was ignored when we started (nohup, &) stays ignored */
	for (i = 0; i < 3; i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = alarmed;
	sigaction(SIGALRM, &sa, NULL);
	/* the programs that came with this one go first: /proc, else argv[0] */
	n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		bindir = estrndup(buf, (size_t)(slash - buf));
	} else if (argv0 && (slash = strrchr(argv0, '/'))) {
		bindir = estrndup(argv0, (size_t)(slash - argv0));
	}
}

static void
movefd(int from, int to)
{
	if (from == to) {
		fcntl(to, F_SETFD, 0);
		return;
	}
	if (dup2(from, to) < 0)
		_exit(126);
}

pid_t
sme_spawn(char *const argv[], int in, int out, int err)
{
	char path[PATH_MAX];
	sigset_t all, old;
	pid_t pid, self;
	int i, slot = -1;

	for (i = 0; i < MAXKIDS; i++)
		if (kids[i] <= 0) {
			slot = i;
			break;
		}
	if (slot < 0) {
		errno = EAGAIN;
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	self = getpid();
	pid = fork();
	if (pid == 0) {
		struct sigaction sa;

		/*
		 * When we die (SIGKILL, OOM), the children go too: an upload
		 * left running would race the next run's upload of the period
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != self)
			_exit(128 + SIGTERM);

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigaction(SIGPIPE, &sa, NULL);
		sigaction(SIGALRM, &sa, NULL);
		/* its own group, so that a signal reaches what it starts, too */
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (sme_spawn_signal)
			_exit(128 + SIGTERM);
		/* in, out and err may be the same descriptor or each other's numbers */
		if (in >= 0 && in < 3 && in != 0)
			in = dup(in);
		if (out >= 0 && out < 3 && out != 1)
			out = dup(out);
		if (in >= 0)
			movefd(in, 0);
		if (out >= 0)
			movefd(out, 1);
		if (err >= 0)
			movefd(err, 2);
		if (bindir && !strchr(argv[0], '/') &&
		    (size_t)snprintf(path, sizeof path, "%s/%s", bindir, argv[0]) <
		    sizeof path && access(path, X_OK) == 0)
			execv(path, argv);
		execvp(argv[0], argv);
		dprintf(2, "%s: cannot run %s: %s\n", sme_prog, argv[0],
		    strerror(errno));
		_exit(127);
	}
	if (pid > 0) {
		setpgid(pid, pid);
		kids[slot] = pid;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid;
}

int
sme_spawn_wait(pid_t pid)
{
	int st, i;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 128 + SIGKILL;
	for (i = 0; i < MAXKIDS; i++)
		if (kids[i] == pid)
			kids[i] = 0;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

void
sme_spawn_kill(void)
{
	int i;

	for (i = 0; i < MAXKIDS; i++)
		if (kids[i] > 0)
			kill(-kids[i], SIGTERM);
}

char *
sme_spawn_shell(char *const argv[])
{
	size_t n = 1, i;
	const char *p;
	char *r, *o;
	int plain;

	for (i = 0; argv[i]; i++)
		n += 4 * strlen(argv[i]) + 3;
	o = r = emalloc(n);
	for (i = 0; argv[i]; i++) {
		if (i)
			*o++ = ' ';
		plain = *argv[i] != '\0';
		for (p = argv[i]; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_./:=@,+%", *p))
				plain = 0;
		if (plain) {
			o = stpcpy(o, argv[i]);
			continue;
		}
		*o++ = '\'';
		for (p = argv[i]; *p; p++) {
			if (*p == '\'') {
				o = stpcpy(o, "'\\''");
				continue;
			}
			*o++ = *p;
		}
		*o++ = '\'';
	}
	*o = '\0';
	return r;
}
