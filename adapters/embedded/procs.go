package embedded

import "runtime"

// SpareProcessor gives a process that serves the embedded store one Go
// processor more than the runtime chose (GOMAXPROCS, by default the CPUs the
// process may use), unless the operator set GOMAXPROCS; it returns how many the
// process now runs with. Call it once, from main, before serving.
//
// Why: SQLite (modernc, pure Go) blocks in system calls on the request path:
// an fsync at every commit, and its busy handler's sleeps (1, 2, 5 ms …) when
// two of the store's connections write at once. A goroutine blocked in a
// system call keeps its processor until the runtime's monitor hands it to
// another thread, so meanwhile a CPU can sit idle while goroutines wait to
// run (in an execution trace of the login benchmark, most idle time followed
// those calls). With one processor spare, they stayed 97–98 % busy there
// (docs/benchmarks.md), against 91–95 % without.
func SpareProcessor(lookupEnv func(string) (string, bool)) int {
	n := runtime.GOMAXPROCS(0)
	if _, set := lookupEnv("GOMAXPROCS"); set {
		return n
	}
	runtime.GOMAXPROCS(n + 1)
	return n + 1
}
