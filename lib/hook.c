/* hook.c: running hooks; see hook.h. */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hook.h"
#include "jsonl.h"
#include "log.h"

/* Run one hook with line on its stdin; wait at most timeout seconds. */
static void
run_one(const char *path, const char *line, long long timeout)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	long long waited;
	int p[2], status, devnull;
	pid_t pid;

	if (pipe(p) == -1) {
		log_error("hook '%s': pipe", path);
		return;
	}
	if ((pid = fork()) == -1) {
		log_error("hook '%s': fork", path);
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		/* Its own process group, so a timeout kills its children. */
		(void)setpgid(0, 0);
		devnull = open("/dev/null", O_RDWR);
		if (dup2(p[0], 0) == -1 || dup2(devnull, 1) == -1 ||
		    dup2(devnull, 2) == -1)
			_exit(127);
		closefrom(3);
		signal(SIGPIPE, SIG_DFL);
		execl(path, strrchr(path, '/') + 1, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	/* One line, as hb-reply follow prints it; EPIPE if unread. */
	(void)!write(p[1], line, strlen(line));
	(void)!write(p[1], "\n", 1);
	close(p[1]);
	for (waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited++) {
		if (waited >= timeout * 100) {
			log_warnx("hook '%s' ran longer than %lld s, killed",
			    path, timeout);
			(void)kill(-pid, SIGKILL);
			(void)kill(pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			return;
		}
		nanosleep(&tick, NULL);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		log_warnx("hook '%s' failed (status %d)", path,
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
		    WTERMSIG(status));
}

/* The hook for an event into path: 0, or -1 if there is none. */
static int
hook_path(const struct conf *conf, const json_t *ev, char *path, size_t sz)
{
	const char *name = jsonl_string(ev, "event");

	if (name == NULL || strchr(name, '/') != NULL ||
	    (size_t)snprintf(path, sz, "%s/on-%s", conf->hooks, name) >= sz)
		return -1;
	return access(path, X_OK);
}

static void
run_all(const struct conf *conf, const json_t *events)
{
	char path[PATH_MAX], *line;
	const json_t *ev;
	size_t i;

	json_array_foreach(events, i, ev) {
		if (hook_path(conf, ev, path, sizeof(path)) == -1)
			continue;
		if ((line = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS)) ==
		    NULL)
			continue;
		run_one(path, line, conf->hook_timeout);
		free(line);
	}
}

int
hook_run(const struct conf *conf, const json_t *events, int how)
{
	sigset_t stop;
	pid_t pid;
	int status, fd;

	char path[PATH_MAX];
	const json_t *ev;
	size_t i;
	int any = 0;

	/* Most installations have few hooks: fork only for one that exists. */
	json_array_foreach(events, i, ev)
		if (hook_path(conf, ev, path, sizeof(path)) == 0)
			any = 1;
	if (!any)
		return 0;
	if (how == HOOK_WAIT) {
		run_all(conf, events);
		return 0;
	}
	/*
	 * Detach: a child starts a runner and ends, so the runner belongs
	 * to init and the caller (a CGI program) can answer and exit.
	 */
	fflush(NULL);
	if ((pid = fork()) == -1)
		return log_error("hooks: fork");
	if (pid == 0) {
		if (fork() != 0)
			_exit(0);
		(void)setsid();
		/* A caller may block these while it hands over (hb-ingest). */
		sigemptyset(&stop);
		sigaddset(&stop, SIGTERM);
		sigaddset(&stop, SIGHUP);
		sigaddset(&stop, SIGINT);
		(void)sigprocmask(SIG_UNBLOCK, &stop, NULL);
		/* Let go of the web server's pipes. */
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			(void)dup2(fd, 0);
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
		log_use_syslog(1);
		run_all(conf, events);
		_exit(0);
	}
	(void)waitpid(pid, &status, 0);
	return 0;
}
