/*
 * What kith prints cannot drive the terminal.  Names, notes and cities
 * are anyone's text (an import, a team member): a stored "\x1b]0;..."
 * would retitle the window, move the cursor or worse if printed as it is.
 * So stdout and stderr go through one filter, and every command's output
 * is covered without each printf having to remember: control characters
 * (C0 but tab and line feed, a CR not ending a line, DEL, C1) are written
 * as \uXXXX and bytes that are not UTF-8 as \xHH.  \uXXXX is also JSON's
 * own escape, so --json output read by a program means the same.
 *
 * The filter is a glibc cookie stream over the descriptor: stdio buffers
 * as before, and a UTF-8 character split between two buffers is held
 * back until the rest comes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

FILE *cli_raw_stderr;
static FILE *raw_stdout;

struct guard {
	int fd;
	unsigned char held[4];  /* the start of a character, or a CR */
	size_t nheld;
	char out[8192];
	size_t nout;
	int failed;
};

static int out_flush(struct guard *g)
{
	size_t off = 0;

	while (off < g->nout) {
		ssize_t w = write(g->fd, g->out + off, g->nout - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			g->failed = 1;
			g->nout = 0;
			return -1;
		}
		off += (size_t)w;
	}
	g->nout = 0;
	return 0;
}

static void out_put(struct guard *g, const void *p, size_t n)
{
	if (g->nout + n > sizeof(g->out))
		out_flush(g);
	memcpy(g->out + g->nout, p, n);
	g->nout += n;
}

static void out_escape(struct guard *g, unsigned c, int byte)
{
	char e[8];

	snprintf(e, sizeof(e), byte ? "\\x%02X" : "\\u%04X", c);
	out_put(g, e, strlen(e));
}

/* Length of the UTF-8 sequence lead byte c starts; 0 for no lead byte. */
static size_t seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
	       c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* Filters s[0..n); at_end: nothing follows, so nothing is held back.
 * Returns how many bytes were taken (the rest is to be held). */
static size_t filter(struct guard *g, const unsigned char *s, size_t n, int at_end)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len = seq_len(c);
		if (c == '\r' && i + 1 == n && !at_end)
			break;  /* a CR before a LF is a line end: wait and see */
		if (c == '\n' || c == '\t' || (c == '\r' && i + 1 < n && s[i + 1] == '\n')) {
			out_put(g, &c, 1);
		} else if (c < 0x20 || c == 0x7f) {
			out_escape(g, c, 0);
		} else if (len == 1) {
			out_put(g, &c, 1);
		} else if (len == 0) {
			out_escape(g, c, 1);
		} else if (i + len > n && !at_end) {
			break;  /* the rest of the character is in the next buffer */
		} else {
			/* The sequence's bytes must all be UTF-8 (libkith's check,
			 * not GLib's: printing does not load GLib); a C1 control
			 * is 0xC2 and 0x80-0x9F. */
			if (i + len > n || kith_utf8_prefix((const char *)s + i, len) < len) {
				out_escape(g, c, 1);
				len = 1;
			} else if (c == 0xc2 && s[i + 1] < 0xa0) {
				out_escape(g, 0x80u | (s[i + 1] & 0x3fu), 0);
			} else {
				out_put(g, s + i, len);
			}
			i += len;
			continue;
		}
		i++;
	}
	return i;
}

static ssize_t guard_write(void *cookie, const char *buf, size_t n)
{
	struct guard *g = cookie;
	size_t hold = g->nheld, took;
	unsigned char *all = NULL;
	const unsigned char *s = (const unsigned char *)buf;

	if (hold) {  /* rare: a character cut at a buffer's end */
		if (!(all = malloc(hold + n)))
			return -1;
		memcpy(all, g->held, hold);
		memcpy(all + hold, buf, n);
		s = all;
	}
	took = filter(g, s, hold + n, 0);
	g->nheld = hold + n - took;  /* at most 4: a lead byte's sequence */
	memcpy(g->held, s + took, g->nheld);
	free(all);
	if (out_flush(g) || g->failed)
		return -1;
	return (ssize_t)n;
}

static int guard_close(void *cookie)
{
	struct guard *g = cookie;
	int rc;

	filter(g, g->held, g->nheld, 1);
	rc = out_flush(g) || g->failed ? EOF : 0;
	free(g);
	return rc;
}

/* A filtered stream over fd, or NULL (then the caller keeps the plain
 * one: failing to print would be worse). */
static FILE *guard_open(int fd)
{
	cookie_io_functions_t io = {.write = guard_write, .close = guard_close};
	struct guard *g = calloc(1, sizeof(*g));
	FILE *f;

	if (!g)
		return NULL;
	g->fd = fd;
	if (!(f = fopencookie(g, "w", io)))
		free(g);
	return f;
}

void cli_term_guard(int guard_stdout)
{
	FILE *f;

	cli_raw_stderr = stderr;
	if (guard_stdout && (f = guard_open(STDOUT_FILENO)) != NULL) {
		setvbuf(f, NULL, _IOFBF, 1 << 16);
		raw_stdout = stdout;
		stdout = f;
	}
	if ((f = guard_open(STDERR_FILENO)) != NULL) {
		setvbuf(f, NULL, _IONBF, 0);
		stderr = f;
	}
}

int cli_term_end(void)
{
	int rc = fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;

	if (raw_stdout) {
		if (fclose(stdout) != 0)  /* writes what was held back */
			rc = -1;
		stdout = raw_stdout;
		raw_stdout = NULL;
	}
	if (cli_raw_stderr && stderr != cli_raw_stderr) {
		fclose(stderr);
		stderr = cli_raw_stderr;
	}
	return rc;
}
