package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, nil, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestAuditCLI runs `civictrust audit verify|export` against the store an app
// left in DATA_DIR: intact, exported, then tampered with.
func TestAuditCLI(t *testing.T) {
	dir := cliEnv(t)

	// An app writes a chain long enough for progress reports.
	var svc auditport.Service
	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", dir), apitest.WithFxOption(fx.Populate(&svc)))
	app.Member("Cli Member")
	for i := range 1200 {
		if _, err := svc.Append(context.Background(), audit.Event{Action: "test.cli", TargetType: "thing", TargetID: strconv.Itoa(i),
			UserAgent: "=HYPERLINK(\"http://evil\")", Details: map[string]string{"i": strconv.Itoa(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := svc.Verify(context.Background(), nil)
	if err != nil || res.FirstBroken != nil {
		t.Fatalf("%+v %v", res, err)
	}
	total := res.Checked
	app.Stop()

	t.Run("verify_an_intact_chain", func(t *testing.T) {
		code, out, errOut := runCLI("audit", "verify")
		if code != 0 || !strings.Contains(out, fmt.Sprintf("chain intact: %d events", total)) {
			t.Fatalf("code %d, out %q, err %q", code, out, errOut)
		}
		if !strings.Contains(errOut, "verified 1000 events") {
			t.Fatalf("no progress on stderr: %q", errOut)
		}
	})
	t.Run("export_jsonl_oldest_first", func(t *testing.T) {
		code, out, errOut := runCLI("audit", "export", "--since", "2000-01-01T00:00:00Z", "--format", "jsonl")
		if code != 0 {
			t.Fatalf("code %d, err %q", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if int64(len(lines)) != total {
			t.Fatalf("%d lines, want %d", len(lines), total)
		}
		prev := int64(0)
		for _, l := range lines {
			var e struct {
				Seq     int64             `json:"seq"`
				Hash    string            `json:"hash"`
				Action  string            `json:"action"`
				Details map[string]string `json:"details"`
			}
			if err := json.Unmarshal([]byte(l), &e); err != nil || e.Seq != prev+1 || e.Hash == "" || e.Action == "" {
				t.Fatalf("line %q after seq %d: %v", l, prev, err)
			}
			prev = e.Seq
		}
	})
	t.Run("export_csv_with_a_header_and_every_field", func(t *testing.T) {
		code, out, errOut := runCLI("audit", "export", "--since", "2000-01-01T00:00:00Z", "--until", "2999-01-01T00:00:00Z", "--format", "csv")
		if code != 0 {
			t.Fatalf("code %d, err %q", code, errOut)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "seq,id,at,actor_id,action,target_type,target_id,ip,user_agent,request_id,outcome,details,prev_hash,hash" {
			t.Fatalf("header %v", rows[0])
		}
		if int64(len(rows)-1) != total {
			t.Fatalf("%d rows, want %d", len(rows)-1, total)
		}
		last := rows[len(rows)-1]
		var details map[string]string
		if err := json.Unmarshal([]byte(last[11]), &details); err != nil || details["i"] != "1199" || last[4] != "test.cli" {
			t.Fatalf("last row %v: %v", last, err)
		}
		if !strings.HasPrefix(last[8], "'=") {
			t.Fatalf("a formula in a cell is not defused: %q", last[8])
		}
	})
	t.Run("export_in_a_window_without_events_is_empty", func(t *testing.T) {
		code, out, errOut := runCLI("audit", "export", "--since", "2000-01-01T00:00:00Z", "--until", "2000-01-02T00:00:00Z")
		if code != 0 || out != "" || !strings.Contains(errOut, "exported 0 events") {
			t.Fatalf("code %d out %q err %q", code, out, errOut)
		}
	})
	t.Run("bad_arguments_are_usage_errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"audit"}, {"audit", "frobnicate"}, {"audit", "export"}, {"audit", "export", "--since", "yesterday"},
			{"audit", "export", "--since", "2025-01-02T00:00:00Z", "--until", "2025-01-01T00:00:00Z"},
			{"audit", "export", "--since", "2025-01-01T00:00:00Z", "--format", "xml"}, {"audit", "verify", "extra"},
		} {
			if code, _, errOut := runCLI(args...); code != 2 || errOut == "" {
				t.Errorf("%v: code %d, err %q", args, code, errOut)
			}
		}
	})
	t.Run("verify_names_the_first_broken_event", func(t *testing.T) {
		// Edited by an intruder with access to the database file.
		db := sqlitetest.OpenAt(t, filepath.Join(dir, "civictrust.db"))
		var victim string
		if err := db.Reader(t.Context()).QueryRowContext(t.Context(), `SELECT id FROM audit_events WHERE seq = 700`).Scan(&victim); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(t.Context(), `UPDATE audit_events SET actor_id = 'someone' WHERE seq = 700`); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI("audit", "verify")
		if code != 1 || !strings.Contains(out, "seq 700") || !strings.Contains(out, victim) || !strings.Contains(out, "edited") {
			t.Fatalf("code %d, out %q, err %q", code, out, errOut)
		}
	})
}

// The head record moves with every append, so removing the last event right
// after a process appended it is seen by the next verification.
func TestTheLastEventRemovedIsSeen(t *testing.T) {
	dir := cliEnv(t)

	var svc auditport.Service
	app := apitest.Start(t, apitest.WithEnv("DATA_DIR", dir), apitest.WithEnv("ADMIN_EMAIL", ""),
		apitest.WithEnv("ADMIN_PASSWORD", ""), apitest.WithFxOption(fx.Populate(&svc)))
	var last *audit.Event
	for i := range 3 {
		e, err := svc.Append(context.Background(), audit.Event{Action: "test.stop", TargetID: strconv.Itoa(i)})
		if err != nil {
			t.Fatal(err)
		}
		last = e
	}
	db := app.SQLite()
	if _, err := db.Exec(t.Context(), `DELETE FROM audit_events WHERE seq = ?`, last.Seq); err != nil {
		t.Fatal(err)
	}
	// Verified by the CLI while the server runs: another process on the file.
	code, out, errOut := runCLI("audit", "verify")
	if code != 1 || !strings.Contains(out, fmt.Sprintf("seq %d", last.Seq)) || !strings.Contains(out, "removed") {
		t.Fatalf("code %d, out %q, err %q", code, out, errOut)
	}
}
