package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/http/audithttp"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/ports/auditport"
)

const auditUsage = `usage: civictrust audit verify
       civictrust audit export --since RFC3339 [--until RFC3339] [--format jsonl|csv]

verify walks the hash chain of the audit trail: exit 0 and "chain intact: N
events" when it holds, exit 1 naming the first broken event otherwise.
export writes the events from --since to --until (default: now) to stdout,
oldest first, as JSON lines (the API's shape) or CSV with a header row.`

// auditCommand runs `civictrust audit verify|export`.
func auditCommand(args []string, std stdio) int {
	if len(args) == 0 {
		return usageError(std, auditUsage)
	}
	switch args[0] {
	case "verify":
		return auditVerify(args[1:], std.out, std.errOut)
	case "export":
		return auditExport(args[1:], std.out, std.errOut)
	default:
		return usageError(std, auditUsage)
	}
}

// withAudit starts the CLI graph (store and services, no HTTP) and runs fn
// with the audit service.
func withAudit(stderr io.Writer, fn func(ctx context.Context, svc auditport.Service) int) int {
	var svc auditport.Service
	app, ok := startCLI(stderr, fx.Populate(&svc))
	if !ok {
		return 1
	}
	ctx := context.Background()
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = app.Stop(stopCtx)
	}()
	return fn(ctx, svc)
}

// auditVerify walks the chain: exit 0 and "chain intact: N events" when it
// holds, exit 1 naming the first broken event otherwise. Progress goes to
// stderr every 1,000 events.
func auditVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		_, _ = fmt.Fprintln(stderr, auditUsage)
		return 2
	}
	return withAudit(stderr, func(ctx context.Context, svc auditport.Service) int {
		res, err := svc.Verify(ctx, func(n int64) { _, _ = fmt.Fprintf(stderr, "verified %d events…\n", n) })
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "verify failed:", err)
			return 1
		}
		if b := res.FirstBroken; b != nil {
			id := b.ID
			if id == "" {
				id = "unknown"
			}
			_, _ = fmt.Fprintf(stdout, "chain broken at event seq %d (id %s): %s\n", b.Seq, id, b.Reason)
			_, _ = fmt.Fprintf(stdout, "%d events before it verified\n", res.Checked)
			return 1
		}
		_, _ = fmt.Fprintf(stdout, "chain intact: %d events\n", res.Checked)
		if l := res.Last; l != nil {
			// Kept outside the store, this line proves at the next run that
			// nothing was removed from the end.
			_, _ = fmt.Fprintf(stdout, "last event: seq %d id %s hash %s\n", l.Seq, l.ID, l.Hash)
		}
		return 0
	})
}

// csvHeader is the export's CSV columns: every field of an event.
var csvHeader = []string{"seq", "id", "at", "actor_id", "action", "target_type", "target_id", "ip", "user_agent",
	"request_id", "outcome", "details", "prev_hash", "hash"}

// auditExport writes the events in [since, until] to stdout, oldest first, as
// JSON lines (the API's event shape) or CSV with a header row.
func auditExport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sinceRaw := fs.String("since", "", "first instant to export (RFC 3339), required")
	untilRaw := fs.String("until", "", "last instant to export (RFC 3339), default: now")
	format := fs.String("format", "jsonl", "jsonl or csv")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		_, _ = fmt.Fprintln(stderr, auditUsage)
		return 2
	}
	var f auditport.Filter
	var err error
	if f.Since, err = time.Parse(time.RFC3339Nano, *sinceRaw); err != nil {
		_, _ = fmt.Fprintln(stderr, "--since must be an RFC 3339 time, e.g. 2025-09-04T00:00:00Z")
		return 2
	}
	if *untilRaw != "" {
		if f.Until, err = time.Parse(time.RFC3339Nano, *untilRaw); err != nil {
			_, _ = fmt.Fprintln(stderr, "--until must be an RFC 3339 time, e.g. 2025-09-05T00:00:00Z")
			return 2
		}
		if f.Until.Before(f.Since) {
			_, _ = fmt.Fprintln(stderr, "--until is before --since")
			return 2
		}
	}
	var write func(e *audit.Event) error
	out := bufio.NewWriterSize(stdout, 64<<10)
	switch *format {
	case "jsonl":
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		write = func(e *audit.Event) error { return enc.Encode(audithttp.ToEventResponse(e)) }
	case "csv":
		w := csv.NewWriter(out)
		if err := w.Write(csvHeader); err != nil {
			_, _ = fmt.Fprintln(stderr, "export failed:", err)
			return 1
		}
		write = func(e *audit.Event) error {
			if err := w.Write(csvRow(e)); err != nil {
				return err
			}
			w.Flush() // into out, which buffers
			return w.Error()
		}
	default:
		_, _ = fmt.Fprintln(stderr, "--format must be jsonl or csv")
		return 2
	}
	return withAudit(stderr, func(ctx context.Context, svc auditport.Service) int {
		n := 0
		err := svc.Export(ctx, f, func(e *audit.Event) error {
			n++
			return write(e)
		})
		if err == nil {
			err = out.Flush()
		}
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "export failed:", err)
			return 1
		}
		_, _ = fmt.Fprintf(stderr, "exported %d events\n", n)
		return 0
	})
}

// csvRow is one event as CSV cells; details are one JSON object.
func csvRow(e *audit.Event) []string {
	details := []byte("{}")
	if len(e.Details) > 0 {
		details, _ = json.Marshal(e.Details) // map[string]string always marshals; keys sorted
	}
	return []string{strconv.FormatInt(e.Seq, 10), e.ID, e.At.UTC().Format("2006-01-02T15:04:05.000Z"),
		cell(e.ActorID), cell(e.Action), cell(e.TargetType), cell(e.TargetID), cell(e.IP), cell(e.UserAgent),
		cell(e.RequestID), cell(e.Outcome), string(details), e.PrevHash, e.Hash}
}

// cell defuses text that a spreadsheet would run as a formula (a user agent
// is whatever the client sent): such a cell gets a leading apostrophe, as
// OWASP advises. The JSON lines export is exact.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
