/* list.h: a singly linked list of ints (the harness includes it too). */
#ifndef LIST_H
#define LIST_H

struct node {
	int value;
	struct node *next;
};

/* Puts value at the front of the list *head. */
void list_push(struct node **head, int value);

/* Removes (and frees) every node holding value; returns how many. */
int list_remove_all(struct node **head, int value);

/* Frees every node and sets *head to NULL. */
void list_free(struct node **head);

#endif
