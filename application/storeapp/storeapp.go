// Package storeapp moves a whole trust between stores: export to a file,
// import from one, and copy from one store to another, with every record
// (the audit chain exactly as sealed) and, when asked, every file.
package storeapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// Side is one store as this package needs it.
type Side struct {
	Store storeport.Store
	Blobs platformport.BlobStore
	// Audit verifies the chain of the store written to.
	Audit auditport.Service
}

// Progress is told how many records of kind were moved so far, every
// progressEvery records and once a kind is done (done true).
type Progress func(kind string, n int64, done bool)

const progressEvery = 1000

// batchSize is how many records an import writes per transaction.
const batchSize = 500

// blobKind is what files are counted as.
const blobKind = "blob"

// Errors of moving stores.
var (
	ErrNotEmpty       = errors.New("the store to write to is not empty")
	ErrCountsDiffer   = errors.New("the record counts of the two stores differ")
	ErrChainBroken    = errors.New("the audit chain does not verify on the store written to")
	ErrUnknownSection = errors.New("a kind of record the store to write to does not keep")
)

// Report is what a move did.
type Report struct {
	Counts map[string]int64 // records by kind, and files as "blob"
	// AuditChecked is the number of audit events verified on the target.
	AuditChecked int64
}

// Export writes src to w: its files first when withBlobs (those the exported
// datasets and logos refer to), then every record. Everything is read from
// one snapshot of src, so that no file a record refers to is missing.
func Export(ctx context.Context, src Side, w storeport.Writer, withBlobs bool, progress Progress) (map[string]int64, error) {
	counts := map[string]int64{}
	err := src.Store.View(ctx, func(ctx context.Context) error {
		if withBlobs {
			if err := exportBlobs(ctx, src, w, counts, progress); err != nil {
				return err
			}
		}
		for _, s := range src.Store.Sections() {
			kind := s.Kind()
			var n int64
			if err := s.Each(ctx, func(v any) error {
				if err := w.Record(kind, v); err != nil {
					return err
				}
				n++
				if progress != nil && n%progressEvery == 0 {
					progress(string(kind), n, false)
				}
				return nil
			}); err != nil {
				return fmt.Errorf("export the %s records: %w", kind, err)
			}
			counts[string(kind)] = n
			if progress != nil {
				progress(string(kind), n, true)
			}
		}
		return nil
	})
	return counts, err
}

// blobRef is a file a record refers to.
type blobRef struct{ key, sha256 string }

// exportBlobs writes every file the datasets and communities of src refer to.
func exportBlobs(ctx context.Context, src Side, w storeport.Writer, counts map[string]int64, progress Progress) error {
	refs := map[string]string{} // key → SHA-256
	for _, s := range src.Store.Sections() {
		switch s.Kind() {
		case storeport.KindDataset, storeport.KindCommunity:
		default:
			continue
		}
		if err := s.Each(ctx, func(v any) error {
			for _, r := range blobsOf(v) {
				refs[r.key] = r.sha256
			}
			return nil
		}); err != nil {
			return fmt.Errorf("list the files: %w", err)
		}
	}
	keys := make([]string, 0, len(refs))
	for k := range refs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, key := range keys {
		if err := exportBlob(ctx, src.Blobs, w, key, refs[key]); err != nil {
			return err
		}
		if progress != nil && (i+1)%100 == 0 {
			progress(blobKind, int64(i+1), false)
		}
	}
	counts[blobKind] = int64(len(keys))
	if progress != nil {
		progress(blobKind, int64(len(keys)), true)
	}
	return nil
}

func exportBlob(ctx context.Context, blobs platformport.BlobStore, w storeport.Writer, key, sum string) error {
	r, err := blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return fmt.Errorf("open file %s: %w", key, err)
	}
	defer func() { _ = r.Close() }()
	if err := w.Blob(key, sum, r); err != nil {
		return fmt.Errorf("export file %s: %w", key, err)
	}
	return nil
}

// blobsOf lists the files a record refers to.
func blobsOf(v any) []blobRef {
	switch x := v.(type) {
	case *dataset.Dataset:
		out := make([]blobRef, 0, len(x.Versions()))
		for _, ver := range x.Versions() {
			out = append(out, blobRef{ver.File.BlobKey, ver.File.SHA256})
		}
		return out
	case *community.Community:
		if x.LogoKey() != "" {
			return []blobRef{{x.LogoKey(), x.LogoETag()}}
		}
	}
	return nil
}

// Loader writes what it is given into an empty store: files into its blob
// store (under the keys that store chooses; records that refer to a file
// moved are changed to its new key), records in batches.
type Loader struct {
	ctx      context.Context
	dst      Side
	sections map[storeport.Kind]storeport.Section
	keys     map[string]string // a file's key in the source → in dst
	batch    []any
	kind     storeport.Kind
	counts   map[string]int64
	progress Progress
}

var _ storeport.Writer = (*Loader)(nil)

// NewLoader checks that dst holds no records and returns a Loader into it.
func NewLoader(ctx context.Context, dst Side, progress Progress) (*Loader, error) {
	l := &Loader{ctx: ctx, dst: dst, sections: map[storeport.Kind]storeport.Section{}, keys: map[string]string{},
		counts: map[string]int64{}, progress: progress}
	for _, s := range dst.Store.Sections() {
		n, err := s.Count(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("%w: it holds %d %s records", ErrNotEmpty, n, s.Kind())
		}
		l.sections[s.Kind()] = s
	}
	return l, nil
}

// Blob stores a file.
func (l *Loader) Blob(key, sum string, r io.Reader) error {
	if err := l.flush(); err != nil {
		return err
	}
	info, err := l.dst.Blobs.Put(l.ctx, r, 0)
	if err != nil {
		return fmt.Errorf("store file %s: %w", key, err)
	}
	if info.SHA256 != sum {
		_ = l.dst.Blobs.Delete(context.WithoutCancel(l.ctx), info.Key)
		return fmt.Errorf("file %s does not match its SHA-256", key)
	}
	l.keys[key] = info.Key
	l.counts[blobKind]++
	if l.progress != nil && l.counts[blobKind]%100 == 0 {
		l.progress(blobKind, l.counts[blobKind], false)
	}
	return nil
}

// Record queues a record; records are written in batches of one kind.
func (l *Loader) Record(kind storeport.Kind, v any) error {
	if _, ok := l.sections[kind]; !ok {
		return fmt.Errorf("%w: %s", ErrUnknownSection, kind)
	}
	if kind != l.kind {
		if err := l.flush(); err != nil {
			return err
		}
		l.kind = kind
	}
	l.rekey(v)
	l.batch = append(l.batch, v)
	if len(l.batch) >= batchSize {
		return l.flush()
	}
	return nil
}

// rekey points a record at the new keys of the files it refers to.
func (l *Loader) rekey(v any) {
	switch x := v.(type) {
	case *dataset.Dataset:
		x.RekeyBlobs(l.keys)
	case *community.Community:
		x.RekeyBlobs(l.keys)
	}
}

func (l *Loader) flush() error {
	if len(l.batch) == 0 {
		return nil
	}
	if err := l.sections[l.kind].Insert(l.ctx, l.batch); err != nil {
		return fmt.Errorf("import the %s records: %w", l.kind, err)
	}
	before := l.counts[string(l.kind)]
	l.counts[string(l.kind)] += int64(len(l.batch))
	if l.progress != nil && before/progressEvery != l.counts[string(l.kind)]/progressEvery {
		l.progress(string(l.kind), l.counts[string(l.kind)], false)
	}
	l.batch = l.batch[:0]
	return nil
}

// Finish writes what is queued, checks that the store now holds want
// records of each kind, and verifies the audit chain on it.
func (l *Loader) Finish(want map[string]int64) (Report, error) {
	if err := l.flush(); err != nil {
		return Report{}, err
	}
	rep := Report{Counts: l.counts}
	for _, s := range l.dst.Store.Sections() {
		n, err := s.Count(l.ctx)
		if err != nil {
			return rep, err
		}
		if n != want[string(s.Kind())] {
			return rep, fmt.Errorf("%w: %d %s records written, %d expected", ErrCountsDiffer, n, s.Kind(), want[string(s.Kind())])
		}
		if l.progress != nil {
			l.progress(string(s.Kind()), n, true)
		}
	}
	if want[blobKind] != l.counts[blobKind] {
		return rep, fmt.Errorf("%w: %d files written, %d expected", ErrCountsDiffer, l.counts[blobKind], want[blobKind])
	}
	res, err := l.dst.Audit.Verify(l.ctx, nil)
	if err != nil {
		return rep, err
	}
	if res.FirstBroken != nil {
		return rep, fmt.Errorf("%w: event %d: %s", ErrChainBroken, res.FirstBroken.Seq, res.FirstBroken.Reason)
	}
	rep.AuditChecked = res.Checked
	return rep, nil
}

// Import writes everything r holds into dst, which must hold no records.
func Import(ctx context.Context, r storeport.Reader, dst Side, progress Progress) (Report, error) {
	l, err := NewLoader(ctx, dst, progress)
	if err != nil {
		return Report{}, err
	}
	read := map[string]int64{}
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Report{}, err
		}
		if it.Blob != nil {
			read[blobKind]++
			if err := l.Blob(it.Blob.Key, it.Blob.SHA256, it.Blob.Data); err != nil {
				return Report{}, err
			}
			continue
		}
		read[string(it.Kind)]++
		if err := l.Record(it.Kind, it.Value); err != nil {
			return Report{}, err
		}
	}
	return l.Finish(read)
}

// Copy writes everything src holds, files included, into dst, which must
// hold no records; then it checks that both hold as many of each kind and
// that the audit chain verifies on dst.
func Copy(ctx context.Context, src, dst Side, progress Progress) (Report, error) {
	l, err := NewLoader(ctx, dst, progress)
	if err != nil {
		return Report{}, err
	}
	counts, err := Export(ctx, src, l, true, nil)
	if err != nil {
		return Report{}, err
	}
	return l.Finish(counts)
}
