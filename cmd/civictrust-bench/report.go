package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// goalAt100k is issue 17's ceiling for every read row at the largest size.
const goalAt100k = 10 * time.Millisecond

// report is everything measured on one target.
type report struct {
	target        string
	users         int
	seedUsers     time.Duration
	sizes         []sizeResult
	login         rowResult
	transferRoute string
	uploadMiBs    float64
	downloadMiBs  float64
	memory        []memoryResult
}

// sizeResult is one size's seeding and rows.
type sizeResult struct {
	datasets, visible, auditEvents int
	seeding                        time.Duration
	rows                           map[string]rowResult
}

type rowResult struct {
	lat         latencies
	unsupported bool
}

type memoryResult struct {
	route            string
	uploads, fileMiB int
	idleMiB, peakMiB float64
	hwm              bool // the peak includes VmHWM, not only 10 ms samples of VmRSS
	mibPerSecond     float64
}

func (r rowResult) describe(label string) string {
	if r.unsupported {
		return label + ": —"
	}
	return fmt.Sprintf("%s: p50 %s, p90 %s, p99 %s, %.0f/s (%d requests)", label, ms(r.lat.p50), ms(r.lat.p90), ms(r.lat.p99),
		r.lat.perSecond(), r.lat.requests)
}

// ms prints a latency in milliseconds with two significant decimals below 10.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.0f ms", v)
	}
}

func count(n int) string {
	switch {
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	default:
		return fmt.Sprint(n)
	}
}

// printer writes lines and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (o *printer) printf(format string, args ...any) {
	if o.err == nil {
		_, o.err = fmt.Fprintf(o.w, format, args...)
	}
}

func (o *printer) println(line string) { o.printf("%s\n", line) }

// printDetail writes one target's full results.
func (r *report) printDetail(w io.Writer) error {
	o := &printer{w: w}
	o.printf("## %s\n\n", r.target)
	o.printf("%d users (seeded in %s).\n\n", r.users, r.seedUsers.Round(time.Second))
	o.println("| datasets | visible to the member | audit events | seeding |")
	o.println("|---|---|---|---|")
	for _, sz := range r.sizes {
		audit := "—"
		if sz.auditEvents > 0 {
			audit = fmt.Sprint(sz.auditEvents)
		}
		o.printf("| %d | %d | %s | %s |\n", sz.datasets, sz.visible, audit, sz.seeding.Round(time.Second))
	}
	o.println("")
	o.println("| row | datasets | p50 | p90 | p99 | requests/s |")
	o.println("|---|---|---|---|---|---|")
	for _, row := range readRows() {
		for _, sz := range r.sizes {
			res := sz.rows[row.key]
			if res.unsupported {
				o.printf("| %s | %s | — | — | — | — |\n", row.label, count(sz.datasets))
				continue
			}
			o.printf("| %s | %s | %s | %s | %s | %.0f |\n", row.label, count(sz.datasets), ms(res.lat.p50), ms(res.lat.p90),
				ms(res.lat.p99), res.lat.perSecond())
		}
	}
	o.printf("| login | — | %s | %s | %s | %.1f |\n\n", ms(r.login.lat.p50), ms(r.login.lat.p90), ms(r.login.lat.p99), r.login.lat.perSecond())
	o.printf("Transfer (%s): upload %.0f MiB/s, download %.0f MiB/s.\n\n", r.transferRoute, r.uploadMiBs, r.downloadMiBs)
	for _, m := range r.memory {
		how := "VmHWM"
		if !m.hwm {
			how = "VmRSS sampled every 10 ms"
		}
		o.printf("Memory, %d concurrent %d MiB uploads (%s): idle %.0f MiB, peak %.0f MiB (%s), %.0f MiB above idle; %.0f MiB/s in all.\n\n",
			m.uploads, m.fileMiB, m.route, m.idleMiB, m.peakMiB, how, m.peakMiB-m.idleMiB, m.mibPerSecond)
	}
	return o.err
}

// printSummary writes the side-by-side p50 table and, with PocketBase
// measured, whether each goal is met.
func printSummary(w io.Writer, s settings, reports []*report) error {
	o := &printer{w: w}
	o.printf("## p50 side by side (%d clients)\n\n", s.clients)
	header := []string{"row"}
	for _, r := range reports {
		for _, sz := range r.sizes {
			header = append(header, fmt.Sprintf("%s, %s", r.target, count(sz.datasets)))
		}
	}
	o.printf("| %s |\n|%s\n", strings.Join(header, " | "), strings.Repeat("---|", len(header)))
	for _, row := range readRows() {
		cells := []string{row.label}
		for _, r := range reports {
			for _, sz := range r.sizes {
				cells = append(cells, p50(sz.rows[row.key]))
			}
		}
		o.printf("| %s |\n", strings.Join(cells, " | "))
	}
	o.println("")
	o.println("| row | " + strings.Join(targets(reports), " | ") + " |")
	o.println("|---|" + strings.Repeat("---|", len(reports)))
	each := func(label string, cell func(r *report) string) {
		cells := []string{label}
		for _, r := range reports {
			cells = append(cells, cell(r))
		}
		o.printf("| %s |\n", strings.Join(cells, " | "))
	}
	each("login, p50", func(r *report) string { return ms(r.login.lat.p50) })
	each("login, per second", func(r *report) string { return fmt.Sprintf("%.1f", r.login.lat.perSecond()) })
	each(fmt.Sprintf("upload of %d MiB", s.transferMiB), func(r *report) string { return fmt.Sprintf("%.0f MiB/s", r.uploadMiBs) })
	each(fmt.Sprintf("download of %d MiB", s.transferMiB), func(r *report) string { return fmt.Sprintf("%.0f MiB/s", r.downloadMiBs) })
	for i, m := range reports[0].memory {
		each(fmt.Sprintf("peak RSS above idle, %d concurrent %d MiB uploads (%s)", m.uploads, m.fileMiB, "multipart"), func(r *report) string {
			if i >= len(r.memory) {
				return "—"
			}
			return fmt.Sprintf("%.0f MiB (idle %.0f MiB)", r.memory[i].peakMiB-r.memory[i].idleMiB, r.memory[i].idleMiB)
		})
	}
	ours, theirs := find(reports, targetCivictrust), find(reports, targetPocketBase)
	if ours == nil {
		return o.err
	}
	o.println("")
	o.println("| row | p50 ≤ PocketBase's at every size | growth, first to last size (ours / PocketBase's; met when ours grows no faster, or not at all) | ≤ 10 ms at the largest size |")
	o.println("|---|---|---|---|")
	for _, row := range readRows() {
		first, last := ours.sizes[0].rows[row.key], ours.sizes[len(ours.sizes)-1].rows[row.key]
		under := yesNo(!last.unsupported && last.lat.p50 <= goalAt100k)
		beat, growth := "—", "—"
		if theirs != nil && len(theirs.sizes) == len(ours.sizes) {
			tFirst, tLast := theirs.sizes[0].rows[row.key], theirs.sizes[len(theirs.sizes)-1].rows[row.key]
			if !tFirst.unsupported {
				ok := true
				for i := range ours.sizes {
					ok = ok && ours.sizes[i].rows[row.key].lat.p50 <= theirs.sizes[i].rows[row.key].lat.p50
				}
				beat = yesNo(ok)
				g, tg := ratio(last, first), ratio(tLast, tFirst)
				growth = fmt.Sprintf("%.1f× / %.1f× (%s)", g, tg, yesNo(g <= max(tg, 1)))
			}
		}
		o.printf("| %s | %s | %s | %s |\n", row.label, beat, growth, under)
	}
	return o.err
}

func targets(reports []*report) []string {
	var out []string
	for _, r := range reports {
		out = append(out, r.target)
	}
	return out
}

func p50(r rowResult) string {
	if r.unsupported {
		return "—"
	}
	return ms(r.lat.p50)
}

func ratio(a, b rowResult) float64 { return float64(a.lat.p50) / float64(max(b.lat.p50, 1)) }

func yesNo(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

func find(reports []*report, target string) *report {
	for _, r := range reports {
		if r.target == target {
			return r
		}
	}
	return nil
}
