package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// On the embedded store the service runs with one Go processor more than the
// runtime's default (SQLite blocks processors in system calls; see
// embedded.SpareProcessor); against MONGODB_URI it keeps the default, and an
// operator's GOMAXPROCS always wins. The "listening" line says which.
func TestTheEmbeddedStoreRunsWithOneSpareProcessor(t *testing.T) {
	t.Parallel()
	store := startTCPStore(t, t.TempDir(), "")
	external := baseEnv(t.TempDir())
	external["MONGODB_URI"] = store.URI()
	external["MONGODB_DATABASE"] = "civictrust_procs"
	chosen := baseEnv(t.TempDir())
	chosen["GOMAXPROCS"] = "1"

	cases := []struct {
		name string
		env  map[string]string
	}{{"external store", external}, {"embedded store", baseEnv(t.TempDir())}, {"embedded store, GOMAXPROCS=1", chosen}}
	got := map[string]int{}
	for _, c := range cases {
		p := startProc(t, c.name, c.env)
		got[c.name] = listeningProcs(t, p)
		p.stop()
	}
	def := got["external store"]
	if def < 1 || got["embedded store"] != def+1 || got["embedded store, GOMAXPROCS=1"] != 1 {
		t.Fatalf("gomaxprocs %v, want the default (%d) against MONGODB_URI, one more on the embedded store, 1 when GOMAXPROCS=1", got, def)
	}
}

// listeningProcs is the gomaxprocs field of p's "listening" line.
func listeningProcs(t *testing.T, p *proc) int {
	t.Helper()
	for line := range strings.SplitSeq(p.log(), "\n") {
		var entry struct {
			Message    string `json:"message"`
			GoMaxProcs int    `json:"gomaxprocs"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Message == "listening" {
			return entry.GoMaxProcs
		}
	}
	t.Fatalf("%s logged no listening line:\n%s", p.name, p.log())
	return 0
}
