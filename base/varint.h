/*
 * varint — reading the base-128 varints of protocol buffers and of Go's
 * trace format from bytes someone else wrote: a cursor that never reads
 * past its end and remembers that the input was damaged.
 */
#ifndef BASE_VARINT_H
#define BASE_VARINT_H

#include <stdbool.h>
#include <stdint.h>

struct varint_cur {
	const uint8_t *p, *end;
	bool bad;               /* set once a read ran past the end or overflowed */
};

/* The next varint at c (0, and c->bad, when there is none). */
static inline uint64_t varint_next(struct varint_cur *c)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end) {
			c->bad = true;
			return 0;
		}
		v |= (uint64_t)(*c->p & 0x7f) << shift;
		if (!(*c->p++ & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

#endif
