/* Wrong: avoids the dangling read by leaving the loop right after the
 * free: no read of the freed node, but only the first copy is removed. */
#include <stdlib.h>

#include "list.h"

void list_push(struct node **head, int value)
{
	struct node *n = malloc(sizeof(*n));

	if (!n)
		abort();
	n->value = value;
	n->next = *head;
	*head = n;
}

int list_remove_all(struct node **head, int value)
{
	struct node *prev = NULL;
	int removed = 0;

	for (struct node *n = *head; n; n = n->next) {
		if (n->value != value) {
			prev = n;
			continue;
		}
		if (prev)
			prev->next = n->next;
		else
			*head = n->next;
		free(n);
		removed++;
		break;          /* wrong: test anywhere */
	}
	return removed;
}

void list_free(struct node **head)
{
	struct node *n = *head;

	while (n) {
		struct node *next = n->next;

		free(n);
		n = next;
	}
	*head = NULL;
}
