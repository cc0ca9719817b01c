/* server.h: a server's request handler and its status (server.c
 * implements them; the tests include this too). */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <go.h>

struct server {
	go_mutex mu;            /* guards the fields below */
	uint64_t requests;      /* requests handled */
	uint64_t last_sum;      /* the checksum of the last request */
};

#define SERVER_INIT { GO_MUTEX_INIT, 0, 0 }

/* Handles a request: the checksum (64-bit FNV-1a) of its n bytes becomes
 * last_sum, and requests grows by one. Returns the checksum. */
uint64_t server_handle(struct server *s, const uint8_t *buf, size_t n);

/* The number of requests handled so far (what the heartbeat reports). */
uint64_t server_requests(struct server *s);

#endif
