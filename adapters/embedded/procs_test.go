package embedded_test

import (
	"runtime"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
)

// Not parallel: GOMAXPROCS belongs to the whole test process.
func TestSpareProcessorAddsOneUnlessTheOperatorChose(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })

	chosen := func(string) (string, bool) { return "1", true }
	if got := embedded.SpareProcessor(chosen); got != before || runtime.GOMAXPROCS(0) != before {
		t.Fatalf("with GOMAXPROCS set: returned %d, runs with %d; want %d left alone", got, runtime.GOMAXPROCS(0), before)
	}
	unset := func(string) (string, bool) { return "", false }
	if got := embedded.SpareProcessor(unset); got != before+1 || runtime.GOMAXPROCS(0) != before+1 {
		t.Fatalf("without GOMAXPROCS: returned %d, runs with %d; want %d", got, runtime.GOMAXPROCS(0), before+1)
	}
}
