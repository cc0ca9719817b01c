/* user_test.c: instructor tests for dangling-stack, one process each.
 *
 * Every case parses users, then calls other functions before it reads
 * them, as a program would: a name left in user_parse's frame is then
 * overwritten (scrub_stack writes over the frames below the caller), and
 * the test sees the wrong name. Under AddressSanitizer every frame is also
 * given a place of its own that is poisoned when the function returns
 * (chanlab runs ASan with detect_stack_use_after_return=1), so the first read
 * through a pointer into a dead frame is reported as
 * stack-use-after-return, at the line that reads it. */
#include <chanlab_test.h>

#include "user.h"

/* Writes over the stack below the caller, where the frames of the
 * functions it called before lay. */
static __attribute__((noinline)) void scrub_stack(void)
{
	volatile char junk[8192];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = '#';
}

/* s, for a message: unprintable bytes as '?', at most 40 of them. */
static const char *shown(const char *s)
{
	static char buf[4][48];
	static int k;
	char *b = buf[k++ % 4];
	size_t i;

	if (!s)
		return "(null)";
	for (i = 0; s[i] && i < 40; i++)
		b[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	strcpy(b + i, s[i] ? "..." : "");
	return b;
}

/* Expects u's name to be want. */
#define EXPECT_NAME(u, want) do { \
	const char *g_ = (u)->name; \
	if (!g_ || strcmp(g_, (want)) != 0) \
		CL_EXPECT_MSG(false, "%s is \"%s\", expected \"%s\"", #u "->name", shown(g_), (want)); \
} while (0)

CL_TEST(a_parsed_user_keeps_its_name) {
	struct user *u = user_parse("42 Ada");

	CL_ASSERT_MSG(u != NULL, "user_parse(\"42 Ada\") returned NULL");
	scrub_stack();
	CL_EXPECT_INT(u->id, 42);
	EXPECT_NAME(u, "ada");
	user_free(u);
}

CL_TEST(two_users_have_two_names) {
	struct user *a = user_parse("1 Grace"), *b = user_parse("2 Linus");

	CL_ASSERT(a != NULL && b != NULL);
	scrub_stack();
	EXPECT_NAME(a, "grace");
	EXPECT_NAME(b, "linus");
	user_free(a);
	user_free(b);
}

CL_TEST(a_long_name_is_cut) {
	struct user *u = user_parse("7 Wolfeschlegelsteinhausenbergerdorff the Elder");

	CL_ASSERT(u != NULL);
	scrub_stack();
	CL_EXPECT_INT(u->id, 7);
	EXPECT_NAME(u, "wolfeschlegelsteinhausenbergerd");
	user_free(u);
}

CL_TEST(a_malformed_line_is_refused) {
	static const char *const bad[] = { "", "Ada", "12", "12   ", " 12 Ada" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct user *u = user_parse(bad[i]);

		CL_EXPECT_MSG(u == NULL, "user_parse(\"%s\") returned a user, expected NULL", bad[i]);
		user_free(u);
	}
}

#define NUSERS 100

static void parse_users(struct user **users, int n, int first)
{
	char line[64];

	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "%d User%d", first + i, first + i);
		users[i] = user_parse(line);
	}
}

/* Looks up every tenth user by name; expects each to be found. */
static void expect_found(struct user *const *users, int n)
{
	char name[32];
	int missing = 0;

	for (int i = 0; i < n; i += 10) {
		const struct user *u;

		snprintf(name, sizeof(name), "user%d", i);
		u = user_find(users, n, name);
		if (!u || u->id != i) {
			if (++missing <= 3)
				CL_EXPECT_MSG(false, "user_find(\"%s\") found %s", name,
					      u ? "another user" : "nobody");
		}
	}
	CL_LOG("%d users parsed, %d of %d looked up were found", n, n / 10 - missing, n / 10);
}

CL_TEST(find_a_user_among_a_hundred) {
	struct user *users[NUSERS];

	parse_users(users, NUSERS, 0);
	for (int i = 0; i < NUSERS; i++)
		CL_ASSERT_MSG(users[i] != NULL, "user_parse returned NULL for user %d", i);
	scrub_stack();
	expect_found(users, NUSERS);
	for (int i = 0; i < NUSERS; i++)
		user_free(users[i]);
}

/* Four goroutines parse a quarter of the users each, on their own stacks,
 * and hand them over; the test looks them up once they are done. */
struct quarter {
	struct user **users;
	int first;
	go_waitgroup *wg;
};

static void parse_quarter(void *arg)
{
	struct quarter *q = arg;

	parse_users(q->users + q->first, NUSERS / 4, q->first);
	go_waitgroup_done(q->wg);
}

CL_TEST(users_parsed_on_four_goroutines) {
	struct user *users[NUSERS];
	struct quarter q[4];
	go_waitgroup wg = GO_WAITGROUP_INIT;

	go_waitgroup_add(&wg, 4);
	for (int k = 0; k < 4; k++) {
		q[k] = (struct quarter){ users, k * (NUSERS / 4), &wg };
		go_spawn(parse_quarter, &q[k]);
	}
	go_waitgroup_wait(&wg);
	for (int i = 0; i < NUSERS; i++)
		CL_ASSERT_MSG(users[i] != NULL, "user_parse returned NULL for user %d", i);
	expect_found(users, NUSERS);
	for (int i = 0; i < NUSERS; i++)
		user_free(users[i]);
}
