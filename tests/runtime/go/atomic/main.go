// The Go twin of tests/runtime/atomic.c: the sync/atomic types hammered by
// many goroutines, the same lines printed.
package main

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

const (
	ng     = 8
	k      = 20000
	rounds = 2000
)

// The operations of one integer type, on int64/uint64 for the test.
type ops struct {
	add   func(d int64)
	load  func() int64
	cas   func(old, new int64) bool
	swap  func(v int64) uint64
	store func(v int64)
}

func hammer(name string, add, cas, swap, store ops) {
	var wg sync.WaitGroup
	swapped := make([]uint64, ng)
	wg.Add(ng)
	for g := 0; g < ng; g++ {
		go func(id int) {
			for i := 0; i < k; i++ {
				add.add(3)
			}
			for i := 0; i < k; i++ {
				add.add(-1)
			}
			for i := 0; i < k; i++ {
				for {
					old := cas.load()
					if cas.cas(old, old+1) {
						break
					}
				}
			}
			var got uint64
			for i := 0; i < k; i++ {
				got += swap.swap(int64(id*k + i + 1))
			}
			swapped[id] = got
			for i := 0; i < k; i++ {
				store.store(int64(id + 1))
			}
			wg.Done()
		}(g)
	}
	wg.Wait()
	var out, in uint64
	for _, s := range swapped {
		out += s
	}
	out += uint64(swap.load())
	for v := uint64(1); v <= ng*k; v++ {
		in += v
	}
	last := store.load()
	fmt.Printf("%s: add %d, cas %d, swap conserved %t, store one of ours %t\n",
		name, add.load(), cas.load(), out == in, last >= 1 && last <= ng)
}

func int32ops() ops {
	var x atomic.Int32
	return ops{func(d int64) { x.Add(int32(d)) }, func() int64 { return int64(x.Load()) },
		func(o, n int64) bool { return x.CompareAndSwap(int32(o), int32(n)) },
		func(v int64) uint64 { return uint64(x.Swap(int32(v))) }, func(v int64) { x.Store(int32(v)) }}
}

func int64ops() ops {
	var x atomic.Int64
	return ops{func(d int64) { x.Add(d) }, func() int64 { return x.Load() },
		func(o, n int64) bool { return x.CompareAndSwap(o, n) },
		func(v int64) uint64 { return uint64(x.Swap(v)) }, func(v int64) { x.Store(v) }}
}

func uint32ops() ops {
	var x atomic.Uint32
	return ops{func(d int64) { x.Add(uint32(d)) }, func() int64 { return int64(x.Load()) },
		func(o, n int64) bool { return x.CompareAndSwap(uint32(o), uint32(n)) },
		func(v int64) uint64 { return uint64(x.Swap(uint32(v))) }, func(v int64) { x.Store(uint32(v)) }}
}

func uint64ops() ops {
	var x atomic.Uint64
	return ops{func(d int64) { x.Add(uint64(d)) }, func() int64 { return int64(x.Load()) },
		func(o, n int64) bool { return x.CompareAndSwap(uint64(o), uint64(n)) },
		func(v int64) uint64 { return x.Swap(uint64(v)) }, func(v int64) { x.Store(uint64(v)) }}
}

func uintptrops() ops {
	var x atomic.Uintptr
	return ops{func(d int64) { x.Add(uintptr(d)) }, func() int64 { return int64(x.Load()) },
		func(o, n int64) bool { return x.CompareAndSwap(uintptr(o), uintptr(n)) },
		func(v int64) uint64 { return uint64(x.Swap(uintptr(v))) }, func(v int64) { x.Store(uintptr(v)) }}
}

func wrap() {
	var i atomic.Int32
	var u atomic.Uint32
	var l atomic.Int64
	i.Store(math.MaxInt32)
	l.Store(math.MinInt64)
	fmt.Printf("wrap: %d %d %d\n", i.Add(1), u.Add(^uint32(4)), l.Add(-1))
}

func hammerBool() {
	var flags, swaps [rounds]atomic.Bool
	var casWins, swapWins atomic.Int64
	var wg sync.WaitGroup
	wg.Add(ng)
	for g := 0; g < ng; g++ {
		go func() {
			for r := 0; r < rounds; r++ {
				if flags[r].CompareAndSwap(false, true) {
					casWins.Add(1)
				}
				if !swaps[r].Swap(true) {
					swapWins.Add(1)
				}
				flags[r].Store(flags[r].Load())
			}
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Printf("bool: cas winners %d, swap winners %d in %d rounds\n",
		casWins.Load(), swapWins.Load(), rounds)
}

type item struct{ a, b int }

func hammerPointer() {
	var published, owner atomic.Pointer[item]
	var items [ng]item
	var seenOK, owners atomic.Int64
	var wg sync.WaitGroup
	wg.Add(ng)
	for g := 0; g < ng; g++ {
		go func(id int) {
			if id == 0 {
				items[0].a, items[0].b = 40, 2
				published.Store(&items[0])
			} else {
				var it *item
				for it = published.Load(); it == nil; it = published.Load() {
				}
				if it.a+it.b == 42 {
					seenOK.Add(1)
				}
			}
			if owner.CompareAndSwap(nil, &items[id]) {
				owners.Add(1)
			}
			wg.Done()
		}(g)
	}
	wg.Wait()
	old := owner.Swap(nil)
	mine := false
	for i := range items {
		mine = mine || old == &items[i]
	}
	fmt.Printf("pointer: readers saw the data %d/%d, cas owners %d, swap returned the owner %t, now nil %t\n",
		seenOK.Load(), ng-1, owners.Load(), mine, owner.Load() == nil)
}

func main() {
	hammer("int32", int32ops(), int32ops(), int32ops(), int32ops())
	hammer("int64", int64ops(), int64ops(), int64ops(), int64ops())
	hammer("uint32", uint32ops(), uint32ops(), uint32ops(), uint32ops())
	hammer("uint64", uint64ops(), uint64ops(), uint64ops(), uint64ops())
	hammer("uintptr", uintptrops(), uintptrops(), uintptrops(), uintptrops())
	wrap()
	hammerBool()
	hammerPointer()
}
