/* Replies, request input, and the checks every handler shares. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "api.h"

/* Deeper JSON than this is refused before parsing: no request needs it,
 * and a parser's recursion is the thing a hostile body aims at. */
#define JSON_MAX_DEPTH 16

int reply_raw(struct req *r, unsigned status, const char *type, char *data, size_t len)
{
	if (r->resp)  /* first answer wins */
		return free(data), 0;
	r->resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!r->resp) {
		free(data);
		return 0;
	}
	r->status = status;
	r->bytes = len;
	MHD_add_response_header(r->resp, "Content-Type", type);
	MHD_add_response_header(r->resp, "Cache-Control", "no-store");
	MHD_add_response_header(r->resp, "X-Content-Type-Options", "nosniff");
	return 0;
}

int reply_json(struct req *r, unsigned status, json_t *json)
{
	char *s;

	if (!json)
		return reply_error(r, 500, "internal", "out of memory");
	s = json_dumps(json, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(json);
	if (!s)
		return reply_error(r, 500, "internal", "out of memory");
	return reply_raw(r, status, "application/json", s, strlen(s));
}

int reply_error(struct req *r, unsigned status, const char *code, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	char *s;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *j = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
	s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(j);
	if (!s) {  /* a static answer when even that failed */
		static char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
		if (r->resp)
			return 0;
		r->resp = MHD_create_response_from_buffer(sizeof(oom) - 1, oom,
		                                          MHD_RESPMEM_PERSISTENT);
		r->status = 500;
		r->bytes = sizeof(oom) - 1;
		return 0;
	}
	return reply_raw(r, status, "application/json", s, strlen(s));
}

int reply_kith(struct req *r, const kith_error *err)
{
	static const struct { int code; unsigned status; const char *name; } map[] = {
		{KITH_EINVAL, 400, "invalid"},      {KITH_ENOTFOUND, 404, "not_found"},
		{KITH_EAMBIGUOUS, 409, "ambiguous"}, {KITH_EEXISTS, 409, "exists"},
		{KITH_EBUSY, 503, "busy"},          {KITH_ENOMEM, 503, "no_memory"},
		{KITH_EIO, 507, "storage"},         {KITH_ECORRUPT, 500, "corrupt"},
		{KITH_ESCHEMA, 500, "schema"},      {KITH_EPERM, 403, "forbidden"},
		{KITH_ECONFLICT, 409, "conflict"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].code == err->code)
			return reply_error(r, map[i].status, map[i].name, "%s", err->msg);
	return reply_error(r, 500, "internal", "%s", err->msg);
}

const char *q_arg(struct req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	return v && *v ? v : NULL;
}

int q_int(struct req *r, const char *name, long lo, long hi, long def, long *out)
{
	const char *v = q_arg(r, name);
	char *end;
	long n;

	*out = def;
	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi) {
		reply_error(r, 400, "invalid", "'%s' must be a whole number from %ld to %ld",
		            name, lo, hi);
		return -1;
	}
	*out = n;
	return 0;
}

kith_id p_id(struct req *r, int i)
{
	kith_id id = r->params[i] ? kith_parse_id(r->params[i]) : 0;

	if (id <= 0)
		reply_error(r, 404, "not_found", "no such record: %s", r->params[i] ? r->params[i] : "");
	return id;
}

/* Nesting depth of a JSON text, counting brackets outside strings. */
static int json_depth(const char *s, size_t n)
{
	int d = 0, max = 0, in_str = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++d > max)
				max = d;
		} else if (c == '}' || c == ']') {
			d--;
		}
	}
	return max;
}

json_t *body_object(struct req *r, const char *const *allowed)
{
	json_error_t je;
	const char *k;
	json_t *o, *v;

	if (!r->body || !r->len)
		return reply_error(r, 400, "invalid", "a JSON object is expected in the body"), NULL;
	if (json_depth(r->body, r->len) > JSON_MAX_DEPTH)
		return reply_error(r, 400, "invalid", "JSON nested deeper than %d levels",
		                   JSON_MAX_DEPTH), NULL;
	o = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return reply_error(r, 400, "bad_json", "bad JSON at line %d, column %d: %s",
		                   je.line, je.column, je.text), NULL;
	if (!json_is_object(o)) {
		json_decref(o);
		return reply_error(r, 400, "invalid", "a JSON object is expected"), NULL;
	}
	json_object_foreach(o, k, v) {
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], k) != 0)
			i++;
		if (!allowed[i]) {
			reply_error(r, 400, "unknown_field", "unknown field '%.100s'", k);
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static int wrong(struct req *r, const char *name, const char *type)
{
	reply_error(r, 400, "wrong_type", "field '%s' must be %s", name, type);
	return -1;
}

int f_str(struct req *r, json_t *o, const char *name, const char **out)
{
	json_t *v = json_object_get(o, name);

	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = NULL;
		return 1;
	}
	if (!json_is_string(v))
		return wrong(r, name, "a string");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return wrong(r, name, "a string without NUL characters");
	*out = json_string_value(v);
	return 1;
}

int f_num(struct req *r, json_t *o, const char *name, double *out)
{
	json_t *v = json_object_get(o, name);

	if (!v)
		return 0;
	if (!json_is_number(v))
		return wrong(r, name, "a number");
	*out = json_number_value(v);
	return 1;
}

int f_bool(struct req *r, json_t *o, const char *name, int *out)
{
	json_t *v = json_object_get(o, name);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return wrong(r, name, "true or false");
	*out = json_is_true(v);
	return 1;
}

int f_strv(struct req *r, json_t *o, const char *name, kith_strv *out)
{
	json_t *v = json_object_get(o, name), *e;
	size_t i;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return wrong(r, name, "an array of strings");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e))
			return wrong(r, name, "an array of strings");
		if (kith_strv_push(out, json_string_value(e))) {
			reply_error(r, 503, "no_memory", "out of memory");
			return -1;
		}
	}
	return 1;
}

kith_id ref_person(struct req *r, const char *ref, const char *what)
{
	kith_error err;
	kith_id id = 0;
	kith_idv cand = {0};
	int rc;

	if (!ref) {
		reply_error(r, 400, "invalid", "'%s' is required: a person's id, email or name", what);
		return 0;
	}
	rc = kith_person_resolve(r->view->db, ref, &id, &cand, &err);
	kith_idv_clear(&cand);
	if (rc) {
		reply_kith(r, &err);
		return 0;
	}
	return id;
}

int req_author(struct req *r, int priv)
{
	kith_error err;

	if (kith_db_set_author(r->w->db, r->member, priv, &err))
		return reply_kith(r, &err), -1;
	return 0;
}

int may_touch(struct req *r, const char *table, kith_id id)
{
	kith_id owner;
	int priv;
	kith_error err;

	if (kith_record_visibility(r->view->db, table, id, &owner, &priv, &err)) {
		reply_kith(r, &err);
		return 0;
	}
	return 1;
}

void hide_unseen_person(struct req *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	kith_id owner = 0;
	int priv = 0;

	if (json_is_integer(v) &&
	    kith_record_visibility(r->view->db, "person", (kith_id)json_integer_value(v), &owner,
	                           &priv, NULL) != KITH_OK)
		json_object_set_new(o, key, json_null());
}

json_t *with_visibility(struct req *r, const char *table, kith_id id, json_t *o)
{
	kith_id owner = 0;
	int priv = 0;

	if (!o)
		return NULL;
	if (strcmp(table, "link") == 0)
		hide_unseen_person(r, o, "asserted_by");
	kith_record_visibility(r->view->db, table, id, &owner, &priv, NULL);
	json_object_set_new(o, "owner", owner ? json_integer(owner) : json_null());
	json_object_set_new(o, "private", json_boolean(priv));
	return o;
}

json_t *person_json(struct req *r, kith_id id)
{
	kith_person *p;

	if (kith_person_get(r->view->db, id, &p, NULL))
		return NULL;
	json_t *o = kith_person_json(p);
	kith_person_free(p);
	return with_visibility(r, "person", id, o);
}

const char *person_name(struct req *r, kith_id id)
{
	static _Thread_local char buf[200];
	kith_person *p;

	if (kith_person_get_brief(r->view->db, id, &p, NULL)) {
		snprintf(buf, sizeof(buf), "#%lld", (long long)id);
		return buf;
	}
	snprintf(buf, sizeof(buf), "%s", p->display_name);
	kith_person_free(p);
	/* A name of up to 500 bytes is cut here: never inside a character,
	 * which would make the JSON around it fail. */
	const gchar *end;
	if (!g_utf8_validate(buf, -1, &end))
		*(char *)end = '\0';
	return buf;
}
