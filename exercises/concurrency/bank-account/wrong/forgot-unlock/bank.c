/* Wrong: deposit() locks the account and never unlocks it, so the second
 * deposit of any clerk waits forever for a lock nobody will release; the
 * deadlock report shows go_main waiting for the clerks here, and every clerk
 * in sync.Mutex.Lock. */
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
	go_mutex_lock(&a->mu);
	a->balance += amount;
}

struct clerk {
	struct account *account;
	go_waitgroup *done;
};

/* Each clerk pays DEPOSITS single coins into the account. */
static void clerk(void *arg)
{
	struct clerk *c = arg;

	for (int i = 0; i < DEPOSITS; i++)
		deposit(c->account, 1);
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
		clerks[i] = (struct clerk){ &acct, &done };
		go_spawn(clerk, &clerks[i]);
	}
	go_waitgroup_wait(&done);       /* wrong: deadlock */
	printf("balance: %ld\n", acct.balance);
	return 0;
}
