// The Go twin of tests/runtime/ctx.c: the same cases, the same lines.
// Run: go run ./ctx CASE (all cases with none).  tests/runtime-ctx.t
// compares the two.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

type key int

const (
	keyA key = iota
	keyB
	keyC
)

func e(ctx context.Context) string {
	if err := ctx.Err(); err != nil {
		return err.Error()
	}
	return "<nil>"
}

func done(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	default:
		return false
	}
}

func propagate() {
	parent, cancelParent := context.WithCancel(context.Background())
	child, cancelChild := context.WithCancel(parent)
	sibling, cancelSibling := context.WithCancel(parent)
	val := context.WithValue(child, keyA, "a")
	grandchild, cancelGrandchild := context.WithTimeout(val, time.Hour)

	cancelChild()
	fmt.Printf("cancel(child): parent %s, sibling %s, child %s, grandchild %s\n",
		e(parent), e(sibling), e(child), e(grandchild))
	child2, cancelChild2 := context.WithCancel(parent)
	cancelParent()
	<-sibling.Done()
	<-child2.Done()
	fmt.Printf("cancel(parent): parent %s, sibling %s, child2 %s\n",
		e(parent), e(sibling), e(child2))
	late, cancelLate := context.WithCancel(parent)
	fmt.Printf("made after: %s, done %t\n", e(late), done(late))
	cancelLate()
	cancelGrandchild()
	cancelChild2()
	cancelSibling()
}

func parentfirst() {
	parent := context.WithValue(context.Background(), keyA, "a")
	mid, cancelMid := context.WithCancel(parent)
	child, cancelChild := context.WithCancel(mid)
	cancelMid()
	fmt.Printf("child %s, value %s\n", e(child), child.Value(keyA))
	cancelChild()
}

func idempotent() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(8)
	for i := 0; i < 8; i++ {
		go func() { cancel(); wg.Done() }()
	}
	wg.Wait()
	cancel()
	cancel()
	fmt.Printf("after 10 cancels: %s\n", e(ctx))

	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	<-ctx.Done()
	cancel()
	fmt.Printf("cancel after the deadline: %s\n", e(ctx))
}

func errdone() {
	ctx, cancel := context.WithCancel(context.Background())
	bg := context.Background()
	fmt.Printf("before: err %s, done %t\n", e(ctx), done(ctx))
	fmt.Printf("same done: %t\n", ctx.Done() == ctx.Done())
	fmt.Printf("background: err %s, done nil %t, todo done nil %t\n", e(bg),
		bg.Done() == nil, context.TODO().Done() == nil)
	cancel()
	fmt.Printf("after: err %s, done %t\n", e(ctx), done(ctx))

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	fmt.Printf("done first asked after cancel: %t\n", done(ctx))
}

func deadline() {
	now := time.Now()
	bg := context.Background()
	_, has := bg.Deadline()
	fmt.Printf("background has deadline: %t\n", has)
	parent, c1 := context.WithDeadline(bg, now.Add(150*time.Millisecond))
	later, c2 := context.WithTimeout(parent, time.Hour)
	sooner, c3 := context.WithTimeout(parent, 5*time.Millisecond)
	plain, c4 := context.WithCancel(parent)
	val := context.WithValue(parent, keyB, nil)

	pd, _ := parent.Deadline()
	fmt.Printf("parent deadline as asked: %t\n", pd.Equal(now.Add(150*time.Millisecond)))
	d, has := later.Deadline()
	fmt.Printf("later child: has %t, parent's %t\n", has, d.Equal(pd))
	d, has = sooner.Deadline()
	fmt.Printf("sooner child: has %t, before parent's %t\n", has, d.Before(pd))
	d, has = plain.Deadline()
	fmt.Printf("cancel child: has %t, parent's %t\n", has, d.Equal(pd))
	d, has = val.Deadline()
	fmt.Printf("value child: has %t, parent's %t\n", has, d.Equal(pd))
	<-sooner.Done()
	fmt.Printf("sooner fired: %s; parent %s, later %s\n", e(sooner), e(parent), e(later))
	<-later.Done()
	fmt.Printf("parent fired: parent %s, later %s, cancel child %s, value child %s\n",
		e(parent), e(later), e(plain), e(val))
	fmt.Printf("not before the deadline: %t\n", !time.Now().Before(pd))
	past, c5 := context.WithDeadline(bg, now.Add(-time.Second))
	fmt.Printf("past deadline: %s, done %t\n", e(past), done(past))
	c5()
	c4()
	c3()
	c2()
	c1()
}

func timers() {
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	child, cancelChild := context.WithTimeout(ctx, 150*time.Millisecond)
	cancel()
	time.Sleep(200 * time.Millisecond)
	fmt.Printf("after the deadline passed: %s, child %s\n", e(ctx), e(child))
	fmt.Printf("goroutines as before: %t\n", runtime.NumGoroutine() == before)
	cancelChild()
}

func values() {
	bg := context.Background()
	a := context.WithValue(bg, keyA, "a1")
	c, cancel := context.WithCancel(a)
	b := context.WithValue(c, keyB, "b1")
	a2 := context.WithValue(b, keyA, "a2")
	v := func(ctx context.Context, k key) string {
		if x := ctx.Value(k); x != nil {
			return x.(string)
		}
		return "<nil>"
	}
	fmt.Printf("a2: a=%s b=%s c=%s\n", v(a2, keyA), v(a2, keyB), v(a2, keyC))
	fmt.Printf("b: a=%s b=%s\n", v(b, keyA), v(b, keyB))
	fmt.Printf("c: a=%s b=%s\n", v(c, keyA), v(c, keyB))
	fmt.Printf("value under background: done nil %t, err %s\n", a.Done() == nil, e(a))
	fmt.Printf("value's done is its parent's: %t, err %s\n", b.Done() == c.Done(), e(b))
	fmt.Printf("after freeing a value child: parent %s\n", e(c))
	cancel()
	fmt.Printf("parent cancelled: value child %s, done %t\n", e(b), done(b))
}

func visible() {
	ctx, cancel := context.WithCancel(context.Background())
	data := 0
	d := ctx.Done()
	go func() { data = 42; cancel() }()
	<-d
	fmt.Printf("seen after done: %d\n", data)
	data = 0

	ctx, cancel = context.WithCancel(context.Background())
	go func() { data = 42; cancel() }()
	for ctx.Err() == nil {
		runtime.Gosched()
	}
	fmt.Printf("seen after err: %d\n", data)
}

func errstr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func forms() {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	c := make(chan int, 1)
	send := func(ctx context.Context, v int) error {
		select {
		case c <- v:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	recv := func(ctx context.Context) (int, bool, error) {
		select {
		case v, ok := <-c:
			return v, ok, nil
		case <-ctx.Done():
			return 0, false, ctx.Err()
		}
	}
	fmt.Printf("send: %s\n", errstr(send(ctx, 7)))
	v, ok, err := recv(ctx)
	fmt.Printf("recv: %s %d %t\n", errstr(err), v, ok)
	_, _, err = recv(ctx)
	fmt.Printf("recv when nothing comes: %s\n", errstr(err))
	cancel()

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	var nilc chan int
	select {
	case <-c:
		fmt.Printf("select on a cancelled ctx: <nil>\n")
	case <-nilc:
	case <-ctx.Done():
		fmt.Printf("select on a cancelled ctx: %s\n", errstr(ctx.Err()))
	}

	sleep := func(ctx context.Context, d time.Duration) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Millisecond)
	t0 := time.Now()
	err = sleep(ctx, time.Second)
	fmt.Printf("sleep cut short: %s %t\n", errstr(err), time.Since(t0) < time.Second/2)
	cancel()
	ctx, cancel = context.WithCancel(context.Background())
	fmt.Printf("sleep in full: %s\n", errstr(sleep(ctx, time.Millisecond)))
	cancel()

	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Millisecond)
	select {
	case <-c:
	case <-ctx.Done():
		fmt.Printf("select: %s\n", e(ctx))
	}
	cancel()
}

func tree() {
	const treeG, treeN = 16, 200
	root, cancelRoot := context.WithTimeout(context.Background(), 20*time.Millisecond)
	var wg sync.WaitGroup
	var canceled, deadline atomic.Int64
	wg.Add(treeG)
	for g := 0; g < treeG; g++ {
		go func() {
			for i := 0; i < treeN; i++ {
				a, cancelA := context.WithCancel(root)
				b := context.WithValue(a, keyA, nil)
				c, cancelC := context.WithTimeout(b, time.Duration(i%7)*50*time.Microsecond)
				if i%3 == 0 {
					cancelA()
				}
				<-c.Done()
				switch c.Err() {
				case context.DeadlineExceeded:
					deadline.Add(1)
				case context.Canceled:
					canceled.Add(1)
				}
				cancelC()
				cancelA()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	fmt.Printf("all ended: %d contexts, each canceled or deadline exceeded %t\n",
		treeG*treeN, canceled.Load()+deadline.Load() == treeG*treeN)
	cancelRoot()
}

var cases = []struct {
	name string
	fn   func()
}{
	{"propagate", propagate},
	{"parentfirst", parentfirst},
	{"idempotent", idempotent},
	{"errdone", errdone},
	{"deadline", deadline},
	{"timers", timers},
	{"values", values},
	{"visible", visible},
	{"forms", forms},
	{"tree", tree},
}

func main() {
	for _, c := range cases {
		if len(os.Args) > 1 && os.Args[1] == c.name {
			c.fn()
		} else if len(os.Args) == 1 {
			fmt.Printf("== %s\n", c.name)
			c.fn()
		}
	}
}
