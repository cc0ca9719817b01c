/* Wrong: each clerk has a mutex of its own and locks it around its deposits;
 * the account is still shared by eight goroutines holding eight locks. */
#include <stdio.h>

#include <go.h>

#define CLERKS 8
#define DEPOSITS 5000

struct account {
	long balance;
	go_mutex mu;    /* guards balance */
};

static void deposit(struct account *a, long amount)
{
	a->balance += amount;   /* wrong: sanitizer */
}

struct clerk {
	struct account *account;
	go_waitgroup *done;
	go_mutex mu;    /* this clerk's lock */
};

/* Each clerk pays DEPOSITS single coins into the account. */
static void clerk(void *arg)
{
	struct clerk *c = arg;

	for (int i = 0; i < DEPOSITS; i++) {
		go_mutex_lock(&c->mu);
		deposit(c->account, 1);
		go_mutex_unlock(&c->mu);
	}
	go_waitgroup_done(c->done);
}

int go_main(int argc, char **argv)
{
	struct account acct = { .balance = 0, .mu = GO_MUTEX_INIT };
	go_waitgroup done = GO_WAITGROUP_INIT;
	struct clerk clerks[CLERKS];

	(void)argc, (void)argv;
	go_waitgroup_add(&done, CLERKS);
	for (int i = 0; i < CLERKS; i++) {
		clerks[i] = (struct clerk){ &acct, &done, GO_MUTEX_INIT };
		go_spawn(clerk, &clerks[i]);
	}
	go_waitgroup_wait(&done);
	printf("balance: %ld\n", acct.balance);
	return 0;
}
