/*
 * cli.h: what every hb program does the same way.
 *
 * Common options mean the same everywhere (DESIGN §2): -f file, -d dir,
 * -j, -n, -q, -v, -h, -V.  Programs pass them to cli_option() from their
 * getopt loop and call cli_configure() once the options are read.
 */
#ifndef CLI_H
#define CLI_H

#include "conf.h"
#include "store.h"

/* The common options for a getopt string. */
#define CLI_OPTIONS	"d:f:hjnqvV"

struct cli {
	const char *conf_path;	/* -f, $HB_CONF, or the default */
	const char *home;	/* -d, $HB_HOME, or the configuration's */
	int	 json;		/* -j */
	int	 show_conf;	/* -n */
	int	 verbosity;	/* -q: -1, -v: +1 each */
	int	 sends;		/* the program sends: read the send tokens */
	struct conf conf;
	struct store_opts store;
};

/* Make fds 0-2 safe, ignore SIGPIPE, name the program in diagnostics. */
void	 cli_init(struct cli *, const char *argv0);
/*
 * Handle a common option: 1 if it was one, 0 if not.  -h calls usage
 * with 0 and -V prints the version; both exit.
 */
int	 cli_option(struct cli *, int ch, const char *arg,
	    void (*usage)(int));
/*
 * Load the configuration and settle the store directory.  Returns 0, or
 * EX_CONFIG after the message.  With -n, prints the effective
 * configuration and exits 0.
 */
int	 cli_configure(struct cli *);
/* The channel an option names; a usage error (64) if none. */
int	 cli_channel(const char *arg, void (*usage)(int));
/* The exit status for a store or library result (0, -1, STORE_*). */
int	 cli_status(int rc);
/* Flush stdout: 0, or EX_IOERR (quietly when the reader went away). */
int	 cli_flush(void);
/* A program's verbs: each gets the arguments after its name. */
struct cli_verb {
	const char *name;
	int	 (*run)(int argc, char **argv);
};

/*
 * Run the verb that argv[0] names, from a table that ends with a NULL
 * name; no verb, or an unknown one, is a usage error.
 */
int	 cli_run_verb(const struct cli_verb *, int argc, char **argv,
	    void (*usage)(int));
/*
 * Who runs this, for the records and the audit lines: the login name of
 * the person (SUDO_USER under sudo, else the real user's), never a
 * string they choose.
 */
const char *cli_operator(void);
/* Check -u, a display name beside the login; a usage error if bad. */
#define CLI_NAME_MAX	64
int	 cli_display_name(const char *name, void (*usage)(int));
/* "login", or "login (name)" in buf. */
#define CLI_WHO_SIZE	(64 + CLI_NAME_MAX + 4)
const char *cli_who(const char *login, const char *name, char *buf,
	    size_t size);
/*
 * A message text from path (or stdin for NULL or "-"), never from argv:
 * at most CLI_TEXT_MAX bytes of valid UTF-8, without the white space
 * at its end, and not blank unless blank_ok (a picture's text).  0, or
 * an exit status after a message naming it `what'.
 */
#define CLI_TEXT_MAX	65536
int	 cli_read_text(const char *path, const char *what, int blank_ok,
	    char **text);
/*
 * A TSV column on stdout, then a tab, or a newline if last: "-" for
 * NULL or empty; a tab, line break or backslash as \t, \n, \\; any other
 * control character (which a citizen may send to reach the operator's
 * terminal) as \xHH, or \u00HH for one of Unicode's C1 controls.
 */
void	 cli_print_field(const char *s, int last);
void	 cli_release(struct cli *);

#endif /* CLI_H */
