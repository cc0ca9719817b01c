/*
 * pattern — Lua patterns with a bounded matcher; see pattern.h.
 *
 * Data model: one struct matcher per match attempt: the subject, the end
 * of the pattern, the captures opened so far (start and length, or
 * CAP_OPEN while unclosed, CAP_POS for a position capture), the recursion
 * left, and the steps not yet charged. match() walks the pattern item by
 * item; a quantifier, a capture or an optional item is a choice point,
 * where it recurses on the rest of the pattern and backtracks when that
 * fails. Every item looked at and every subject character a loop scans is
 * one step, as are PLAIN_BYTES bytes that memcmp (a back-reference) or
 * memmem (a plain find) goes through; steps are charged to
 * the script CHARGE_EVERY at a time, and the charge is where a matcher
 * that backtracks too long is stopped (sandbox_charge raises).
 *
 * The API functions (find, match, gmatch's iterator, gsub) hold nothing
 * that needs freeing while the matcher may raise: the subject and the
 * pattern are strings on the Lua stack, the captures live in the matcher
 * on the C stack, and gsub's result is a luaL_Buffer.
 */
#define _GNU_SOURCE             /* memmem */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include <lauxlib.h>

#include "lua/pattern.h"
#include "lua/sandbox.h"

#define ESC '%'
#define SPECIALS "^$*+?.([%-"

enum {
	MAXDEPTH = 200,          /* recursion of the matcher: "pattern too complex" */
	MAXCAPTURES = 32,        /* as Lua's LUA_MAXCAPTURES */
	CAP_OPEN = -1,
	CAP_POS = -2,
	CHARGE_EVERY = 1024,
	PLAIN_BYTES = 16,        /* bytes memmem or memcmp goes through in one step */
};

struct matcher {
	lua_State *L;
	const char *s0, *s_end;  /* the subject */
	const char *p_end;       /* the end of the pattern */
	int depth;               /* recursion left */
	int ncap;
	struct {
		const char *at;
		ptrdiff_t len;
	} cap[MAXCAPTURES];
	unsigned long steps;     /* not charged yet */
};

static void matcher_init(struct matcher *m, lua_State *L, const char *s, size_t ls, const char *p, size_t lp)
{
	m->L = L;
	m->s0 = s;
	m->s_end = s + ls;
	m->p_end = p + lp;
	m->steps = 0;
	m->ncap = 0;
	m->depth = MAXDEPTH;
}

static void charge(struct matcher *m)
{
	unsigned long n = m->steps;

	m->steps = 0;
	sandbox_charge(m->L, n);
}

static inline void step(struct matcher *m, unsigned long n)
{
	m->steps += n;
	if (m->steps >= CHARGE_EVERY)
		charge(m);
}

/* --- one character against one class ----------------------------------- */

/* Is c in the class %cl (%a, %d, ...; an upper-case letter negates)? Any
 * other cl stands for itself. */
static bool class_has(int c, int cl)
{
	bool in;

	switch (tolower(cl)) {
	case 'a': in = isalpha(c); break;
	case 'c': in = iscntrl(c); break;
	case 'd': in = isdigit(c); break;
	case 'g': in = isgraph(c); break;
	case 'l': in = islower(c); break;
	case 'p': in = ispunct(c); break;
	case 's': in = isspace(c); break;
	case 'u': in = isupper(c); break;
	case 'w': in = isalnum(c); break;
	case 'x': in = isxdigit(c); break;
	case 'z': in = c == 0; break;  /* deprecated, still in Lua 5.4 */
	default: return cl == c;
	}
	return isupper(cl) ? !in : in;
}

/* Is c in the set [...] from p (its '[') to close (its ']')? */
static bool set_has(int c, const char *p, const char *close)
{
	bool in = true;

	if (p[1] == '^') {
		in = false;
		p++;
	}
	while (++p < close) {
		if (*p == ESC) {
			p++;
			if (class_has(c, (unsigned char)*p))
				return in;
		} else if (p[1] == '-' && p + 2 < close) {
			p += 2;
			if ((unsigned char)p[-2] <= c && c <= (unsigned char)*p)
				return in;
		} else if ((unsigned char)*p == c) {
			return in;
		}
	}
	return !in;
}

/* The end of the single-character class that starts at p. */
static const char *class_end(struct matcher *m, const char *p)
{
	if (*p == ESC) {
		if (p + 1 >= m->p_end)
			luaL_error(m->L, "malformed pattern (ends with '%%')");
		return p + 2;
	}
	if (*p++ != '[')
		return p;
	if (p < m->p_end && *p == '^')
		p++;
	do {    /* the first character is in the set even if it is ']' */
		if (p >= m->p_end)
			luaL_error(m->L, "malformed pattern (missing ']')");
		if (*p++ == ESC && p < m->p_end)
			p++;
	} while (p >= m->p_end || *p != ']');
	return p + 1;
}

/* Does the subject character at s match the class from p to ep? */
static bool single(const struct matcher *m, const char *s, const char *p, const char *ep)
{
	int c;

	if (s >= m->s_end)
		return false;
	c = (unsigned char)*s;
	switch (*p) {
	case '.':
		return true;
	case ESC:
		return class_has(c, (unsigned char)p[1]);
	case '[':
		return set_has(c, p, ep - 1);
	default:
		return (unsigned char)*p == c;
	}
}

/* --- the matcher ------------------------------------------------------------ */

static const char *match(struct matcher *m, const char *s, const char *p);

/* Item p to ep, quantified by '*' (or by '+' with one already matched):
 * as many as possible, then fewer. */
static const char *max_expand(struct matcher *m, const char *s, const char *p, const char *ep)
{
	ptrdiff_t i = 0;

	while (single(m, s + i, p, ep))
		i++;
	step(m, (unsigned long)i);
	for (; i >= 0; i--) {
		const char *e = match(m, s + i, ep + 1);

		if (e)
			return e;
	}
	return NULL;
}

/* Item p to ep, quantified by '-': as few as possible, then more. */
static const char *min_expand(struct matcher *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *e = match(m, s, ep + 1);

		if (e)
			return e;
		if (!single(m, s, p, ep))
			return NULL;
		s++;
	}
}

static const char *open_capture(struct matcher *m, const char *s, const char *p, ptrdiff_t what)
{
	const char *e;

	if (m->ncap >= MAXCAPTURES)
		luaL_error(m->L, "too many captures");
	m->cap[m->ncap].at = s;
	m->cap[m->ncap].len = what;
	m->ncap++;
	if (!(e = match(m, s, p)))
		m->ncap--;
	return e;
}

static const char *close_capture(struct matcher *m, const char *s, const char *p)
{
	const char *e;
	int l = m->ncap - 1;

	while (l >= 0 && m->cap[l].len != CAP_OPEN)
		l--;
	if (l < 0)
		luaL_error(m->L, "invalid pattern capture");
	m->cap[l].len = s - m->cap[l].at;
	if (!(e = match(m, s, p)))
		m->cap[l].len = CAP_OPEN;
	return e;
}

/* %1 .. %9: the text of a closed capture again. */
static const char *back_reference(struct matcher *m, const char *s, int digit)
{
	int l = digit - '1';
	size_t len;

	if (l < 0 || l >= m->ncap || m->cap[l].len == CAP_OPEN)
		luaL_error(m->L, "invalid capture index %%%d", l + 1);
	if (m->cap[l].len == CAP_POS)
		return NULL;    /* a position is no text */
	len = (size_t)m->cap[l].len;
	step(m, 1 + len / PLAIN_BYTES);
	if ((size_t)(m->s_end - s) >= len && memcmp(m->cap[l].at, s, len) == 0)
		return s + len;
	return NULL;
}

/* %bxy: a balanced run from x to its y. */
static const char *balance(struct matcher *m, const char *s, const char *p)
{
	const char *start = s;
	int open = 1;

	if (p + 1 >= m->p_end)
		luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
	if (s >= m->s_end || *s != *p)
		return NULL;
	while (++s < m->s_end) {
		if (*s == p[1]) {
			if (--open == 0) {
				step(m, (unsigned long)(s - start));
				return s + 1;
			}
		} else if (*s == *p) {
			open++;
		}
	}
	step(m, (unsigned long)(s - start));
	return NULL;
}

/* %f[set]: between a character not in set and one in it. */
static const char *frontier(struct matcher *m, const char *s, const char *p, const char **next)
{
	const char *ep;
	int before, after;

	if (p >= m->p_end || *p != '[')
		luaL_error(m->L, "missing '[' after '%%f' in pattern");
	ep = class_end(m, p);
	before = s == m->s0 ? '\0' : (unsigned char)s[-1];
	after = s < m->s_end ? (unsigned char)*s : '\0';
	*next = ep;
	return !set_has(before, p, ep - 1) && set_has(after, p, ep - 1) ? s : NULL;
}

/* The end of the match of pattern p at subject s, or NULL. */
static const char *match(struct matcher *m, const char *s, const char *p)
{
	const char *ep;

	if (m->depth-- == 0)
		luaL_error(m->L, "pattern too complex");
	while (s && p < m->p_end) {
		step(m, 1);
		switch (*p) {
		case '(':
			if (p + 1 < m->p_end && p[1] == ')')
				s = open_capture(m, s, p + 2, CAP_POS);
			else
				s = open_capture(m, s, p + 1, CAP_OPEN);
			goto out;
		case ')':
			s = close_capture(m, s, p + 1);
			goto out;
		case '$':
			if (p + 1 == m->p_end) {
				s = s == m->s_end ? s : NULL;
				goto out;
			}
			break;  /* elsewhere '$' is itself */
		case ESC:
			if (p + 1 >= m->p_end)
				break;  /* class_end says it is malformed */
			switch (p[1]) {
			case 'b':
				s = balance(m, s, p + 2);
				p += 4;
				continue;
			case 'f':
				s = frontier(m, s, p + 2, &p);
				continue;
			case '0': case '1': case '2': case '3': case '4':
			case '5': case '6': case '7': case '8': case '9':
				s = back_reference(m, s, (unsigned char)p[1]);
				p += 2;
				continue;
			}
			break;
		}
		/* a single-character class, maybe quantified */
		ep = class_end(m, p);
		if (!single(m, s, p, ep)) {
			if (ep < m->p_end && (*ep == '*' || *ep == '?' || *ep == '-'))
				p = ep + 1;     /* none is fine */
			else
				s = NULL;
			continue;
		}
		switch (ep < m->p_end ? *ep : '\0') {
		case '?': {
			const char *e = match(m, s + 1, ep + 1);

			if (e) {
				s = e;
				goto out;
			}
			p = ep + 1;
			continue;
		}
		case '+':
			s = max_expand(m, s + 1, p, ep);
			goto out;
		case '*':
			s = max_expand(m, s, p, ep);
			goto out;
		case '-':
			s = min_expand(m, s, p, ep);
			goto out;
		default:
			s++;
			p = ep;
		}
	}
out:
	m->depth++;
	return s;
}

/* --- captures --------------------------------------------------------------- */

/* Pushes capture i; with no captures, capture 0 is the whole match s..e. */
static void push_capture(struct matcher *m, int i, const char *s, const char *e)
{
	if (i >= m->ncap) {
		if (i != 0)
			luaL_error(m->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(m->L, s, (size_t)(e - s));
	} else if (m->cap[i].len == CAP_OPEN) {
		luaL_error(m->L, "unfinished capture");
	} else if (m->cap[i].len == CAP_POS) {
		lua_pushinteger(m->L, m->cap[i].at - m->s0 + 1);
	} else {
		lua_pushlstring(m->L, m->cap[i].at, (size_t)m->cap[i].len);
	}
}

/* Pushes every capture (or the whole match if there are none and s is not
 * NULL) and returns how many. */
static int push_captures(struct matcher *m, const char *s, const char *e)
{
	int n = m->ncap == 0 && s ? 1 : m->ncap;

	luaL_checkstack(m->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(m, i, s, e);
	return n;
}

/* --- the library functions ------------------------------------------------ */

/* A start position as the string functions read it, 1-based, clipped. */
static size_t start_at(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 1;
	return len + (size_t)pos + 1;
}

static bool has_specials(const char *p, size_t lp)
{
	for (size_t i = 0; i < lp; i++)
		if (p[i] != '\0' && strchr(SPECIALS, p[i]))
			return true;
	return false;
}

static int find_or_match(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
	struct matcher m;

	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
		const char *at = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp);
		const char *seen = at ? at + lp : s + ls;

		sandbox_charge(L, (unsigned long long)(seen - (s + init)) / PLAIN_BYTES);
		if (at) {
			lua_pushinteger(L, at - s + 1);
			lua_pushinteger(L, (lua_Integer)((size_t)(at - s) + lp));
			return 2;
		}
	} else {
		const char *s1 = s + init;
		bool anchor = lp > 0 && *p == '^';

		matcher_init(&m, L, s, ls, p, lp);
		if (anchor)
			p++;
		do {
			const char *e;

			m.ncap = 0;
			if ((e = match(&m, s1, p))) {
				charge(&m);
				if (!find)
					return push_captures(&m, s1, e);
				lua_pushinteger(L, s1 - s + 1);
				lua_pushinteger(L, e - s);
				return push_captures(&m, NULL, NULL) + 2;
			}
		} while (s1++ < m.s_end && !anchor);
		charge(&m);
	}
	luaL_pushfail(L);
	return 1;
}

static int pattern_find(lua_State *L)
{
	return find_or_match(L, true);
}

static int pattern_match(lua_State *L)
{
	return find_or_match(L, false);
}

/* gmatch's iterator. Upvalues: the subject, the pattern, and a userdata
 * with where to go on and where the last match ended (-1: none yet). */
struct gmatch_state {
	size_t next;
	ptrdiff_t last;
};

static int gmatch_next(lua_State *L)
{
	size_t ls, lp;
	const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
	const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
	struct gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
	struct matcher m;

	matcher_init(&m, L, s, ls, p, lp);
	for (const char *src = s + g->next; src <= m.s_end; src++) {
		const char *e;

		m.ncap = 0;
		if ((e = match(&m, src, p)) && e - s != g->last) {
			g->next = (size_t)(e - s);
			g->last = e - s;
			charge(&m);
			return push_captures(&m, src, e);
		}
	}
	charge(&m);
	return 0;
}

static int pattern_gmatch(lua_State *L)
{
	size_t ls, init;
	struct gmatch_state *g;

	luaL_checklstring(L, 1, &ls);
	luaL_checkstring(L, 2);
	init = start_at(luaL_optinteger(L, 3, 1), ls) - 1;
	lua_settop(L, 2);
	g = lua_newuserdatauv(L, sizeof(*g), 0);
	g->next = init > ls ? ls + 1 : init;    /* past the end: no match */
	g->last = -1;
	lua_pushcclosure(L, gmatch_next, 3);    /* subject, pattern, state */
	return 1;
}

/* gsub with a string replacement: %0 the match, %1-%9 captures, %% a %. */
static void add_string(struct matcher *m, luaL_Buffer *b, const char *s, const char *e)
{
	size_t l;
	const char *r = lua_tolstring(m->L, 3, &l), *esc;

	while ((esc = memchr(r, ESC, l))) {
		const char *c = esc + 1;        /* Lua strings end in '\0' */

		luaL_addlstring(b, r, (size_t)(esc - r));
		if (*c == ESC) {
			luaL_addchar(b, ESC);
		} else if (*c == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (isdigit((unsigned char)*c)) {
			push_capture(m, *c - '1', s, e);
			luaL_addvalue(b);       /* a position becomes its digits */
		} else {
			luaL_error(m->L, "invalid use of '%c' in replacement string", ESC);
		}
		l -= (size_t)(c + 1 - r);
		r = c + 1;
	}
	luaL_addlstring(b, r, l);
}

/* Adds the replacement of the match s..e to b; repl is argument 3. */
static void add_value(struct matcher *m, luaL_Buffer *b, const char *s, const char *e, int type)
{
	lua_State *L = m->L;

	if (type == LUA_TFUNCTION) {
		int n;

		lua_pushvalue(L, 3);
		n = push_captures(m, s, e);
		lua_call(L, n, 1);
	} else if (type == LUA_TTABLE) {
		push_capture(m, 0, s, e);
		lua_gettable(L, 3);
	} else {
		add_string(m, b, s, e);
		return;
	}
	if (!lua_toboolean(L, -1)) {    /* nil or false: keep the original */
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
	} else if (!lua_isstring(L, -1)) {
		luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	} else {
		luaL_addvalue(b);
	}
}

static int pattern_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *src = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	const char *last = NULL;
	int type = lua_type(L, 3);
	lua_Integer most = luaL_optinteger(L, 4, (lua_Integer)ls + 1), n = 0;
	bool anchor = lp > 0 && *p == '^';
	struct matcher m;
	luaL_Buffer b;

	luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION ||
			 type == LUA_TTABLE, 3, "string/function/table");
	luaL_buffinit(L, &b);
	matcher_init(&m, L, src, ls, p, lp);
	if (anchor)
		p++;
	while (n < most) {
		const char *e;

		m.ncap = 0;
		if ((e = match(&m, src, p)) && e != last) {
			n++;
			add_value(&m, &b, src, e, type);
			src = last = e;
		} else if (src < m.s_end) {
			luaL_addchar(&b, *src++);
		} else {
			break;
		}
		if (anchor)
			break;
	}
	charge(&m);
	luaL_addlstring(&b, src, (size_t)(m.s_end - src));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

void pattern_open(lua_State *L, int idx)
{
	static const luaL_Reg funcs[] = {
		{ "find", pattern_find },
		{ "match", pattern_match },
		{ "gmatch", pattern_gmatch },
		{ "gsub", pattern_gsub },
		{ NULL, NULL },
	};

	idx = lua_absindex(L, idx);
	for (const luaL_Reg *f = funcs; f->name; f++) {
		lua_pushcfunction(L, f->func);
		lua_setfield(L, idx, f->name);
	}
}
