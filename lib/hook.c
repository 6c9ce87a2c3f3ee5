/* hook.c: running hooks; see hook.h. */
#include <sys/wait.h>

#include <poll.h>

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

/*
 * What a hook inherits of the environment: hb's own variables and the
 * locale's, never the rest, which under a web server holds the request's
 * headers, among them Telegram's webhook secret.
 */
static const char *const kept[] = { "PATH", "HOME", "USER", "LOGNAME",
    "SHELL", "TMPDIR", "TZ", "LANG", "HB_CONF", "HB_HOME", NULL };

static char **
hook_env(void)
{
	extern char **environ;
	char **env, **e;
	size_t i, n = 0, len;

	for (e = environ; *e != NULL; e++)
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (env == NULL)
		return NULL;
	for (n = 0, e = environ; *e != NULL; e++) {
		len = strcspn(*e, "=");
		if (strncmp(*e, "LC_", 3) == 0) {
			env[n++] = *e;
			continue;
		}
		for (i = 0; kept[i] != NULL; i++)
			if (strlen(kept[i]) == len &&
			    strncmp(*e, kept[i], len) == 0)
				env[n++] = *e;
	}
	return env;
}

/* Seconds on the monotonic clock. */
static double
elapsed(const struct timespec *start)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) /
	    1e9;
}

/*
 * Write the event to a hook's stdin by the deadline: a hook that does
 * not read must not hold hb once the event is larger than the pipe.
 * 0, or -1 when the time ran out or the hook closed its stdin.
 */
static int
feed(int fd, const char *line, size_t len, const struct timespec *start,
    long long timeout)
{
	struct pollfd pfd = { fd, POLLOUT, 0 };
	ssize_t n;

	while (len > 0) {
		if (elapsed(start) >= timeout ||
		    (poll(&pfd, 1, 10) == -1 && errno != EINTR))
			return -1;
		if ((n = write(fd, line, len)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -1;	/* EPIPE: it does not want it */
		}
		line += n;
		len -= n;
	}
	return 0;
}

/* Run one hook with line on its stdin; wait at most timeout seconds. */
static void
run_one(const char *path, const char *line, long long timeout)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 }, start;
	int p[2], status, devnull;
	char **env;
	pid_t pid;

	if ((env = hook_env()) == NULL || pipe2(p, O_CLOEXEC) == -1) {
		log_error("hook '%s': pipe", path);
		free(env);
		return;
	}
	if ((pid = fork()) == -1) {
		log_error("hook '%s': fork", path);
		close(p[0]);
		close(p[1]);
		free(env);
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
		execle(path, strrchr(path, '/') + 1, (char *)NULL, env);
		_exit(127);
	}
	close(p[0]);
	free(env);
	(void)clock_gettime(CLOCK_MONOTONIC, &start);
	(void)fcntl(p[1], F_SETFL, O_NONBLOCK);
	/* One line, as hb-reply follow prints it. */
	if (feed(p[1], line, strlen(line), &start, timeout) == 0)
		(void)feed(p[1], "\n", 1, &start, timeout);
	close(p[1]);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (elapsed(&start) >= timeout) {
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
