/* cli.c: what every program does the same way; see cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "calendar.h"
#include "cli.h"
#include "http.h"
#include "hb.h"
#include "ledger.h"
#include "log.h"
#include "readall.h"

void
cli_init(struct cli *cli, const char *argv0)
{
	int fd;

	/* A closed 0, 1 or 2 would make the store's files our stdout. */
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
	signal(SIGPIPE, SIG_IGN);
	log_init(argv0);
	memset(cli, 0, sizeof(*cli));
	conf_init(&cli->conf);
}

int
cli_option(struct cli *cli, int ch, const char *arg, void (*usage)(int))
{
	switch (ch) {
	case 'd':
		cli->home = arg;
		break;
	case 'f':
		cli->conf_path = arg;
		break;
	case 'h':
		usage(0);
		break;
	case 'j':
		cli->json = 1;
		break;
	case 'n':
		cli->show_conf = 1;
		break;
	case 'q':
		cli->verbosity = -1;
		break;
	case 'v':
		if (cli->verbosity >= 0)
			cli->verbosity++;
		break;
	case 'V':
		printf("%s %s\n", log_progname(), HB_VERSION);
		exit(0);
	default:
		return 0;
	}
	return 1;
}

int
cli_configure(struct cli *cli)
{
	const char *env;

	log_set_level(cli->verbosity);
	if (cli->conf_path == NULL)
		cli->conf_path = (env = getenv("HB_CONF")) != NULL &&
		    *env != '\0' ? env : HB_CONF_DEFAULT;
	if (conf_load(&cli->conf, cli->conf_path,
	    cli->sends ? CONF_TOKENS : 0) == -1)
		return EX_CONFIG;
	if (cli->home == NULL)
		cli->home = (env = getenv("HB_HOME")) != NULL &&
		    *env != '\0' ? env : cli->conf.home;
	if (cli->show_conf) {
		conf_print(&cli->conf, stdout);
		if (fflush(stdout) == EOF)
			exit(EX_IOERR);
		exit(0);
	}
	http_trust(cli->conf.ca_file);
	calendar_init(&cli->conf);	/* times in the configured zone */
	cli->store.home = cli->home;
	cli->store.has_group = cli->conf.has_group;
	cli->store.gid = cli->conf.gid;
	cli->store.lock_wait = cli->conf.lock_wait;
	cli->store.watchdog = cli->conf.watchdog;
	return 0;
}

int
cli_channel(const char *arg, void (*usage)(int))
{
	int c;

	if ((c = chan_lookup(arg, strlen(arg))) < 0) {
		log_errorx("unknown channel '%s'", arg);
		usage(EX_USAGE);
	}
	return c;
}

int
cli_status(int rc)
{
	switch (rc) {
	case 0:
		return 0;
	case STORE_BUSY:
		return EX_TEMPFAIL;
	case STORE_NOTFOUND:
	case STORE_EXISTS:
		return EX_DATAERR;
	case LEDGER_NOKEY:
		return EX_CONFIG;
	default:
		return EX_IOERR;
	}
}

int
cli_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		/* A reader that went away (| head) is no news. */
		if (errno != EPIPE)
			log_error("stdout");
		return EX_IOERR;
	}
	return 0;
}

int
cli_run_verb(const struct cli_verb *verbs, int argc, char **argv,
    void (*usage)(int))
{
	if (argc == 0)
		usage(EX_USAGE);
	for (; verbs->name != NULL; verbs++)
		if (strcmp(verbs->name, argv[0]) == 0)
			return verbs->run(argc - 1, argv + 1);
	log_errorx("unknown verb '%s'", argv[0]);
	usage(EX_USAGE);
	return EX_USAGE;
}

const char *
cli_operator(void)
{
	static char name[64];
	const char *user = getenv("SUDO_USER"), *uid = getenv("SUDO_UID");
	struct passwd *pw;

	/*
	 * sudo sets both; they count when they name the user who ran sudo
	 * to become another.  Setting them by hand gains nothing: only the
	 * store's owner can run the programs at all.
	 */
	if (user != NULL && uid != NULL && (pw = getpwnam(user)) != NULL &&
	    pw->pw_uid != getuid() &&
	    strtoul(uid, NULL, 10) == (unsigned long)pw->pw_uid)
		(void)strlcpy(name, pw->pw_name, sizeof(name));
	else if ((pw = getpwuid(getuid())) != NULL)
		(void)strlcpy(name, pw->pw_name, sizeof(name));
	else
		(void)snprintf(name, sizeof(name), "uid %lu",
		    (unsigned long)getuid());
	return name;
}

int
cli_display_name(const char *name, void (*usage)(int))
{
	const unsigned char *u = (const unsigned char *)name;

	for (; *u != '\0'; u++)
		if (*u < 0x20 || *u == 0x7f)
			break;
	if (*u != '\0' || strlen(name) > CLI_NAME_MAX || *name == '\0') {
		log_errorx("-u: a name of 1 to %d characters, without "
		    "control characters", CLI_NAME_MAX);
		usage(EX_USAGE);
	}
	return 0;
}

const char *
cli_who(const char *login, const char *name, char *buf, size_t size)
{
	if (name == NULL)
		return login;
	(void)snprintf(buf, size, "%s (%s)", login, name);
	return buf;
}

void
cli_print_field(const char *s, int last)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u == NULL || *u == '\0')
		putchar('-');
	for (; u != NULL && *u != '\0'; u++)
		if (*u == '\t')
			fputs("\\t", stdout);
		else if (*u == '\n')
			fputs("\\n", stdout);
		else if (*u == '\\')
			fputs("\\\\", stdout);
		else if (*u < 0x20 || *u == 0x7f)
			printf("\\x%02x", *u);
		else if (*u == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
			printf("\\u%04x", *++u);	/* C1: U+0080 to U+009F */
		else
			putchar(*u);
	putchar(last ? '\n' : '\t');
}

int
cli_read_text(const char *path, const char *what, int blank_ok, char **text)
{
	size_t len, i;
	json_t *probe;
	char *s;
	int rc;

	if ((rc = readall(path, &s, &len)) != 0)
		return rc == READALL_NOFILE ? EX_NOINPUT : EX_IOERR;
	if (len > CLI_TEXT_MAX || strlen(s) != len) {
		log_errorx("the %s is %s", what, len > CLI_TEXT_MAX ?
		    "longer than 65536 bytes" : "binary (it holds a NUL byte)");
		free(s);
		return EX_DATAERR;
	}
	for (i = 0; s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'; i++)
		;
	if (s[i] == '\0' && !blank_ok) {
		log_errorx("the %s is empty", what);
		free(s);
		return EX_DATAERR;
	}
	/* The newline that ends a file is no part of the message. */
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	/* Jansson takes valid UTF-8 only; so do the platforms. */
	if ((probe = json_stringn(s, len)) == NULL) {
		log_errorx("the %s is not valid UTF-8", what);
		free(s);
		return EX_DATAERR;
	}
	json_decref(probe);
	*text = s;
	return 0;
}

void
cli_release(struct cli *cli)
{
	conf_release(&cli->conf);
}
