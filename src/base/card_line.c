/*
 * The bottom of src/card/: the line grammar of a vCard as kith reads it,
 * a property's name and value, and a card's text indexed by line.  Every
 * other card file uses it; it uses none of them.
 */
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "internal.h"
#include "base/vcard_text.h"

void kith_card_prop_name(const char *line, size_t len, char *out, size_t outsz)
{
	size_t i = 0, start = 0, o = 0;

	for (; i < len && line[i] != ';' && line[i] != ':'; i++)
		if (line[i] == '.')
			start = i + 1;  /* "item1.EMAIL": the group goes */
	for (size_t k = start; k < i && o + 1 < outsz; k++)
		out[o++] = (char)g_ascii_toupper(line[k]);
	out[o] = '\0';
}

const char *kith_card_value(const char *line, size_t len)
{
	int quoted = 0;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == ':' && !quoted)
			return line + i + 1;
	}
	return line + len;
}

void kith__lines_free(kith__lines *l)
{
	free(l->text);
	free(l->line);
	free(l->len);
	free(l->name);
	memset(l, 0, sizeof(*l));
}

int kith__lines_index(char *text, kith__lines *out)
{
	size_t cap = 1;

	memset(out, 0, sizeof(*out));
	out->text = text;
	for (const char *p = text; *p; p++)
		cap += *p == '\n';
	out->line = calloc(cap, sizeof(*out->line));
	out->len = calloc(cap, sizeof(*out->len));
	out->name = calloc(cap, sizeof(*out->name));
	if (!out->line || !out->len || !out->name) {
		kith__lines_free(out);
		return KITH_ENOMEM;
	}
	for (char *p = text; *p;) {
		char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n) {
			out->line[out->n] = p;
			out->len[out->n] = n;
			kith_card_prop_name(p, n, out->name[out->n], sizeof(out->name[0]));
			out->n++;
		}
		p += n + (e != NULL);
	}
	return KITH_OK;
}
