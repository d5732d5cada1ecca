#ifndef KITH_FUZZ_COMMON_H
#define KITH_FUZZ_COMMON_H

/* Shared by the libFuzzer harnesses: a sink that reads every field of
 * every record it is handed (so a dangling or unterminated string shows
 * up under ASan) and keeps nothing. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink_bytes;

static void fuzz_str(const char *s)
{
	if (s)
		fuzz_sink_bytes += strlen(s);
}

static int fuzz_contact(void *ctx, kith__contact *c, kith_error *err)
{
	(void)ctx;
	(void)err;
	fuzz_str(c->key);
	fuzz_str(c->display);
	fuzz_str(c->given);
	fuzz_str(c->family);
	fuzz_str(c->city);
	fuzz_str(c->country);
	fuzz_str(c->notes);
	fuzz_str(c->since);
	fuzz_str(c->digest);
	for (size_t i = 0; i < c->emails.n; i++)
		fuzz_str(c->emails.v[i]);
	for (size_t i = 0; i < c->phones.n; i++)
		fuzz_str(c->phones.v[i]);
	for (size_t i = 0; i < c->tags.n; i++) {
		char *t = kith__tagify(c->tags.v[i]);
		fuzz_str(t);
		free(t);
	}
	for (size_t i = 0; i < c->njobs; i++) {
		fuzz_str(c->jobs[i].org);
		fuzz_str(c->jobs[i].title);
		fuzz_str(c->jobs[i].from);
		fuzz_str(c->jobs[i].to);
	}
	return KITH_OK;
}

static int fuzz_event(void *ctx, kith__event *e, kith_error *err)
{
	(void)ctx;
	(void)err;
	fuzz_str(e->key);
	fuzz_str(e->notes);
	fuzz_str(e->kind);
	for (size_t i = 0; i < e->nparties; i++) {
		fuzz_str(e->parties[i].email);
		fuzz_str(e->parties[i].name);
		fuzz_sink_bytes += (size_t)kith__noreply(e->parties[i].email);
	}
	return KITH_OK;
}

static int fuzz_issue(void *ctx, int64_t line, int level, const char *why,
                      kith_error *err)
{
	(void)ctx;
	(void)line;
	(void)level;
	(void)err;
	fuzz_str(why);
	return KITH_OK;
}

static const kith__sink fuzz_sink = {
	.contact = fuzz_contact, .event = fuzz_event, .issue = fuzz_issue,
	.now = 1795435200 /* 2026-11-23 */};

#endif
