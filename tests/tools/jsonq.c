/* jsonq: checks that stdin is JSON and prints the value at a path.
 *   jsonq              exit 0 when stdin is one valid JSON document
 *   jsonq a.0.b        print the value at that path (strings raw)
 *   jsonq -l a         print the length of the array or object at a
 * Used by the CLI tests so they need no JSON tool from outside. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

static json_t *walk(json_t *j, char *path)
{
	for (char *tok = strtok(path, "."); j && tok; tok = strtok(NULL, ".")) {
		char *end;
		long i = strtol(tok, &end, 10);
		j = (*end == '\0' && json_is_array(j)) ? json_array_get(j, (size_t)i)
		                                       : json_object_get(j, tok);
	}
	return j;
}

int main(int argc, char **argv)
{
	json_error_t e;
	json_t *root = json_loadf(stdin, 0, &e), *v;
	int len = argc > 1 && strcmp(argv[1], "-l") == 0;
	char *path = argc > 1 + len ? strdup(argv[1 + len]) : NULL;

	if (!root) {
		fprintf(stderr, "jsonq: invalid JSON: %s (line %d)\n", e.text, e.line);
		return 1;
	}
	v = path ? walk(root, path) : root;
	if (!v) {
		fprintf(stderr, "jsonq: no value at %s\n", argv[1 + len]);
		return 1;
	}
	if (len)
		printf("%zu\n", json_is_array(v) ? json_array_size(v) : json_object_size(v));
	else if (json_is_string(v))
		printf("%s\n", json_string_value(v));
	else if (path) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(12));
		printf("%s\n", s);
		free(s);
	}
	free(path);
	json_decref(root);
	return 0;
}
