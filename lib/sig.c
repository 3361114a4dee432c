/* sme: SIGTERM, SIGINT, SIGHUP and the other signals that end a program: clean up, then die of it; licence in COPYING */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

#define NCLEAN 8

static void (*cleanups[NCLEAN])(void);
static volatile sig_atomic_t ncleanups;
static volatile sig_atomic_t caught;
static volatile sig_atomic_t deferred;
/*
 * Every signal whose default ends the program, but PIPE and XFSZ (out.c
 * makes them write errors) and those profilers use (PROF, VTALRM)
 */
static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2,
	SIGXCPU };
#define NSIGS (sizeof sigs / sizeof sigs[0])

static void
runcleanups(void)
{
	sig_atomic_t i;

	for (i = ncleanups; i-- > 0;)
		if (cleanups[i])
			cleanups[i]();
}

_Noreturn static void
die(int sig)
{
	struct sigaction sa;
	sigset_t set;

	runcleanups();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void
handler(int sig)
{
	/* deferred: the first signal is noted; a second one is obeyed at once */
	if (deferred && !caught) {
		caught = sig;
		return;
	}
	caught = sig;
	die(sig);
}

/*
 * A signal that was ignored when the program started stays ignored, as
 * nohup(1) and a shell's background jobs (SIGINT) expect.
 */
static int checked, ignored[NSIGS];

static void
install(void)
{
	struct sigaction sa, old;
	size_t i;

	if (!checked) {
		for (i = 0; i < NSIGS; i++)
			ignored[i] = sigaction(sigs[i], NULL, &old) == 0 &&
			    old.sa_handler == SIG_IGN;
		checked = 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGS; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/* no SA_RESTART: a blocked read or poll returns EINTR when deferred */
	sa.sa_flags = 0;
	for (i = 0; i < NSIGS; i++)
		if (!ignored[i])
			sigaction(sigs[i], &sa, NULL);
}

void
sme_sig_catch(void)
{
	install();
}

void
sme_sig_atcleanup(void (*fn)(void))
{
	sigset_t set, old;
	size_t i;

	if (ncleanups >= NCLEAN)
		sme_die(SME_EX_LOCAL, "too many signal clean-ups");
	sigemptyset(&set);
	for (i = 0; i < NSIGS; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	cleanups[ncleanups] = fn;
	ncleanups = ncleanups + 1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	install();
}

void
sme_sig_defer(int on)
{
	int sig;

	deferred = on;
	install();
	if (!on && (sig = caught) != 0)
		die(sig);
}

int
sme_sig_caught(void)
{
	return caught;
}

void
sme_sig_die(void)
{
	int sig = caught;

	if (sig)
		die(sig);
}
