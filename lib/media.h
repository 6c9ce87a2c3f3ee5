/*
 * media.h: the picture or document that goes with an announcement or
 * an answer.
 *
 * hb sends one JPEG or PNG image or one PDF, its type read from its
 * first bytes, never from its name.  send -m checks it against each
 * platform's limits and keeps a copy in the store directory
 * (HOME/media/SHA-256), which the broadcast names in its record; the
 * copy stays until no unfinished broadcast names it (hb-purge scrub
 * removes it then).  A run uploads it once per platform, at the first
 * delivery (sender.c), and the platform's reference (Telegram's
 * file_id, WhatsApp's media id, Messenger's attachment_id, Instagram's
 * public URL) is kept in the broadcast record, so that a resumed run
 * never uploads again.
 *
 * Instagram (with Instagram Login) takes a picture or document only by
 * a public URL: its "upload" is a copy into media_dir, which the web
 * server serves under media_url.
 */
#ifndef MEDIA_H
#define MEDIA_H

#include <stddef.h>

#include <jansson.h>

#include "chan.h"
#include "conf.h"

enum media_type {
	MEDIA_NONE,
	MEDIA_IMAGE,		/* JPEG or PNG */
	MEDIA_DOCUMENT		/* PDF */
};

#define MEDIA_CAPTION_MAX	1024	/* Telegram's and WhatsApp's, chars */

struct media {
	int	 refs;
	enum media_type type;
	char	 mime[16];
	char	 sha[65];	/* hex SHA-256: the copy's name */
	char	*path;		/* the copy */
	char	*name;		/* the file's name, for documents */
	long long size;
	char	*ref[CHAN_COUNT];	/* the platform's, once uploaded */
	unsigned uploading;	/* channels uploading now, a bit each */
	unsigned fresh;		/* refs not kept in the store yet */
	char	*refused[CHAN_COUNT];	/* why a platform refused it */
};

/* What the len bytes a file begins with are: MEDIA_NONE if not sendable. */
enum media_type media_sniff(const void *buf, size_t len, const char **mime);
const char *media_type_name(enum media_type);
/*
 * Whether channel c takes a file of that type and size: 0, or -1 with
 * the platform and its limit in why.
 */
int	 media_fits(const struct conf *, enum chan c, enum media_type,
	    long long size, char *why, size_t whysz);
/* Whether channel c sends text as the file's caption. */
int	 media_caption_fits(enum chan c, const char *text);

/*
 * The file at path, its type told by its first bytes.  NULL after a
 * message, with *ex the exit status (EX_NOINPUT, or EX_DATAERR: not a
 * JPEG, PNG or PDF).
 */
struct media *media_open(const char *path, int *ex);
/* Copy m into HOME/media, which m names from then on.  0, or -1. */
int	 media_keep(struct media *m, const char *home);
/* The broadcast record's "media", and back (NULL if rec has none). */
json_t	*media_record(const struct media *);
struct media *media_from_record(const char *home, const json_t *rec);
/* Note ref as channel c's (fresh, to be kept in the store). */
void	 media_set_ref(struct media *, enum chan c, const char *ref);
void	 media_unref(struct media *);

/*
 * Instagram's upload: copy the file into media_dir; its URL under
 * media_url becomes the reference.  0, or -1 with why.
 */
int	 media_publish(const struct conf *, struct media *, char *why,
	    size_t whysz);
/*
 * Remove the copies in HOME/media and Instagram's media_dir older than
 * an hour that keep() does not want (keep gets the SHA-256).  How many.
 */
size_t	 media_sweep(const struct conf *, int (*keep)(const char *sha,
	    void *), void *arg);

#endif /* MEDIA_H */
