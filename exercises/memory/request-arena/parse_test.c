/* parse_test.c: instructor tests for request-arena, one process each.
 *
 * The arena's own cases check what any allocator must give (aligned
 * blocks that do not overlap, any size) and count its mallocs with the
 * harness's allocation counter, an exact figure; the request cases check
 * the parse and count its mallocs too. LeakSanitizer, at the end of each
 * case's process, sees any block nobody freed. */
#include <chanlab_test.h>

#include "arena.h"
#include "parse.h"

/* A request of twelve headers, as a browser sends. */
static const char browser_req[] =
	"GET /search?q=arena HTTP/1.1\n"
	"Host: example.com\n"
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\n"
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\n"
	"Accept-Language: en-GB,en;q=0.5\n"
	"Accept-Encoding: gzip, deflate, br\n"
	"Connection: keep-alive\n"
	"Referer: https://example.com/\n"
	"Cookie: session=4f2a9c; theme=dark\n"
	"Upgrade-Insecure-Requests: 1\n"
	"Sec-Fetch-Dest: document\n"
	"Sec-Fetch-Mode: navigate\n"
	"Cache-Control: max-age=0\n"
	"\n";

CL_TEST(arena_allocations_are_aligned_and_apart) {
	struct arena *a = arena_new();
	unsigned char *p[1000];
	size_t n[1000];
	int misaligned = 0, overwritten = 0;

	for (int i = 0; i < 1000; i++) {
		n[i] = (size_t)(i * 7 % 37);
		p[i] = arena_alloc(a, n[i]);
		if ((uintptr_t)p[i] % ARENA_ALIGN != 0 && ++misaligned <= 3)
			CL_EXPECT_MSG(false, "arena_alloc(a, %zu) returned %p: not a multiple of %d",
				      n[i], (void *)p[i], ARENA_ALIGN);
		memset(p[i], i & 0xff, n[i]);
	}
	for (int i = 0; i < 1000; i++)
		for (size_t k = 0; k < n[i]; k++)
			if (p[i][k] != (i & 0xff)) {
				if (++overwritten <= 3)
					CL_EXPECT_MSG(false, "allocation %d (%zu bytes) was overwritten by a later one",
						      i, n[i]);
				break;
			}
	arena_free(a);
}

CL_TEST(arena_takes_an_allocation_bigger_than_a_block) {
	struct arena *a = arena_new();
	char *small = arena_alloc(a, 10), *big = arena_alloc(a, 3 * ARENA_BLOCK), *after;

	memset(small, 's', 10);
	memset(big, 'b', 3 * ARENA_BLOCK);
	after = arena_alloc(a, 100);
	memset(after, 'a', 100);
	CL_EXPECT(small[9] == 's' && big[0] == 'b' && big[3 * ARENA_BLOCK - 1] == 'b');
	arena_free(a);
}

CL_TEST(arena_allocates_a_block_at_a_time) {
	struct arena *a = arena_new();
	long before = cl_allocs(), made;

	for (int i = 0; i < 1000; i++)
		memset(arena_alloc(a, 16), 0, 16);
	made = cl_allocs() - before;
	/* 16000 bytes: four blocks of 4096, and a little room for headers */
	CL_EXPECT_MSG(made <= 8, "1000 allocations of 16 bytes made %ld mallocs; "
		      "blocks of %d bytes need about 4", made, ARENA_BLOCK);
	CL_LOG("1000 arena allocations of 16 bytes: %ld mallocs", made);
	arena_free(a);
}

CL_TEST(a_request_is_parsed) {
	struct req *r = req_parse(browser_req);

	CL_ASSERT_MSG(r != NULL, "req_parse returned NULL for a good request");
	CL_EXPECT_STR(r->method, "GET");
	CL_EXPECT_STR(r->path, "/search?q=arena HTTP/1.1");
	CL_EXPECT_INT(r->nheaders, 12);
	CL_EXPECT_STR(r->headers ? r->headers->name : NULL, "Host");
	CL_EXPECT_STR(req_header(r, "Cookie"), "session=4f2a9c; theme=dark");
	CL_EXPECT_STR(req_header(r, "Cache-Control"), "max-age=0");
	CL_EXPECT(req_header(r, "Content-Length") == NULL);
	req_free(r);
}

CL_TEST(a_malformed_request_is_refused) {
	static const char *const bad[] = { "", "GET", "GET \n", " /x\n", "GET /x\nHost example.com\n",
					   "GET /x\nA: 1\nB: 2\nno colon\n" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct req *r = req_parse(bad[i]);

		CL_EXPECT_MSG(r == NULL, "req_parse returned a request for a malformed one (#%zu)", i);
		req_free(r);
	}
}

CL_TEST(a_request_with_a_thousand_headers) {
	char *text = malloc(32 * 1000 + 64), *p = text;
	struct req *r;
	char want[32];

	CL_ASSERT(text != NULL);
	p += sprintf(p, "POST /upload\n");
	for (int i = 0; i < 1000; i++)
		p += sprintf(p, "X-Header-%d: value %d\n", i, i * i);
	r = req_parse(text);
	free(text);
	CL_ASSERT_MSG(r != NULL, "req_parse returned NULL for a good request");
	CL_EXPECT_INT(r->nheaders, 1000);
	snprintf(want, sizeof(want), "value %d", 999 * 999);
	CL_EXPECT_STR(req_header(r, "X-Header-999"), want);
	req_free(r);
}

CL_TEST(a_long_header_value) {
	char *text = malloc(7000), *p = text;
	struct req *r;

	CL_ASSERT(text != NULL);
	p += sprintf(p, "GET /\nX-Small: 1\nX-Long: ");
	memset(p, 'v', 6000);
	p += 6000;
	strcpy(p, "\nX-After: 2\n");
	r = req_parse(text);
	free(text);
	CL_ASSERT_MSG(r != NULL, "req_parse returned NULL for a good request");
	CL_EXPECT_INT(strlen(req_header(r, "X-Long") ? req_header(r, "X-Long") : ""), 6000);
	CL_EXPECT_STR(req_header(r, "X-After"), "2");
	req_free(r);
}

CL_TEST(a_request_costs_at_most_two_mallocs) {
	long before = cl_allocs(), made;
	struct req *r = req_parse(browser_req);

	made = cl_allocs() - before;
	CL_EXPECT_MSG(made <= 2, "parsing a request of 12 headers made %ld mallocs, "
		      "expected at most 2 (the arena and its first block)", made);
	CL_LOG("one request of 12 headers: %ld mallocs", made);
	req_free(r);
}

/* One op: parse the browser's request, look up two headers, free it. */
CL_BENCH(parse_req) {
	for (long i = 0; i < b->n; i++) {
		struct req *r = req_parse(browser_req);

		if (!req_header(r, "Host") || !req_header(r, "Cookie"))
			abort();
		req_free(r);
	}
}
