/* media.c: pictures and documents to send; see media.h. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "hb.h"
#include "jsonl.h"
#include "log.h"
#include "media.h"
#include "split.h"
#include "xalloc.h"

#define MB		1000000LL
#define STALE		3600	/* seconds before an unwanted copy goes */

/* platforms.md §8: the largest image and document each platform takes. */
static const struct {
	long long image, document;
} limits[CHAN_COUNT] = {
	[CHAN_TELEGRAM] = { 10 * MB, 50 * MB },
	[CHAN_WHATSAPP] = { 5 * MB, 100 * MB },
	[CHAN_MESSENGER] = { 25 * MB, 25 * MB },
	[CHAN_INSTAGRAM] = { 8 * MB, 25 * MB },
};

static const struct {
	const char *magic;
	size_t	 len;
	enum media_type type;
	const char *mime, *ext;
} kinds[] = {
	{ "\xff\xd8\xff", 3, MEDIA_IMAGE, "image/jpeg", ".jpg" },
	{ "\x89PNG\r\n\x1a\n", 8, MEDIA_IMAGE, "image/png", ".png" },
	{ "%PDF-", 5, MEDIA_DOCUMENT, "application/pdf", ".pdf" },
};

#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

enum media_type
media_sniff(const void *buf, size_t len, const char **mime)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (len >= kinds[i].len && memcmp(buf, kinds[i].magic,
		    kinds[i].len) == 0) {
			if (mime != NULL)
				*mime = kinds[i].mime;
			return kinds[i].type;
		}
	return MEDIA_NONE;
}

static const char *
ext_of(const char *mime)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].mime, mime) == 0)
			return kinds[i].ext;
	return "";
}

const char *
media_type_name(enum media_type t)
{
	return t == MEDIA_IMAGE ? "image" : t == MEDIA_DOCUMENT ? "document" :
	    "none";
}

int
media_fits(const struct conf *conf, enum chan c, enum media_type t,
    long long size, char *why, size_t whysz)
{
	long long max = t == MEDIA_IMAGE ? limits[c].image :
	    limits[c].document;

	if (c == CHAN_INSTAGRAM && (conf->chan[c].media_url == NULL ||
	    conf->chan[c].media_dir == NULL)) {
		(void)snprintf(why, whysz, "instagram takes pictures and "
		    "documents only by a public URL: set media_url and "
		    "media_dir in [instagram]");
		return -1;
	}
	if (size > max) {
		(void)snprintf(why, whysz, "%s takes %ss of up to %lld MB, "
		    "this one has %.1f MB", chan_name(c), media_type_name(t),
		    max / MB, (double)size / MB);
		return -1;
	}
	return 0;
}

int
media_caption_fits(enum chan c, const char *text)
{
	if (c != CHAN_TELEGRAM && c != CHAN_WHATSAPP)
		return 0;	/* Messenger and Instagram have no captions */
	return split_length(text, strlen(text), SPLIT_CHARS) <=
	    MEDIA_CAPTION_MAX;
}

static struct media *
media_new(const char *path, const char *mime, const char *name,
    long long size)
{
	struct media *m = xcalloc(1, sizeof(*m));

	m->refs = 1;
	(void)strlcpy(m->mime, mime, sizeof(m->mime));
	m->type = strcmp(mime, "application/pdf") == 0 ? MEDIA_DOCUMENT :
	    MEDIA_IMAGE;
	m->name = xstrdup(name);
	m->size = size;
	m->path = xstrdup(path);
	return m;
}

/*
 * Copy from fd to a new file in dir, named at last name (an existing one
 * of that name is replaced: copies are named by what they hold).  The
 * hex SHA-256 of what was copied goes to sha (if not NULL).  0 or -1.
 */
static int
copy_into(int fd, const char *dir, const char *name, mode_t mode,
    char sha[65])
{
	struct sha256_ctx ctx;
	unsigned char buf[65536], digest[SHA256_DIGEST_SIZE];
	char tmp[PATH_MAX], final[PATH_MAX];
	ssize_t n;
	size_t i;
	int out;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.new.%ld", dir,
	    (long)getpid()) >= sizeof(tmp))
		return log_errorx("%s: path too long", dir);
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode)) == -1)
		return log_error("%s", tmp);
	(void)fchmod(out, mode);	/* whatever the umask: see media_dir */
	sha256_init(&ctx);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(&ctx, (size_t)n, buf);
		if (write(out, buf, (size_t)n) != n)
			break;
	}
	if (n != 0 || fsync(out) == -1) {
		log_error("%s", tmp);
		(void)close(out);
		(void)unlink(tmp);
		return -1;
	}
	(void)close(out);
	sha256_digest(&ctx, sizeof(digest), digest);
	if (sha != NULL)
		for (i = 0; i < sizeof(digest); i++)
			(void)snprintf(sha + 2 * i, 3, "%02x", digest[i]);
	(void)snprintf(final, sizeof(final), "%s/%s", dir,
	    name != NULL ? name : sha);
	if (rename(tmp, final) == -1) {
		log_error("%s", final);
		(void)unlink(tmp);
		return -1;
	}
	return 0;
}

struct media *
media_open(const char *path, int *ex)
{
	unsigned char head[8];
	const char *mime, *base;
	struct stat st;
	ssize_t n = -1;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		*ex = EX_NOINPUT;
		log_error("%s", path);
		if (fd != -1)
			(void)close(fd);
		return NULL;
	}
	if (S_ISREG(st.st_mode))
		n = read(fd, head, sizeof(head));
	(void)close(fd);
	if (n < 0 || media_sniff(head, (size_t)n, &mime) == MEDIA_NONE) {
		*ex = EX_DATAERR;
		log_errorx("%s: not a JPEG or PNG image or a PDF", path);
		return NULL;
	}
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	return media_new(path, mime, base, (long long)st.st_size);
}

int
media_keep(struct media *m, const char *home)
{
	char dir[PATH_MAX];
	int fd, rc;

	(void)snprintf(dir, sizeof(dir), "%s/media", home);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return log_error("%s", dir);
	if ((fd = open(m->path, O_RDONLY | O_CLOEXEC)) == -1)
		return log_error("%s", m->path);
	rc = copy_into(fd, dir, NULL, 0600, m->sha);
	(void)close(fd);
	if (rc == 0) {
		free(m->path);
		xasprintf(&m->path, "%s/%s", dir, m->sha);
	}
	return rc;
}

json_t *
media_record(const struct media *m)
{
	json_t *refs = json_object();
	int c;

	for (c = 0; c < CHAN_COUNT; c++)
		if (m->ref[c] != NULL)
			json_object_set_new(refs, chan_name(c),
			    json_string(m->ref[c]));
	return json_pack("{s:s, s:s, s:s, s:I, s:o}", "sha256", m->sha,
	    "mime", m->mime, "name", m->name, "size", (json_int_t)m->size,
	    "refs", refs);
}

struct media *
media_from_record(const char *home, const json_t *rec)
{
	const json_t *o = json_object_get(rec, "media");
	const char *sha = jsonl_string(o, "sha256"), *mime, *name;
	struct media *m;
	char *path;
	int c;

	mime = jsonl_string(o, "mime");
	name = jsonl_string(o, "name");
	if (sha == NULL || mime == NULL || name == NULL)
		return NULL;
	xasprintf(&path, "%s/media/%s", home, sha);
	m = media_new(path, mime, name,
	    json_integer_value(json_object_get(o, "size")));
	free(path);
	(void)strlcpy(m->sha, sha, sizeof(m->sha));
	for (c = 0; c < CHAN_COUNT; c++) {
		const char *ref = jsonl_string(json_object_get(o, "refs"),
		    chan_name(c));

		if (ref != NULL)
			m->ref[c] = xstrdup(ref);
	}
	return m;
}

void
media_set_ref(struct media *m, enum chan c, const char *ref)
{
	free(m->ref[c]);
	m->ref[c] = ref != NULL ? xstrdup(ref) : NULL;
	if (ref != NULL)
		m->fresh |= 1u << c;
}

void
media_unref(struct media *m)
{
	int c;

	if (m == NULL || --m->refs > 0)
		return;
	for (c = 0; c < CHAN_COUNT; c++) {
		free(m->ref[c]);
		free(m->refused[c]);
	}
	free(m->path);
	free(m->name);
	free(m);
}

int
media_publish(const struct conf *conf, struct media *m, char *why,
    size_t whysz)
{
	const struct chan_conf *cc = &conf->chan[CHAN_INSTAGRAM];
	char name[96], *url;
	int fd, rc;

	if (cc->media_url == NULL || cc->media_dir == NULL) {
		(void)snprintf(why, whysz, "no media_url and media_dir");
		return -1;
	}
	(void)snprintf(name, sizeof(name), "%s%s", m->sha, ext_of(m->mime));
	if ((fd = open(m->path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(why, whysz, "the copy is gone: %s",
		    strerror(errno));
		return -1;
	}
	rc = copy_into(fd, cc->media_dir, name, 0644, NULL);
	(void)close(fd);
	if (rc == -1) {
		(void)snprintf(why, whysz, "media_dir: %s", strerror(errno));
		return -1;
	}
	xasprintf(&url, "%s%s%s", cc->media_url,
	    cc->media_url[strlen(cc->media_url) - 1] == '/' ? "" : "/", name);
	media_set_ref(m, CHAN_INSTAGRAM, url);
	free(url);
	return 0;
}

/* Remove the stale files of dir that keep() does not want. */
static size_t
sweep_dir(const char *dir, time_t now, int (*keep)(const char *, void *),
    void *arg)
{
	struct dirent *de;
	struct stat st;
	char path[PATH_MAX], sha[65];
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strspn(de->d_name, "0123456789abcdef") != 64)
			continue;
		memcpy(sha, de->d_name, 64);
		sha[64] = '\0';
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == -1 || now - st.st_mtime < STALE ||
		    keep(sha, arg))
			continue;
		if (unlink(path) == 0)
			n++;
		else
			log_error("%s", path);
	}
	(void)closedir(d);
	return n;
}

size_t
media_sweep(const struct conf *conf, int (*keep)(const char *, void *),
    void *arg)
{
	char dir[PATH_MAX];
	time_t now = time(NULL);
	size_t n;

	(void)snprintf(dir, sizeof(dir), "%s/media", conf->home);
	n = sweep_dir(dir, now, keep, arg);
	if (conf->chan[CHAN_INSTAGRAM].media_dir != NULL)
		n += sweep_dir(conf->chan[CHAN_INSTAGRAM].media_dir, now,
		    keep, arg);
	return n;
}
