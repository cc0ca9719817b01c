/*
 * atomic.h — Go's sync/atomic types in C (included by go.h).
 *
 *     go_atomic_int64 hits;                  // zero value: 0, ready to use
 *     go_atomic_int64_add(&hits, 1);         // hits.Add(1)
 *     int64_t n = go_atomic_int64_load(&hits);
 *
 * One type per Go type: go_atomic_int32, _int64, _uint32, _uint64,
 * _uintptr (atomic.Int32, ... atomic.Uintptr), go_atomic_bool (atomic.Bool)
 * and go_atomic_pointer (atomic.Pointer[T], here of void *).  Each has
 *   load(a)             the value
 *   store(a, v)         set it
 *   swap(a, v)          set it, return the old value
 *   cas(a, old, new)    set it to new if it is old; true if it did
 *                       (CompareAndSwap)
 * and the integer types also
 *   add(a, delta)       add delta (wrapping), return the new value; for the
 *                       unsigned types subtract d with add(a, -d) cast to the
 *                       type, as Go's AddUint32(&x, ^uint32(d-1))
 *
 * Every operation is sequentially consistent, as Go's are, and none blocks
 * or is a preemption point.  They are C11 atomics (stdatomic.h) in static
 * inline functions, so they compile into the caller and ThreadSanitizer
 * sees each one as the synchronising operation it is.  Like Go's, the types
 * are structs, so a plain read or write of the value does not compile by
 * accident; do not copy one while other goroutines use it.
 *
 * GO_ATOMIC_INIT(v) initialises one to v at its definition; the zero value
 * (a static, or memset 0) is 0, false or NULL.
 */
#ifndef GO_ATOMIC_H
#define GO_ATOMIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define GO_ATOMIC_INIT(v) { (v) }

/* One integer type T as go_atomic_<name> with its five operations; U is
 * T's unsigned twin, so add's result wraps as Go's does, without C's
 * undefined signed overflow. */
#define GO__ATOMIC_INT(name, T, U)						\
typedef struct go_atomic_##name {					\
	_Atomic T v;							\
} go_atomic_##name;							\
static inline T go_atomic_##name##_load(go_atomic_##name *a)		\
{									\
	return atomic_load(&a->v);					\
}									\
static inline void go_atomic_##name##_store(go_atomic_##name *a, T v)	\
{									\
	atomic_store(&a->v, v);						\
}									\
static inline T go_atomic_##name##_add(go_atomic_##name *a, T delta)	\
{									\
	return (T)((U)atomic_fetch_add(&a->v, delta) + (U)delta);	\
}									\
static inline T go_atomic_##name##_swap(go_atomic_##name *a, T v)	\
{									\
	return atomic_exchange(&a->v, v);				\
}									\
static inline bool go_atomic_##name##_cas(go_atomic_##name *a, T old,	\
	T new_)								\
{									\
	return atomic_compare_exchange_strong(&a->v, &old, new_);	\
}

GO__ATOMIC_INT(int32, int32_t, uint32_t)
GO__ATOMIC_INT(int64, int64_t, uint64_t)
GO__ATOMIC_INT(uint32, uint32_t, uint32_t)
GO__ATOMIC_INT(uint64, uint64_t, uint64_t)
GO__ATOMIC_INT(uintptr, uintptr_t, uintptr_t)

#undef GO__ATOMIC_INT

/* atomic.Bool: no add. */
typedef struct go_atomic_bool {
	_Atomic bool v;
} go_atomic_bool;

static inline bool go_atomic_bool_load(go_atomic_bool *a)
{
	return atomic_load(&a->v);
}

static inline void go_atomic_bool_store(go_atomic_bool *a, bool v)
{
	atomic_store(&a->v, v);
}

static inline bool go_atomic_bool_swap(go_atomic_bool *a, bool v)
{
	return atomic_exchange(&a->v, v);
}

static inline bool go_atomic_bool_cas(go_atomic_bool *a, bool old, bool new_)
{
	return atomic_compare_exchange_strong(&a->v, &old, new_);
}

/* atomic.Pointer[T] (and atomic.Value, for a pointer): no add.  The
 * pointed-to data is the caller's; a goroutine that loads the pointer sees
 * everything written to the data before the store that published it. */
typedef struct go_atomic_pointer {
	void *_Atomic v;
} go_atomic_pointer;

static inline void *go_atomic_pointer_load(go_atomic_pointer *a)
{
	return atomic_load(&a->v);
}

static inline void go_atomic_pointer_store(go_atomic_pointer *a, void *v)
{
	atomic_store(&a->v, v);
}

static inline void *go_atomic_pointer_swap(go_atomic_pointer *a, void *v)
{
	return atomic_exchange(&a->v, v);
}

static inline bool go_atomic_pointer_cas(go_atomic_pointer *a, void *old,
	void *new_)
{
	return atomic_compare_exchange_strong(&a->v, &old, new_);
}

#endif
