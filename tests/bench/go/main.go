// Go twins of the rtbench workloads that are not in the shared anchors
// (../shared/anchors/go): same names, same work, same `name value unit`
// lines.  Run: go run . [workload] (default: all).
package main

import (
	"context"
	"fmt"
	"os"
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
	if !found {
		fmt.Fprintf(os.Stderr, "twins: no workload '%s'\n", which)
		os.Exit(2)
	}
}
