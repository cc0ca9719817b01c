/* list_test.c: instructor tests for list-remove, one process each. */
#include <chanlab_test.h>

#include "list.h"

/* The list as "1 2 3" for messages. */
static const char *show(const struct node *n)
{
	static char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (; n && len < sizeof(buf) - 16; n = n->next)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, len ? " %d" : "%d", n->value);
	return buf;
}

static struct node *make(const int *xs, int n)
{
	struct node *head = NULL;

	for (int i = n - 1; i >= 0; i--)
		list_push(&head, xs[i]);
	return head;
}

CL_TEST(remove_from_empty) {
	struct node *head = NULL;

	CL_EXPECT_INT(list_remove_all(&head, 1), 0);
	CL_EXPECT(head == NULL);
}

CL_TEST(remove_the_only_node) {
	int xs[] = { 5 };
	struct node *head = make(xs, 1);

	CL_EXPECT_INT(list_remove_all(&head, 5), 1);
	CL_EXPECT(head == NULL);
	list_free(&head);
}

CL_TEST(remove_from_the_middle) {
	int xs[] = { 1, 2, 3 };
	struct node *head = make(xs, 3);

	CL_EXPECT_INT(list_remove_all(&head, 2), 1);
	CL_EXPECT_STR(show(head), "1 3");
	list_free(&head);
}

CL_TEST(remove_every_copy) {
	int xs[] = { 4, 1, 4, 4, 2, 4 };
	struct node *head = make(xs, 6);

	CL_EXPECT_INT(list_remove_all(&head, 4), 4);
	CL_EXPECT_STR(show(head), "1 2");
	list_free(&head);
}

CL_TEST(remove_what_is_not_there) {
	int xs[] = { 1, 2, 3 };
	struct node *head = make(xs, 3);

	CL_EXPECT_INT(list_remove_all(&head, 9), 0);
	CL_EXPECT_STR(show(head), "1 2 3");
	list_free(&head);
}
