/*
 * ok-cgi: the ceiling of the CGI benchmark, a CGI program that reads
 * the request body and answers 200 -- the least any webhook receiver
 * does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(void)
{
	const char *cl = getenv("CONTENT_LENGTH");
	long n = cl != NULL ? strtol(cl, NULL, 10) : 0;
	char buf[4096];
	ssize_t r;

	while (n > 0 && (r = read(0, buf, n < 4096 ? n : 4096)) > 0)
		n -= r;
	fputs("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok\n", stdout);
	return 0;
}
