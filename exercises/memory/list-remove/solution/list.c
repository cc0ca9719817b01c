/* A linked list: the reference solution. */
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
		next = n->next;   /* read it while n is still ours */
		if (n->value != value) {
			prev = n;
			continue;
		}
		if (prev)
			prev->next = next;
		else
			*head = next;
		free(n);
		removed++;
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
