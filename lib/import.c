/* import.c: reading subscriber exports for import; see import.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "import.h"
#include "jsonl.h"
#include "log.h"
#include "xalloc.h"

static const char *const default_columns[] = { "id", "state", "name",
    "since", "last_inbound" };
#define NDEFAULT	(sizeof(default_columns) / sizeof(default_columns[0]))
#define MAXCOLUMNS	32

/* What a header may name: what hb-subscribe list -j prints. */
static const char *const known_columns[] = { "id", "channel", "state",
    "name", "phone", "alias", "lang", "since", "changed", "last_inbound",
    "unanswered", "source", NULL };

struct csv_state {
	const char *name;
	import_fn fn;
	void	*arg;
	char	*columns[MAXCOLUMNS];
	size_t	 ncolumns;
	json_t	*row;		/* the fields of the row being read */
	size_t	 field;		/* index of the next field in the row */
	size_t	 rowno;
	size_t	 bad;
	int	 header;	/* the first row named the columns */
	char	 why[128];	/* what is wrong with the row, or "" */
};

static int
known(const char *s, size_t len)
{
	size_t i;

	for (i = 0; known_columns[i] != NULL; i++)
		if (strlen(known_columns[i]) == len &&
		    memcmp(known_columns[i], s, len) == 0)
			return 1;
	return 0;
}

static void
csv_field(void *s, size_t len, void *arg)
{
	struct csv_state *cs = arg;
	const char *col;
	json_t *v;

	if (cs->field == 0 && cs->rowno == 0 && len == 2 &&
	    memcmp(s, "id", 2) == 0)
		cs->header = 1;
	if (cs->rowno == 0 && cs->header) {
		/* A misspelt column would lose its data: refuse it. */
		if (!known(s, len) && cs->why[0] == '\0')
			(void)snprintf(cs->why, sizeof(cs->why), "unknown "
			    "column '%.*s'", (int)(len > 40 ? 40 : len),
			    (const char *)s);
		if (cs->ncolumns < MAXCOLUMNS)
			cs->columns[cs->ncolumns++] = xstrndup(s, len);
		cs->field++;
		return;
	}
	col = cs->header ? (cs->field < cs->ncolumns ?
	    cs->columns[cs->field] : NULL) : (cs->field < NDEFAULT ?
	    default_columns[cs->field] : NULL);
	cs->field++;
	if (col == NULL) {
		json_object_set_new(cs->row, "\x01too many", json_true());
		return;
	}
	if (len == 0)
		return;
	/* What JSON Lines refuses, CSV refuses: nothing is cut or lost. */
	if (memchr(s, '\0', len) != NULL)
		(void)snprintf(cs->why, sizeof(cs->why), "\"%s\" holds a NUL "
		    "byte", col);
	else if ((v = json_stringn(s, len)) == NULL)
		(void)snprintf(cs->why, sizeof(cs->why), "\"%s\" is not valid "
		    "UTF-8", col);
	else
		json_object_set_new(cs->row, col, v);
}

static void
csv_row(int c, void *arg)
{
	struct csv_state *cs = arg;

	(void)c;
	cs->rowno++;
	if (cs->why[0] != '\0') {
		log_errorx("%s:%zu: %s", cs->name, cs->rowno, cs->why);
		cs->bad++;
		cs->why[0] = '\0';
		goto next;
	}
	if (cs->header && cs->rowno == 1)
		goto next;
	if (json_object_get(cs->row, "\x01too many") != NULL) {
		log_errorx("%s:%zu: more fields than columns", cs->name,
		    cs->rowno);
		cs->bad++;
	} else if (json_object_size(cs->row) == 0) {
		/* An empty row is no record: skip it quietly. */
	} else if (cs->fn(cs->row, cs->name, cs->rowno, cs->arg) == -1)
		cs->bad++;
next:
	json_object_clear(cs->row);
	cs->field = 0;
}

static size_t
parse_csv(const char *name, const char *buf, size_t len, import_fn fn,
    void *arg)
{
	struct csv_state cs;
	struct csv_parser p;
	size_t i;

	memset(&cs, 0, sizeof(cs));
	cs.name = name;
	cs.fn = fn;
	cs.arg = arg;
	cs.row = json_object();
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
		xalloc_die();
	if (csv_parse(&p, buf, len, csv_field, csv_row, &cs) != len ||
	    csv_fini(&p, csv_field, csv_row, &cs) != 0) {
		log_errorx("%s:%zu: %s", name, cs.rowno + 1,
		    csv_strerror(csv_error(&p)));
		cs.bad++;
	}
	csv_free(&p);
	for (i = 0; i < cs.ncolumns; i++)
		free(cs.columns[i]);
	json_decref(cs.row);
	return cs.bad;
}

static size_t
parse_jsonl(const char *name, const char *buf, size_t len, import_fn fn,
    void *arg)
{
	const char *line = buf, *end = buf + len, *nl;
	char err[256];
	size_t lineno = 0, bad = 0, n;
	json_t *o;

	for (; line < end; line = nl + 1) {
		lineno++;
		if ((nl = memchr(line, '\n', end - line)) == NULL)
			nl = end;
		n = nl - line;
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			n--;
		if (n == 0)
			continue;
		if ((o = jsonl_parse_object(line, n, err, sizeof(err))) == NULL) {
			log_errorx("%s:%zu: %s", name, lineno, err);
			bad++;
			continue;
		}
		if (fn(o, name, lineno, arg) == -1)
			bad++;
		json_decref(o);
	}
	return bad;
}

size_t
import_parse(const char *name, const char *buf, size_t len, import_fn fn,
    void *arg)
{
	size_t i;

	/* A byte-order mark, as spreadsheets write it, is no data. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	for (i = 0; i < len && isspace((unsigned char)buf[i]); i++)
		;
	if (i == len)
		return 0;
	if (buf[i] == '{')
		return parse_jsonl(name, buf, len, fn, arg);
	return parse_csv(name, buf, len, fn, arg);
}
