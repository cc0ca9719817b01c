/* Wrong: saves next before the free, as it should, but "prev = n" moved to
 * the end of the loop, so after a removal prev is the node just freed, and
 * the next removal writes into it. */
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
	struct node *prev = NULL, *next;
	int removed = 0;

	for (struct node *n = *head; n; n = next) {
		next = n->next;
		if (n->value == value) {
			if (prev)
				prev->next = next;      /* wrong: sanitizer */
			else
				*head = next;
			free(n);
			removed++;
		}
		prev = n;
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
