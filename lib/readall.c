/* readall.c: reading a whole input; see readall.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "readall.h"
#include "xalloc.h"

int
readall(const char *path, char **bufp, size_t *lenp)
{
	int in = path == NULL || strcmp(path, "-") == 0;
	size_t len = 0, cap = 65536, n;
	FILE *fp = in ? stdin : fopen(path, "r");
	char *buf;

	if (fp == NULL) {
		log_error("%s", path);
		return READALL_NOFILE;
	}
	buf = xmalloc(cap);
	while ((n = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
		len += n;
		if (cap - len - 1 == 0)
			buf = xreallocarray(buf, 2, cap), cap *= 2;
	}
	if (ferror(fp)) {
		log_error("%s", in ? "stdin" : path);
		free(buf);
		if (!in)
			fclose(fp);
		return -1;
	}
	if (!in)
		fclose(fp);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}
