/*
 * json — a recursive-descent JSON reader; see json.h.
 *
 * Data model: every value is a struct json; arrays and objects own an
 * array of child values (an object's children carry their key). Nesting
 * is capped so hostile input cannot exhaust the stack.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "tui/json.h"

enum { MAX_DEPTH = 64 };

struct reader {
	const char *s, *start;
};

static void release(struct json *j)
{
	for (size_t i = 0; i < j->nkids; i++)
		release(&j->kids[i]);
	free(j->kids);
	free(j->key);
	free(j->str);
}

void json_free(struct json *j)
{
	if (!j)
		return;
	release(j);
	free(j);
}

static void skip_ws(struct reader *r)
{
	while (*r->s == ' ' || *r->s == '\t' || *r->s == '\n' || *r->s == '\r')
		r->s++;
}

static int fail(struct reader *r, const char *what)
{
	return err_set("bad JSON at byte %ld: %s", (long)(r->s - r->start), what);
}

static void put_utf8(struct buf *b, uint32_t c)
{
	char u[4];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f)), u[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	buf_add(b, u, n);
}

static int hex4(struct reader *r, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) {
		char c = *r->s;

		if (!c)
			return fail(r, "bad \\u escape");
		r->s++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return fail(r, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static int string(struct reader *r, char **out, size_t *len)
{
	struct buf b = BUF_INIT;

	r->s++;   /* the opening quote */
	buf_add(&b, "", 0);
	while (*r->s != '"') {
		const char *run = r->s;
		uint32_t c, lo;

		while (*r->s && *r->s != '"' && *r->s != '\\')
			r->s++;
		buf_add(&b, run, (size_t)(r->s - run));
		if (*r->s == '"')
			break;
		if (!*r->s || !r->s[1])
			goto out_fail;
		r->s++;
		switch (*r->s++) {
		case '"': buf_add(&b, "\"", 1); break;
		case '\\': buf_add(&b, "\\", 1); break;
		case '/': buf_add(&b, "/", 1); break;
		case 'b': buf_add(&b, "\b", 1); break;
		case 'f': buf_add(&b, "\f", 1); break;
		case 'n': buf_add(&b, "\n", 1); break;
		case 'r': buf_add(&b, "\r", 1); break;
		case 't': buf_add(&b, "\t", 1); break;
		case 'u':
			if (hex4(r, &c) < 0)
				goto out_release;
			if (c >= 0xd800 && c < 0xdc00 && r->s[0] == '\\' && r->s[1] == 'u') {
				r->s += 2;
				if (hex4(r, &lo) < 0)
					goto out_release;
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_utf8(&b, c);
			break;
		default:
			goto out_fail;
		}
	}
	r->s++;
	if (b.oom) {
		buf_release(&b);
		return err_set("out of memory");
	}
	if (len)
		*len = b.len;
	*out = buf_detach(&b);
	return 0;
out_fail:
	fail(r, "unterminated string or bad escape");
out_release:
	buf_release(&b);
	return -1;
}

static int value(struct reader *r, struct json *j, int depth);

static int push(struct json *j, size_t *cap, struct json **kid)
{
	if (j->nkids == *cap) {
		size_t n = *cap ? *cap * 2 : 4;
		struct json *k = realloc(j->kids, n * sizeof(*k));

		if (!k)
			return err_set("out of memory");
		j->kids = k;
		*cap = n;
	}
	*kid = &j->kids[j->nkids++];
	memset(*kid, 0, sizeof(**kid));
	return 0;
}

static int container(struct reader *r, struct json *j, int depth)
{
	char close = *r->s == '{' ? '}' : ']';
	size_t cap = 0;

	j->type = close == '}' ? JSON_OBJ : JSON_ARR;
	r->s++;
	skip_ws(r);
	if (*r->s == close) {
		r->s++;
		return 0;
	}
	for (;;) {
		struct json *kid = NULL;

		skip_ws(r);
		if (push(j, &cap, &kid) < 0)
			return -1;
		if (j->type == JSON_OBJ) {
			if (*r->s != '"')
				return fail(r, "expected a member name");
			if (string(r, &kid->key, NULL) < 0)
				return -1;
			skip_ws(r);
			if (*r->s != ':')
				return fail(r, "expected ':'");
			r->s++;
		}
		if (value(r, kid, depth + 1) < 0)
			return -1;
		skip_ws(r);
		if (*r->s == ',') {
			r->s++;
			continue;
		}
		if (*r->s != close)
			return fail(r, "expected ',' or the end of a list");
		r->s++;
		return 0;
	}
}

static int value(struct reader *r, struct json *j, int depth)
{
	char *end;

	if (depth > MAX_DEPTH)
		return fail(r, "nested too deeply");
	skip_ws(r);
	switch (*r->s) {
	case '{':
	case '[':
		return container(r, j, depth);
	case '"':
		j->type = JSON_STR;
		return string(r, &j->str, &j->len);
	case 't':
	case 'f':
	case 'n':
		if (strncmp(r->s, "true", 4) == 0)
			j->type = JSON_BOOL, j->num = 1, r->s += 4;
		else if (strncmp(r->s, "false", 5) == 0)
			j->type = JSON_BOOL, r->s += 5;
		else if (strncmp(r->s, "null", 4) == 0)
			j->type = JSON_NULL, r->s += 4;
		else
			return fail(r, "unknown word");
		return 0;
	default:
		j->num = strtod(r->s, &end);
		if (end == r->s)
			return fail(r, "expected a value");
		j->type = JSON_NUM;
		r->s = end;
		return 0;
	}
}

int json_parse(struct json **out, const char *text)
{
	struct reader r = { text, text };
	struct json *j = calloc(1, sizeof(*j));

	*out = NULL;
	if (!j)
		return err_set("out of memory");
	if (value(&r, j, 0) < 0)
		goto out_free;
	skip_ws(&r);
	if (*r.s) {
		fail(&r, "text after the value");
		goto out_free;
	}
	*out = j;
	return 0;
out_free:
	json_free(j);
	return -1;
}

const struct json *json_get(const struct json *j, const char *key)
{
	if (!j || j->type != JSON_OBJ)
		return NULL;
	for (size_t i = 0; i < j->nkids; i++)
		if (strcmp(j->kids[i].key, key) == 0)
			return &j->kids[i];
	return NULL;
}

const char *json_str(const struct json *j, const char *key)
{
	const struct json *v = json_get(j, key);

	return v && v->type == JSON_STR ? v->str : "";
}

const char *json_strn(const struct json *j, const char *key, size_t *len)
{
	const struct json *v = json_get(j, key);

	*len = v && v->type == JSON_STR ? v->len : 0;
	return v && v->type == JSON_STR ? v->str : "";
}

double json_num(const struct json *j, const char *key)
{
	const struct json *v = json_get(j, key);

	return v && (v->type == JSON_NUM || v->type == JSON_BOOL) ? v->num : 0;
}
