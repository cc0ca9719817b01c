// Go twins of the rtbench workloads that are not in the shared anchors
// (../shared/anchors/go): same names, same work, same `name value unit`
// lines.  Run: go run . [workload] (default: all).
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"
)

// ctxselect: a producer and a consumer, each selecting over a channel of
// 16 and ctx.Done(), as every context-aware loop does.
func ctxSelect(n int) float64 {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := make(chan int, 16)
	go func() {
		for j := 0; j < n; j++ {
			select {
			case c <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	t := time.Now()
	for got := 0; got < n; got++ {
		select {
		case <-c:
		case <-ctx.Done():
			return 0
		}
	}
	return float64(time.Since(t).Nanoseconds()) / float64(n)
}

// workpool: 8 workers ranging over a buffered channel of jobs, sending
// results back; a round is 1,000 jobs.
func workPool(rounds int) float64 {
	t := time.Now()
	sum := 0
	for r := 0; r < rounds; r++ {
		jobs, results := make(chan int, 100), make(chan int, 100)
		var wg sync.WaitGroup
		wg.Add(8)
		for w := 0; w < 8; w++ {
			go func() {
				for j := range jobs {
					results <- j*2 + 1
				}
				wg.Done()
			}()
		}
		go func() {
			for j := 0; j < 1000; j++ {
				jobs <- j
			}
			close(jobs)
		}()
		for k := 0; k < 1000; k++ {
			sum += <-results
		}
		wg.Wait()
	}
	if sum != rounds*1000*1000 {
		fmt.Fprintln(os.Stderr, "workpool: bad sum", sum)
	}
	return float64(time.Since(t).Nanoseconds()) / float64(rounds*1000)
}

// fanin16: 16 producers into one unbuffered channel.
func fanIn16(n int) float64 {
	c := make(chan int)
	t := time.Now()
	for i := 0; i < 16; i++ {
		go func() {
			for j := 0; j < n/16; j++ {
				c <- j
			}
		}()
	}
	for got := 0; got < (n/16)*16; got++ {
		<-c
	}
	return float64(time.Since(t).Nanoseconds()) / float64((n/16)*16)
}

// mutexmap: 4 goroutines bump counters of a 1,024-slot table (an array,
// as rtbench's) under one mutex.
func mutexMap(n int) float64 {
	var mu sync.Mutex
	var slot [1024]int
	var wg sync.WaitGroup
	t := time.Now()
	wg.Add(4)
	for i := 0; i < 4; i++ {
		go func() {
			x := uint32(12345)
			for k := 0; k < n/4; k++ {
				x = x*1103515245 + 12345
				mu.Lock()
				slot[(x>>8)&1023]++
				mu.Unlock()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	r := float64(time.Since(t).Nanoseconds()) / float64((n/4)*4)
	total := 0
	for _, v := range slot {
		total += v
	}
	if total != (n/4)*4 {
		fmt.Fprintln(os.Stderr, "mutexmap: bad total", total)
	}
	return r
}

// pipeline5: a source and four stages that each add one, over unbuffered
// channels, into the consumer.
func pipeline5(n int) float64 {
	src := make(chan int)
	in := src
	t := time.Now()
	for i := 0; i < 4; i++ {
		out := make(chan int)
		go func(in <-chan int, out chan<- int) {
			for v := range in {
				out <- v + 1
			}
			close(out)
		}(in, out)
		in = out
	}
	go func() {
		for j := 0; j < n; j++ {
			src <- j
		}
		close(src)
	}()
	sum := 0
	for v := range in {
		sum += v
	}
	r := float64(time.Since(t).Nanoseconds()) / float64(n)
	if sum != n*(n-1)/2+4*n {
		fmt.Fprintln(os.Stderr, "pipeline5: bad sum", sum)
	}
	return r
}

// sleepers: 10,000 goroutines each sleep 1 to 10 ms, then send how late
// they woke; the whole in ms, or the 99th percentile of the lateness in
// microseconds.
func sleepers(n int, lateness bool) float64 {
	done := make(chan int64)
	x := uint32(2463534242)
	t := time.Now()
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		ms := 1 + int64(x%10)
		go func() {
			s := time.Now()
			time.Sleep(time.Duration(ms) * time.Millisecond)
			done <- time.Since(s).Nanoseconds() - ms*1e6
		}()
	}
	late := make([]int64, n)
	for i := range late {
		late[i] = <-done
	}
	r := float64(time.Since(t).Nanoseconds()) / 1e6
	sort.Slice(late, func(a, b int) bool { return late[a] < late[b] })
	if lateness {
		r = float64(late[(n-1)*99/100]) / 1e3
	}
	return r
}

// park<N>: spawn N goroutines that park on a channel, then wake them all
// and wait for them to end.
func park(n int) float64 {
	block := make(chan int)
	var wg sync.WaitGroup
	t := time.Now()
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			<-block
			wg.Done()
		}()
	}
	close(block)
	wg.Wait()
	return float64(time.Since(t).Nanoseconds()) / float64(n)
}

func main() {
	which := "all"
	if len(os.Args) > 1 {
		which = os.Args[1]
	}
	found := false
	run := func(name, unit string, f func() float64) {
		if which == name || which == "all" {
			found = true
			fmt.Printf("%-10s %12.1f %s\n", name, f(), unit)
		}
	}
	run("ctxselect", "ns/item", func() float64 { return ctxSelect(4000000) })
	run("workpool", "ns/job", func() float64 { return workPool(2000) })
	run("fanin16", "ns/item", func() float64 { return fanIn16(4000000) })
	run("mutexmap", "ns/update", func() float64 { return mutexMap(4000000) })
	run("pipeline5", "ns/item", func() float64 { return pipeline5(1000000) })
	run("sleepers", "ms", func() float64 { return sleepers(10000, false) })
	run("sleeplate", "us/p99late", func() float64 { return sleepers(10000, true) })
	run("park1k", "ns/goroutine", func() float64 { return park(1000) })
	run("park10k", "ns/goroutine", func() float64 { return park(10000) })
	run("park100k", "ns/goroutine", func() float64 { return park(100000) })
	run("park1m", "ns/goroutine", func() float64 { return park(1000000) })
	if !found {
		fmt.Fprintf(os.Stderr, "twins: no workload '%s'\n", which)
		os.Exit(2)
	}
}
