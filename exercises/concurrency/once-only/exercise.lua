-- sync.Once: initialise exactly once, without a racy flag, and without Do inside the same Do.
return {
  title = "Initialise exactly once",
  track = "concurrency",
  difficulty = 2,
  files = { "config.c" },
  headers = { "config.h" },
  topics = { "sync.Once", "lazy initialisation", "data races" },
  after = { "merge-with-nil" },
  time = 15,
  learn = { "https://pkg.go.dev/sync#Once", "https://go.dev/ref/mem#once" },
  text = [[
# Initialise exactly once

`get_config` loads a configuration the first time anyone asks and hands
out the same one afterwards. The version in `config.c` checks a flag:

```go
var cfg Config
var loaded bool

func GetConfig() *Config {
    if !loaded {        // two goroutines can both see false...
        cfg = load()    // ...and both load
        loaded = true
    }
    return &cfg
}
```

With several goroutines asking at once, more than one sees `loaded ==
false` and loads again. Worse, a goroutine may see `loaded == true`
before it sees what `load` wrote: nothing orders the flag and the data
between threads. It is a data race, and ThreadSanitizer says so. Adding
a mutex only around the load does not help (the check is still outside
it); checking the flag again inside the lock ("double-checked locking")
still reads it outside the lock.

Go's answer is `sync.Once`:

```go
var cfgOnce sync.Once

func GetConfig() *Config {
    cfgOnce.Do(func() { cfg = load() })
    return &cfg
}
```

`Do` runs the function in the first caller only. Every other caller
waits until it has *returned*, and then sees everything it wrote. In C:

```c
static go_once cfg_once = GO_ONCE_INIT;
go_once_do(&cfg_once, load, NULL);      /* load(NULL), at most once */
```

One trap: a `Do` that calls `Do` on the *same* once waits for itself
forever (Go deadlocks the same way). `get_workers` needs the config, so
its once-function calls `get_config()`: give it a once of its own.

The tests ask from 64 goroutines at once, on 4 threads and under
ThreadSanitizer, and count the loads (each takes 2 ms).

Replace both flags in `config.c` with `go_once`.
]],
  hints = {
    { on = "test", text = "load_config ran more than once: several goroutines read `cfg_loaded` as false before the first load finished. A flag cannot close that gap; go_once_do(&cfg_once, load, NULL) can." },
    "Write `static void load(void *arg) { (void)arg; load_config(&cfg); }` and call go_once_do(&cfg_once, load, NULL) in get_config; do the same for workers with a second go_once.",
    { on = "data-race", text = "ThreadSanitizer saw a flag (or the config) read in one goroutine while another wrote it, with nothing between them. Any read of the flag outside the lock races; go_once_do does the check for you, safely." },
    { on = "deadlock", text = "A goroutine waits inside go_once_do for itself: a once-function called go_once_do on the same once (get_workers -> get_config with one shared once). Each value needs its own go_once." },
  },
  check = function(c)
    local t = c:build{ harness = "config_test.c" }
    -- the pack's ASan and TSan passes run too (TSan on three cases)
    c:run_tests(t, { timeout = 5, env = { "GOMAXPROCS=4" },
                     tsan = { timeout = 20, only = { "sixty_four_goroutines_at_once_load_it_exactly_once",
                                                     "a_goroutine_started_before_the_load_asks_after_it",
                                                     "workers_asked_first_loads_the_config_once_and_clamps_it" } } })
  end,
}
