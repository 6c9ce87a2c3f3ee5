/*
 * log.h: diagnostics on stderr, and to syslog where there is no
 * terminal to read them (CGI mode, cron).
 *
 * Messages follow git's rules: lower case, no full stop, the problem
 * first, the subject in quotes.  Message texts of citizens, secrets and
 * tokens never go into a diagnostic.
 *
 * log_error() and log_errorx() return -1, so that library code can say
 * "return log_errorx(...)" as git says "return error(...)".
 */
#ifndef LOG_H
#define LOG_H

enum log_level {
	LOG_LEVEL_QUIET = -1,	/* -q: errors only */
	LOG_LEVEL_NORMAL = 0,	/* errors and warnings */
	LOG_LEVEL_VERBOSE = 1,	/* -v: progress */
	LOG_LEVEL_DEBUG = 2	/* -vv */
};

void	log_init(const char *progname);
void	log_set_level(int);
void	log_use_syslog(int);
const char *log_progname(void);

int	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
int	log_errorx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Always to syslog (and with -v to stderr): who did what, for the record. */
void	log_audit(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif /* LOG_H */
