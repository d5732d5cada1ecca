/*
 * libFuzzer harness: what the server reads from a request before any
 * database work.  The input is "METHOD URL\n" then the body: the URL goes
 * through route matching and id parsing, the body through the JSON checks
 * (depth, duplicate keys, unknown fields) and every typed field reader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const any_field[] = {
	"display_name", "given_name", "family_name", "city", "country", "notes", "emails",
	"phones", "tags", "private", "name", "domain", "a", "b", "kind", "since", "trust",
	"at", "people", "initiator", "giver", "value", "body", NULL};

static void read_fields(struct req *r, json_t *o)
{
	const char *s;
	double d;
	int b;

	for (size_t i = 0; any_field[i]; i++) {
		kith_strv v = {0};
		f_str(r, o, any_field[i], &s);
		f_num(r, o, any_field[i], &d);
		f_bool(r, o, any_field[i], &b);
		f_strv(r, o, any_field[i], &v);
		kith_strv_clear(&v);
		if (r->resp) {  /* a 400 was answered: start afresh, as a new request */
			MHD_destroy_response(r->resp);
			r->resp = NULL;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - data) : size;
	char *line = malloc(head + 1), *sp;
	struct req r = {0};
	int path_ok;

	if (!line)
		return 0;
	memcpy(line, data, head);
	line[head] = '\0';
	sp = strchr(line, ' ');
	r.method = line;
	r.url = sp ? (*sp = '\0', sp + 1) : "/";
	if (api_match(api_routes, api_nroutes, &r, &path_ok))
		for (int i = 0; i < API_MAX_PARAMS && r.params[i]; i++)
			(void)p_id(&r, i);
	if (nl) {
		r.len = size - head - 1;
		if ((r.body = malloc(r.len + 1))) {
			memcpy(r.body, nl + 1, r.len);
			r.body[r.len] = '\0';
		}
	}
	if (r.resp) {
		MHD_destroy_response(r.resp);
		r.resp = NULL;
	}
	json_t *o = body_object(&r, any_field);
	if (o) {
		read_fields(&r, o);
		json_decref(o);
	}
	if (r.resp)
		MHD_destroy_response(r.resp);
	free(r.body);
	free(r.segs);
	free(line);
	return 0;
}
